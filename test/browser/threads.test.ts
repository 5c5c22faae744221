// One evaluation on several threads in Chromium (init's `threads` option, src/engine/webpool.ts): on a
// cross-origin isolated page (COOP + COEP headers) 2 threads split the gradient, Hessian and
// Hessian-vector product of a network above the split size over a module Web Worker, on the page's
// main thread and inside a module Web Worker, with the one-thread results within 1e-14 relative;
// errors in a worker come back with their code; a page without the headers runs one thread and says
// why in one line.
import type { Browser, ConsoleMessage } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Net, PARALLEL_MIN_SAMPLES, gaussianInput } from "../../src/index.js";
import { collectErrors, launchChromium } from "../helpers/chromium.js";
import { serveStatic, type StaticServer } from "../helpers/staticserver.js";
import { relDiff } from "../helpers/reldiff.js";

const ISOLATION = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

/** The problem, as source run in the browser and in Node: N = 2·PARALLEL_MIN_SAMPLES + 37 samples (splits over 2 threads), P = 32. */
const PROBLEM = `
const n = 2 * PARALLEL_MIN_SAMPLES + 37;
const input = gaussianInput(n, 2, { seed: 11 });
const target = { rows: n, cols: 2, data: Float64Array.from({ length: 2 * n }, (_, i) => Math.sin(3 * input.data[i]) + 0.1 * Math.cos(i)) };
const net = new Net({ layers: [[6, "softplus", true], [2, "identity", true]], input, target });
const x = net.randomParams({ seed: 5 }).map((xi, i) => xi + 0.2 * Math.sin(i));
const v = Float64Array.from(x, (_, i) => Math.cos(i));`;

/** Loss, gradient, Hessian and Hessian-vector product: 4 evaluations. */
const EVALUATE = `
const r = { loss: net.loss(x), gradient: Array.from(net.gradient(x)), hessian: Array.from(net.hessian(x).data), hvp: Array.from(net.hvp(x, v)) };`;

/** The module the pages and the worker import (served at /threads/compute.js). */
const COMPUTE = `
import { init, Net, gaussianInput, threadCount, PARALLEL_MIN_SAMPLES, isMLPGFError } from "/dist/index.js";
import { SampleSplit } from "/dist/engine/samplesplit.js";
import { getEngine } from "/dist/engine/kernels.js";

/** The problem's evaluations on \`threads\` threads, the thread count used and how many evaluations were split. */
export async function evaluateWith(threads) {
  await init(undefined, { threads });
  ${PROBLEM}
  const before = SampleSplit.evaluations;
  ${EVALUATE}
  net.dispose();
  const blocks = getEngine().pool?.canBlock ?? null; // how the calling thread waits (a private field of WebPool)
  const cores = navigator.hardwareConcurrency;
  return { ...r, threads: threadCount(), split: SampleSplit.evaluations - before, isolated: globalThis.crossOriginIsolated === true, blocks, cores };
}

const caught = (f) => { try { f(); return "no error"; } catch (e) { return { mlpgf: isMLPGFError(e), code: e.code, message: e.message }; } };

/** Failures: an error raised in a worker, a worker's error event, a worker that cannot start. */
export async function failures() {
  await init(undefined, { threads: 2 });
  ${PROBLEM}
  const out = {};
  const pool = getEngine().pool;
  // a slice too large for the worker's WASM memory: MEMORY, raised by the worker's allocator
  out.memory = caught(() => {
    const data = { n: 2 ** 29, input: new Float64Array(0), target: new Float64Array(0), weights: null };
    pool.send(0, { op: "create", id: -1, layers: net.ws.layers, din: 2, data });
    pool.wait(0);
  });
  let before = SampleSplit.evaluations;
  out.lossAfterError = net.loss(x);
  out.splitAfterError = SampleSplit.evaluations - before;
  // a worker's error event marks its lane dead: the next evaluation fails at once, init restarts the pool
  pool.lanes[0].worker.dispatchEvent(new ErrorEvent("error", { message: "boom" }));
  out.dead = caught(() => net.gradient(x));
  await init(undefined, { threads: 2 });
  out.restarted = getEngine().pool !== pool && threadCount() === 2;
  before = SampleSplit.evaluations;
  out.lossAfterRestart = net.loss(x);
  out.splitAfterRestart = SampleSplit.evaluations - before;
  // a worker script that cannot be loaded
  await init(undefined, { threads: 1 });
  out.start = await init(undefined, { threads: 3, workerUrl: new URL("/no-such-worker.js", location.href) }).then(
    () => "no error",
    (e) => ({ mlpgf: isMLPGFError(e), code: e.code, message: e.message }),
  );
  out.threadsAfterFailedStart = threadCount();
  net.dispose();
  return out;
}`;

