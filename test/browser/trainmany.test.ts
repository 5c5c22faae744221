import { readFile } from "node:fs/promises";
import { type Server, createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { launchChromium } from "../helpers/chromium.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const TYPES: Record<string, string> = {
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".html": "text/html",
};

/** Serves the repository read-only (dist/ and node_modules/), plus the test page at /. */
function serve(page: string): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end(page);
      return;
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    const body = await readFile(file).catch(() => null);
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })),
  );
}

const PAGE = `<!doctype html>
<script type="importmap">{ "imports": { "fflate": "/node_modules/fflate/esm/browser.js" } }</script>
<script type="module">
import { init, Net, train, trainMany, resultToNpz, resultFromNpz, resultToJSON, resultFromJSON, saveResult } from "/dist/index.js";
try {
  await init();
  const input = [], target = [];
  for (let i = 0; i < 60; i++) { const a = Math.sin(i), b = Math.cos(3 * i); input.push([a, b]); target.push([Math.tanh(a - 2 * b)]); }
  const net = new Net({ layers: [[3, "softplus", true], [1, "identity", true]], input, target });
  const starts = [1, 2, 3].map((seed) => net.randomParams({ seed }));
  const opts = { alg: "tsit5", maxiterationsOde: 200, maxiterationsOptim: 10, nSamplesTrajectory: 8 };
  const many = await trainMany(net, [...starts, [1, 2]], opts, { workers: 2 });
  const seq = [];
  for (const x of starts) seq.push(await train(net, x, opts));
  const same = seq.every((s, i) => s.loss === many[i].loss && s.x.every((v, j) => Object.is(v, many[i].x[j])) && s.odeIterations === many[i].odeIterations);
  const back = await resultFromNpz(await resultToNpz(many[0]));
  const json = resultFromJSON(resultToJSON(many[0]));
  const saveError = await saveResult("r.json", many[0]).then(() => "saved", (e) => e.message);
  window.out = { saveError, same, losses: many.map((r) => r.loss), error: many[3].error, npz: back.x.every((v, j) => Object.is(v, many[0].x[j])), json: json.loss === many[0].loss };
} catch (e) { window.out = { failed: String(e && e.stack || e) }; }
</script>`;

test("trainMany runs its starts in Web Workers in Chromium (equal to sequential train); npz and JSON codecs work in the page, saveResult says to use them", async () => {
  const { server, url } = await serve(PAGE);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { out?: unknown }).out !== undefined, undefined, { timeout: 60_000 });
    const out = await page.evaluate(() => (window as unknown as { out: Record<string, unknown> }).out);
    expect(out.failed).toBeUndefined();
    expect(out.same).toBe(true);
    expect((out.losses as number[]).slice(0, 3).every((l) => l > 0 && l < 1)).toBe(true);
    expect(out.error).toEqual({ code: "SHAPE", message: expect.stringMatching(/x0: has length 2, expected 13/) });
    expect(out.npz).toBe(true);
    expect(out.json).toBe(true);
    expect(out.saveError).toMatch(/saveResult needs Node's file system; in a browser use resultToJSON/);
  } finally {
    await browser.close();
    server.close();
  }
});
