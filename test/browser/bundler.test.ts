// The package as an installed dependency of a Vite app (a copy of package.json + dist/ in the app's
// node_modules, as `npm install` makes it), imported by name in the page and in a module Web Worker:
// Vite's dev server (with its dependency pre-bundling) and `vite build` + `vite preview` must both
// find and serve kernels.wasm with no configuration. The loss computed in Chromium equals Node's. The
// page, served cross-origin isolated, also evaluates a larger network on 2 threads: the bundled
// evaluation-thread worker (websliceworker.js) starts and the loss equals Node's one-thread loss.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { build, createServer, preview, type InlineConfig } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Net, PARALLEL_MIN_SAMPLES, gaussianInput } from "../../src/index.js";
import { BROWSER_OUTPUT, collectErrors, launchChromium } from "../helpers/chromium.js";

const APP = join(BROWSER_OUTPUT, "installed-app");

/** The computation of the app, in both threads: the loss of a fixed small network. */
const COMPUTE = `
const net = new Net({ layers: [[3, "softplus", true], [1, "identity", true]], input: [[0.5, -1], [2, 0.25], [-1.5, 1]], target: [[1], [-0.5], [2]] });
const loss = net.loss(net.randomParams({ seed: 7 }));`;

/** The page's computation on 2 threads: a network with 2·2048 + 5 samples, which splits over them. */
const THREADED = `
const n = 4101;
const input = gaussianInput(n, 2, { seed: 1 });
const target = { rows: n, cols: 1, data: input.data.filter((_, i) => i % 2 === 0).map(Math.sin) };
const big = new Net({ layers: [[5, "softplus", true], [1, "identity", true]], input, target });
const bigLoss = big.loss(big.randomParams({ seed: 2 }));`;

/** Headers that make the pages cross-origin isolated (needed for threads in a browser). */
const ISOLATION = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

function writeApp(): void {
  rmSync(APP, { recursive: true, force: true });
  const pkg = join(APP, "node_modules", "mlp-gradient-flow");
  mkdirSync(pkg, { recursive: true });
  cpSync("package.json", join(pkg, "package.json"));
  cpSync("dist", join(pkg, "dist"), { recursive: true });
  writeFileSync(join(APP, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  writeFileSync(
    join(APP, "index.html"),
    `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>
<body><p id="main"></p><p id="worker"></p><p id="threads"></p><script type="module" src="./main.js"></script></body></html>`,
  );
  writeFileSync(
    join(APP, "main.js"),
    `import { init, Net, gaussianInput, threadCount } from "mlp-gradient-flow";
await init();${COMPUTE}
document.getElementById("main").textContent = String(loss);
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
worker.onmessage = (e) => { document.getElementById("worker").textContent = e.data; };
await init(undefined, { threads: 2 });${THREADED}
document.getElementById("threads").textContent = JSON.stringify([threadCount(), bigLoss]);`,
  );
  writeFileSync(
    join(APP, "worker.js"),
    `import { init, Net } from "mlp-gradient-flow";
await init();${COMPUTE}
postMessage(String(loss));`,
  );
}

/** The same computation in Node. */
function nodeLoss(): number {
  return new Function("Net", `${COMPUTE}\nnet.dispose();\nreturn loss;`)(Net) as number;
}

/** The threaded computation in Node, on one thread. */
function nodeBigLoss(): number {
  return new Function("Net", "gaussianInput", `${THREADED}\nbig.dispose();\nreturn bigLoss;`)(Net, gaussianInput) as number;
}

const CONFIG: InlineConfig = { root: APP, configFile: false, logLevel: "warn", worker: { format: "es" } };

let browser: Browser;
beforeAll(async () => {
  writeApp();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * Loads the app from `server`, checks that page and worker both computed Node's loss without
 * errors, then closes the server.
 */
async function checkApp(server: { resolvedUrls: { local: string[] } | null; close(): Promise<void> }): Promise<void> {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  const workers: string[] = [];
  page.on("worker", (w) => workers.push(w.url()));
  try {
    await page.goto(server.resolvedUrls!.local[0]);
    await page.waitForFunction(() => ["main", "worker", "threads"].every((id) => document.getElementById(id)?.textContent), null, {
      timeout: 20_000,
    });
    expect(Number(await page.textContent("#main"))).toBe(nodeLoss());
    expect(Number(await page.textContent("#worker"))).toBe(nodeLoss());
    // 2 threads: the samples (over 2·PARALLEL_MIN_SAMPLES) split over the page and the bundled evaluation worker
    expect(4101).toBeGreaterThanOrEqual(2 * PARALLEL_MIN_SAMPLES);
    const [threads, bigLoss] = JSON.parse((await page.textContent("#threads")) ?? "") as [number, number];
    expect(threads).toBe(2);
    expect(Math.abs(bigLoss - nodeBigLoss()) / nodeBigLoss()).toBeLessThan(1e-14);
    expect(workers.some((u) => /websliceworker/.test(u))).toBe(true);
    expect(errors).toEqual([]);
  } finally {
    await page.close();
    await server.close();
  }
}

describe("installed package in a Vite app (no configuration but the isolation headers)", () => {
  it("dev server: page and module worker load kernels.wasm and compute Node's loss; 2 threads in the page", async () => {
    const server = await createServer({ ...CONFIG, server: { port: 0, host: "127.0.0.1", headers: ISOLATION } });
    await checkApp(await server.listen());
  });

  it("vite build + preview: kernels.wasm and the evaluation worker are emitted as assets and load; 2 threads in the page", async () => {
    const outDir = join(APP, "out");
    await build({ ...CONFIG, build: { outDir, emptyOutDir: true } });
    await checkApp(await preview({ ...CONFIG, build: { outDir }, preview: { port: 0, host: "127.0.0.1", headers: ISOLATION } }));
  });
});
