import { MLPGFError } from "../errors.js";
import { PARALLEL_MIN_SAMPLES, type WasmSource, getEngine, isNode, loadEngine, wasmModule } from "./kernels.js";
import { InitOptionsSchema } from "../options/init.js";
import { parseOptions } from "../options/parse.js";
import { startThreadPool } from "./threadpool.js";
import { webThreadsUnavailable } from "./webpool.js";

/** Options of {@link init}. */
export interface InitOptions {
  /**
   * How many threads one evaluation (loss, gradient, Hessian, Hessian-vector product) of a `Net` may
   * use: the samples are split over `threads − 1` worker threads and the calling thread, and the
   * partial sums are added in a fixed order, so results are deterministic and equal to the one-thread
   * results within 1e-14 relative. Only networks with at least {@link PARALLEL_MIN_SAMPLES} samples per
   * thread split (below that one thread is faster). Default 1; `"auto"`: every core.
   *
   * Node: worker threads. Browsers: module Web Workers, only on a cross-origin isolated page
   * (`crossOriginIsolated`: served with `Cross-Origin-Opener-Policy: same-origin` and
   * `Cross-Origin-Embedder-Policy: require-corp`), on the page's main thread or inside a Web Worker;
   * `"auto"` is `navigator.hardwareConcurrency` there and 1 elsewhere; a number above 1 on a page
   * that is not isolated prints a one-line notice (`console.info`) and uses one thread.
   *
   * Calling `init` again with another value changes it for later evaluations (and restarts threads
   * that failed). `trainMany` workers always use one thread each.
   */
  threads?: number | "auto";
  /** @internal The worker script of the evaluation threads (default: `sliceworker.js` / `websliceworker.js` next to this module). */
  workerUrl?: URL;
}

/**
 * Loads the WebAssembly engine. Call once before anything else; later calls only apply `threads`.
 *
 * @param source - where to find `kernels.wasm`: a URL, a file path (Node) or URL string (browser),
 *   the bytes, or a compiled `WebAssembly.Module`. Default: next to the package entry,
 *   `kernels.relaxed.wasm` (fused multiply-add in the matrix products) where the engine supports
 *   relaxed SIMD, else `kernels.wasm` (SIMD128); both give the same results within 1e-14 relative.
 * @param options - `threads`: threads per evaluation (see {@link InitOptions}).
 */
export function init(source?: WasmSource, given?: InitOptions): Promise<void> {
  let options: InitOptions;
  try {
    options = parseOptions(InitOptionsSchema, given, "init"); // the schema of src/options/init.ts: own keys, each read once
  } catch (e) {
    return Promise.reject(e);
  }
  const loading = loadEngine(source);
  const { threads, workerUrl } = options;
  if (threads === undefined) return loading;
  return loading.then(() => setThreads(threads, workerUrl));
}

/** True once the notice that a browser page cannot use threads has been printed. */
let noticed = false;

/** Starts (or stops) the evaluation threads so that one evaluation uses `threads` threads. */
async function setThreads(threads: number | "auto", workerUrl?: URL): Promise<void> {
  const e = getEngine();
  const unavailable = isNode ? null : webThreadsUnavailable();
  const n = threads === "auto" ? (unavailable ? 1 : await cores()) : threads;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 256) {
    throw new MLPGFError(
      "OPTION",
      `init: threads must be an integer in 1..256 or "auto", got ${typeof threads === "number" ? threads : JSON.stringify(threads)}`,
    );
  }
  if (unavailable && n > 1 && !noticed) {
    noticed = true;
    console.info(`mlp-gradient-flow: threads = ${n} needs Web Workers with shared memory, but ${unavailable}; one thread per evaluation`);
  }
  const want = unavailable ? 0 : n - 1;
  if ((e.pool?.size ?? 0) === want && !e.pool?.broken) return;
  const old = e.pool;
  e.pool = null;
  await old?.terminate();
  if (want > 0) e.pool = await startThreadPool(wasmModule(), want, workerUrl);
}

/** Threads one evaluation uses (1 + the pool's workers). */
export function threadCount(): number {
  return 1 + (getEngine().pool?.size ?? 0);
}

/** Every core: the available parallelism (Node) or `navigator.hardwareConcurrency` (browsers). */
async function cores(): Promise<number> {
  if (!isNode) return Math.max(1, (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1);
  const os = await import("node:os");
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}
