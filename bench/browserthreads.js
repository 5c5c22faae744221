// One evaluation on several threads in headless Chromium (init's `threads` option, Web Workers on a
// cross-origin isolated page) against one thread, side by side in one run: the protocol's network
// (D = 2, softplus, biases), gradient and Hessian, on the page's main thread (which spins while it
// waits) and inside a module Web Worker (which waits with Atomics.wait), with Node's worker threads in
// the same run as the reference; medians of interleaved rounds (bench/threadsmeasure.js).
//   node bench/browserthreads.js [--threads T] [--rounds R] [--k K] [--n N]
// Chromium: CHROMIUM_PATH, else the one of @sparticuz/chromium that the browser tests unpack
// (node_modules/.cache/mlp-gradient-flow/; run `npx vitest run test/browser/smoke.test.ts` once).
import { execSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { chromium } from "playwright-core";
import { measure } from "./threadsmeasure.js";

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const T = arg("--threads", 2);
const ROUNDS = arg("--rounds", 5);
const K = arg("--k", 100);
const N = arg("--n", 10_000);
const root = resolve(".");

const FILES = {
  "/bench-threads/worker.js": `import { measure } from "/bench/threadsmeasure.js";
onmessage = async ({ data }) => postMessage(await measure(...data));`,
  "/bench-threads/index.html": `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module">
import { measure } from "/bench/threadsmeasure.js";
window.measurePage = (...a) => measure(...a);
window.measureWorker = (...a) => new Promise((ok, fail) => {
  const w = new Worker("/bench-threads/worker.js", { type: "module" });
  w.onmessage = (e) => { ok(e.data); w.terminate(); };
  w.onerror = (e) => fail(new Error(e.message));
  w.postMessage(a);
});
window.ready = crossOriginIsolated;
</script>`,
};

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
const ISOLATION = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };
const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
  const file = resolve(root, `.${path}`);
  const body = FILES[path] ?? (file.startsWith(root + sep) ? await readFile(file).catch(() => null) : null);
  if (body === null) return void res.writeHead(404, ISOLATION).end();
  res.writeHead(200, { ...ISOLATION, "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(body);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return { path: process.env.CHROMIUM_PATH, lib: process.env.CHROMIUM_LIBRARY_PATH ?? "" };
  const { version } = JSON.parse(readFileSync("node_modules/@sparticuz/chromium/package.json", "utf8"));
  const dir = join("node_modules/.cache/mlp-gradient-flow", `chromium-${version}`);
  if (!existsSync(join(dir, "chromium"))) throw new Error(`no Chromium in ${dir}: run the browser tests once, or set CHROMIUM_PATH`);
  return { path: join(dir, "chromium"), lib: join(dir, "lib") };
}

const cpu = (() => {
  try {
    return execSync("lscpu | grep 'Model name'", { encoding: "utf8" }).split(":")[1].trim();
  } catch {
    return "unknown CPU";
  }
})();
const { path, lib } = chromiumPath();
const browser = await chromium.launch({
  executablePath: path,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
  env: { ...process.env, LD_LIBRARY_PATH: [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":") },
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/bench-threads/index.html`);
  await page.waitForFunction(() => window.ready !== undefined);
  if (!(await page.evaluate(() => window.ready))) throw new Error("the page is not cross-origin isolated");
  console.log(
    `${cpu}; Chromium ${browser.version()}; load average ${execSync("cat /proc/loadavg", { encoding: "utf8" }).split(" ").slice(0, 3).join(" ")}`,
  );
  console.log(`one evaluation on 1 vs ${T} threads, k = ${K}, N = ${N}, medians of ${ROUNDS} interleaved rounds`);
  console.log("| where | what | 1 thread | T threads | speed-up |");
  console.log("|---|---|---:|---:|---:|");
  const WHERE = {
    node: "Node worker_threads (reference)",
    page: "Chromium, page's main thread (spins)",
    worker: "Chromium, module Web Worker (Atomics.wait)",
  };
  for (const where of ["node", "page", "worker"]) {
    const a = [T, ROUNDS, K, N];
    const rows =
      where === "node"
        ? await measure(...a)
        : await page.evaluate(([w, a]) => (w === "page" ? window.measurePage(...a) : window.measureWorker(...a)), [where, a]);
    for (const r of rows) {
      console.log(`| ${WHERE[where]} | ${r.what} | ${r.one.toFixed(2)} ms | ${r.many.toFixed(2)} ms | ${(r.one / r.many).toFixed(2)}× |`);
    }
  }
  console.log(`load average after: ${execSync("cat /proc/loadavg", { encoding: "utf8" }).split(" ").slice(0, 3).join(" ")}`);
} finally {
  await browser.close();
  server.close();
}