/** A page that runs `script` (a module importing /threads/compute.js) and stores its result in window.out. */
const page = (script: string) => `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>
<script type="module">
try { ${script} } catch (e) { window.out = { failed: String(e && e.stack || e) }; }
</script></body></html>`;

const PAGES = {
  "/threads/compute.js": COMPUTE,
  "/threads/main.html": page(`
    const { evaluateWith } = await import("/threads/compute.js");
    window.out = { one: await evaluateWith(1), two: await evaluateWith(2), auto: await evaluateWith("auto") };`),
  "/threads/worker.js": `
    import { evaluateWith } from "/threads/compute.js";
    try { postMessage({ one: await evaluateWith(1), two: await evaluateWith(2) }); } catch (e) { postMessage({ failed: String(e && e.stack || e) }); }`,
  "/threads/inworker.html": page(`
    const w = new Worker("/threads/worker.js", { type: "module" });
    window.out = await new Promise((resolve) => { w.onmessage = (e) => resolve(e.data); w.onerror = (e) => resolve({ failed: e.message || "worker error" }); });`),
  "/threads/failures.html": page(`
    const { failures } = await import("/threads/compute.js");
    window.out = await failures();`),
  "/threads/notice.html": page(`
    const { evaluateWith } = await import("/threads/compute.js");
    const two = await evaluateWith(2);
    const again = await evaluateWith(2);
    const auto = await evaluateWith("auto");
    window.out = { two, again, auto };`),
};

interface Evaluation {
  loss: number;
  gradient: number[];
  hessian: number[];
  hvp: number[];
  threads: number;
  split: number;
  isolated: boolean;
  /** True when the calling thread waited with Atomics.wait, false when it spun (null: no pool). */
  blocks: boolean | null;
  /** navigator.hardwareConcurrency. */
  cores: number;
}

/** The problem evaluated in Node, one thread (SIMD128 build): an independent check of what the page computed. */
function nodeEvaluation(): Omit<Evaluation, "threads" | "split" | "isolated" | "blocks" | "cores"> {
  return new Function("Net", "gaussianInput", "PARALLEL_MIN_SAMPLES", `${PROBLEM}${EVALUATE}\nnet.dispose();\nreturn r;`)(
    Net,
    gaussianInput,
    PARALLEL_MIN_SAMPLES,
  );
}

let isolated: StaticServer;
let plain: StaticServer;
let browser: Browser;

beforeAll(async () => {
  // the repository root (dist/ is the package build), with and without cross-origin isolation
  isolated = await serveStatic(".", PAGES, ISOLATION);
  plain = await serveStatic(".", PAGES);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await isolated?.close();
  await plain?.close();
});

/** Opens `url`, waits for window.out and returns it with the page's info messages and errors. */
async function run<T>(url: string): Promise<{ out: T; info: string[]; errors: string[] }> {
  const p = await browser.newPage();
  const errors = collectErrors(p);
  const info: string[] = [];
  p.on("console", (m: ConsoleMessage) => {
    if (m.type() === "info") info.push(m.text());
  });
  try {
    await p.goto(url);
    await p.waitForFunction(() => (window as unknown as { out?: unknown }).out !== undefined, undefined, { timeout: 60_000 });
    const out = await p.evaluate(() => (window as unknown as { out: T & { failed?: string } }).out);
    expect((out as { failed?: string }).failed).toBeUndefined();
    return { out, info, errors };
  } finally {
    await p.close();
  }
}

