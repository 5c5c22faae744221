// One evaluation on several threads in headless Chromium (init's `threads` option, Web Workers on a
// cross-origin isolated page) against one thread, side by side in one run: the protocol's network
// (D = 2, softplus, biases), gradient and Hessian, on the page's main thread (which spins while it
// waits) and inside a module Web Worker (which waits with Atomics.wait); medians of interleaved rounds.
//   node bench/browserthreads.js [--threads T] [--rounds R] [--k K] [--n N]
// Chromium: CHROMIUM_PATH, else the one of @sparticuz/chromium that the browser tests unpack
// (node_modules/.cache/mlp-gradient-flow/; run `npx vitest run test/browser/smoke.test.ts` once).
import { execSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { chromium } from "playwright-core";

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const T = arg("--threads", 2);
const ROUNDS = arg("--rounds", 5);
const K = arg("--k", 100);
const N = arg("--n", 10_000);
const root = resolve(".");

/** The measurement, run on the page's main thread and in a module Web Worker: medians of `ROUNDS` interleaved rounds. */
const MEASURE = `
import { init } from "/dist/index.js";
import { protocolNet } from "/bench/protocol.js";

/** Median time (ms) of f over at least 5 runs and about budget ms, after one warm-up run. */
function median(f, budget) {
  f();
  const times = [];
  const end = performance.now() + budget;
  while (times.length < 5 || performance.now() < end) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[times.length >> 1];
}

export async function measure(T, rounds, k, n) {
  await init();
  const net = protocolNet(k, n);
  const x = net.randomParams({ seed: 1 });
  const rows = [];
  for (const what of ["gradient", "hessian"]) {
    const f = what === "gradient" ? () => net.gradient(x) : () => net.hessian(x);
    const one = [];
    const many = [];
    for (let r = 0; r < rounds; r++) {
      await init(undefined, { threads: 1 });
      one.push(median(f, 400));
      await init(undefined, { threads: T });
      many.push(median(f, 400));
    }
    const mid = (a) => a.sort((p, q) => p - q)[a.length >> 1];
    rows.push({ what, one: mid(one), many: mid(many) });
  }
  net.dispose();
  await init(undefined, { threads: 1 });
  return rows;
}`;

const FILES = {
  "/bench-threads/measure.js": MEASURE,
  "/bench-threads/worker.js": `import { measure } from "/bench-threads/measure.js";
onmessage = async ({ data }) => postMessage(await measure(...data));`,
  "/bench-threads/index.html": `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module">
import { measure } from "/bench-threads/measure.js";
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
  for (const where of ["page", "worker"]) {
    const rows = await page.evaluate(
      ([w, a]) => (w === "page" ? window.measurePage(...a) : window.measureWorker(...a)),
      [where, [T, ROUNDS, K, N]],
    );
    for (const r of rows) {
      const where_ = where === "page" ? "page's main thread (spins)" : "module Web Worker (Atomics.wait)";
      console.log(`| ${where_} | ${r.what} | ${r.one.toFixed(2)} ms | ${r.many.toFixed(2)} ms | ${(r.one / r.many).toFixed(2)}× |`);
    }
  }
  console.log(`load average after: ${execSync("cat /proc/loadavg", { encoding: "utf8" }).split(" ").slice(0, 3).join(" ")}`);
} finally {
  await browser.close();
  server.close();
}