/** Checks 2 threads against 1 thread (within 1e-14 relative) and the split, then 1 thread against Node. */
function checkSplit(one: Evaluation, two: Evaluation): void {
  expect(one.isolated).toBe(true);
  expect([one.threads, two.threads]).toEqual([1, 2]);
  expect([one.split, two.split]).toEqual([0, 4]); // loss, gradient, Hessian and hvp each split over 2 threads
  expect(Math.abs(two.loss - one.loss) / one.loss).toBeLessThan(1e-14);
  expect(relDiff(two.gradient, one.gradient)).toBeLessThan(1e-14);
  expect(relDiff(two.hessian, one.hessian)).toBeLessThan(1e-14);
  expect(relDiff(two.hvp, one.hvp)).toBeLessThan(1e-14);
  expect(two.hessian).toHaveLength(32 * 32);
  // Chromium runs the relaxed-SIMD build, Node 20 the SIMD128 one: the same numbers within 1e-14 relative
  const node = nodeEvaluation();
  expect(Math.abs(one.loss - node.loss) / node.loss).toBeLessThan(1e-14);
  expect(relDiff(one.gradient, node.gradient)).toBeLessThan(1e-14);
  expect(relDiff(one.hessian, node.hessian)).toBeLessThan(1e-14);
  expect(relDiff(one.hvp, node.hvp)).toBeLessThan(1e-14);
}

describe("threads in Chromium, cross-origin isolated page", () => {
  it("page's main thread: 2 threads split gradient, Hessian and hvp over a Web Worker, equal to one thread within 1e-14", async () => {
    const { out, info, errors } = await run<{ one: Evaluation; two: Evaluation; auto: Evaluation }>(`${isolated.url}threads/main.html`);
    checkSplit(out.one, out.two);
    expect(out.two.blocks).toBe(false); // the page's main thread may not block in Atomics.wait: it spins
    // "auto": every core the browser reports (2 on the test machine)
    expect(out.auto.threads).toBe(out.auto.cores);
    expect(out.auto.split).toBe(out.auto.cores === 2 ? 4 : 0); // 4133 samples split over 2 threads, not over more
    expect(info).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("inside a module Web Worker: the same split (the worker waits with Atomics.wait)", async () => {
    const { out, info, errors } = await run<{ one: Evaluation; two: Evaluation }>(`${isolated.url}threads/inworker.html`);
    checkSplit(out.one, out.two);
    expect(out.two.blocks).toBe(true);
    expect(info).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("failures: a worker's error comes back with its code, a failed worker ends the next call with WORKER, one that cannot start rejects init", async () => {
    type Caught = { mlpgf: boolean; code: string; message: string };
    const { out } = await run<{
      memory: Caught;
      lossAfterError: number;
      splitAfterError: number;
      dead: Caught;
      restarted: boolean;
      lossAfterRestart: number;
      splitAfterRestart: number;
      start: Caught;
      threadsAfterFailedStart: number;
    }>(`${isolated.url}threads/failures.html`);
    expect(out.memory).toMatchObject({ mlpgf: true, code: "MEMORY", message: expect.stringMatching(/cannot reserve .* for the network/) });
    // the pool goes on after an error reply; a lane marked dead fails the call at once (no hang) and init restarts it
    const node = nodeEvaluation();
    expect(out.splitAfterError).toBe(1);
    expect(Math.abs(out.lossAfterError - node.loss) / node.loss).toBeLessThan(1e-14);
    expect(out.dead).toMatchObject({ mlpgf: true, code: "WORKER", message: expect.stringContaining("boom") });
    expect(out.restarted).toBe(true);
    expect(out.splitAfterRestart).toBe(1);
    expect(out.lossAfterRestart).toBe(out.lossAfterError);
    expect(out.start).toMatchObject({ mlpgf: true, code: "WORKER", message: expect.stringContaining("could not start") });
    expect(out.threadsAfterFailedStart).toBe(1);
  });
});

describe("threads in Chromium, page not cross-origin isolated", () => {
  it('threads: 2 runs one thread and says why in exactly one line; "auto" is one thread, silently', async () => {
    const { out, info, errors } = await run<{ two: Evaluation; again: Evaluation; auto: Evaluation }>(`${plain.url}threads/notice.html`);
    expect(out.two.isolated).toBe(false);
    expect([out.two.threads, out.two.split, out.again.threads, out.again.split, out.auto.threads, out.auto.split]).toEqual([
      1, 0, 1, 0, 1, 0,
    ]);
    expect(info).toHaveLength(1);
    expect(info[0]).toMatch(
      /^mlp-gradient-flow: threads = 2 .*not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp.*one thread per evaluation$/,
    );
    const node = nodeEvaluation();
    expect(Math.abs(out.two.loss - node.loss) / node.loss).toBeLessThan(1e-14);
    expect(errors).toEqual([]);
  });
});
