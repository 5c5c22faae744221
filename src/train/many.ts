import { MLPGFError } from "../errors.js";
import { show } from "../util/show.js";
import { describe } from "../api/matrix.js";
import { isNode, wasmModule } from "../engine/kernels.js";
import { parseOptions } from "../options/parse.js";
import { TrainOptionsSchema, storedTrainOptions } from "../options/train.js";
import { type TrainManyOptions, TrainManyOptionsSchema } from "../options/trainmany.js";
import { describeNet } from "./netspec.js";
import type { TwiceDifferentiableModel } from "../model.js";
import type { ProgressInfo, TrainOptions } from "./options.js";

export type { TrainManyOptions } from "../options/trainmany.js";
import type { TrainResult } from "./result.js";
import { type FromWorker, type ToWorker, errorInfo } from "./workerprotocol.js";

/** What `onProgress` receives from {@link trainMany}: the usual report plus the index of the start. */
export interface ManyProgressInfo extends ProgressInfo {
  /** Index of the start (in `x0s`) the report is about. */
  start: number;
}

/** The two worker APIs behind one face. */
interface AnyWorker {
  post(m: ToWorker): void;
  terminate(): void;
}

/**
 * Trains independent starts in parallel: worker threads in Node, Web Workers in browsers (one worker
 * script, `worker.js`). Each worker rebuilds the network from a plain description (a `Net`'s layers
 * and data, or a `NetI`'s teacher and student layers), loads the engine from the already compiled
 * WebAssembly module, trains its share of the starts one after another and disposes its network.
 *
 * Results come in the order of `x0s` and equal sequential `train(net, x0s[i], opts)` (bitwise for
 * deterministic methods; the time fields differ). A start that fails (x0 of the wrong length, NaN
 * entries, an invalid option, a crashed worker) gets a result with `error: { code, message }`, NaN
 * numbers, empty trajectory, `x` = `init` = the start as given (empty if unusable), without affecting
 * the others. `opts.signal` aborts every run (each returns its best point, "aborted"); `opts.onProgress`
 * receives the reports of all workers with the start index added ({@link ManyProgressInfo}).
 * `checkpoint` and `resume` are not supported here. An exception of `onProgress` (or the rejection
 * of an async one) ends the call with that exception, unchanged.
 *
 * @param net - a `Net` (with data) or `NetI`; call `init()` first. A user objective is `VALUE`:
 * functions cannot be sent to a worker (train it with `train`).
 * @param x0s - start points.
 * @param opts - options of {@link train} for every start.
 * @param many - `{ workers }`.
 * @example
 * ```ts
 * const starts = [1, 2, 3, 4].map((seed) => net.randomParams({ seed }));
 * const results = await trainMany(net, starts, { maxtimeOde: 60 }, { workers: 2 });
 * const best = results.filter((r) => !r.error).sort((a, b) => a.loss - b.loss)[0];
 * ```
 */
export async function trainMany(
  net: TwiceDifferentiableModel,
  x0s: readonly ArrayLike<number>[],
  opts: TrainOptions = {},
  many: TrainManyOptions = {},
): Promise<TrainResult[]> {
  if (!Array.isArray(x0s)) throw new MLPGFError("VALUE", `trainMany: x0s must be an array of start points, got ${describe(x0s)}`);
  opts = parseOptions(TrainOptionsSchema, opts, "trainMany");
  if (opts.checkpoint !== undefined || opts.resume !== undefined)
    throw new MLPGFError("OPTION", "trainMany: checkpoint and resume are not supported (use train for a resumable run)");
  many = parseOptions(TrainManyOptionsSchema, many, "trainMany (fourth argument)");
  const spec = describeNet(net);
  const wasm = wasmModule();
  try {
    for (let i = 0; i < x0s.length; i++) checkStart(x0s[i], i); // a loop, not forEach: a hole is a missing start
  } catch (e) {
    if (e instanceof MLPGFError) throw e;
    throw new MLPGFError("VALUE", `trainMany: reading the start points threw (${errorInfo(e).message})`, { cause: e });
  }
  if (x0s.length === 0) return [];
  const nWorkers = Math.min(x0s.length, many.workers ?? (await parallelism()));
  const sendable = storedTrainOptions(opts);
  const results: (TrainResult | null)[] = x0s.map(() => null);
  const queue = x0s.map((_, i) => i);
  const signal = opts.signal;
  const url = many.workerUrl ?? new URL("./worker.js", import.meta.url);

  return new Promise<TrainResult[]>((resolve, reject) => {
    const workers: AnyWorker[] = [];
    let alive = 0;
    let finished = false;
    /** Ends the whole call with `error` (a message that could not be sent, a throwing onProgress). */
    const failAll = (error: unknown) => {
      if (finished) return;
      finished = true;
      signal?.removeEventListener("abort", onAbort);
      for (const w of workers) w?.terminate();
      reject(error);
    };
    /** Posts m to w; a message that cannot be sent (structured clone) ends the call with `WORKER`. */
    const post = (w: AnyWorker, m: ToWorker) => {
      try {
        w.post(m);
      } catch (e) {
        failAll(
          new MLPGFError("WORKER", `trainMany: a "${m.type}" message could not be sent to a worker: ${errorInfo(e).message}`, { cause: e }),
        );
      }
    };
    const onAbort = () => workers.forEach((w) => post(w, { type: "abort" }));
    const finish = () => {
      if (finished || results.some((r) => r === null)) return;
      finished = true;
      signal?.removeEventListener("abort", onAbort);
      for (const w of workers) post(w, { type: "close" });
      resolve(results as TrainResult[]);
    };
    const fail = (i: number, error: { code: string; message: string }) => {
      if (results[i] === null) results[i] = failedResult(x0s[i], error);
    };
    const start = (id: number) => {
      let current = -1;
      const next = (w: AnyWorker) => {
        const i = queue.shift();
        if (i === undefined) return;
        current = i;
        post(w, { type: "run", index: i, x0: x0s[i] });
      };
      const onMessage = (w: AnyWorker, m: FromWorker) => {
        switch (m.type) {
          case "ready":
            if (signal?.aborted) post(w, { type: "abort" });
            return next(w);
          case "progress":
            try {
              const returned: unknown = opts.onProgress?.({ ...m.info, start: m.index } as ManyProgressInfo);
              // an async callback's rejection ends the call too (never an unhandled rejection)
              if (returned && typeof (returned as PromiseLike<unknown>).then === "function")
                (returned as PromiseLike<unknown>).then(undefined, failAll);
            } catch (e) {
              failAll(e); // as in train: an exception of the callback ends the call
            }
            return;
          case "result":
          case "failed":
            if (m.type === "result") results[m.index] = m.result;
            else fail(m.index, m.error);
            current = -1;
            next(w);
            return finish();
          case "closed":
            w.terminate();
            return;
        }
      };
      const onDeath = (error: { code: string; message: string }) => {
        alive--;
        if (current >= 0) fail(current, error);
        current = -1;
        if (alive === 0) for (const i of queue.splice(0)) fail(i, error);
        finish();
      };
      makeWorker(url, onMessage, onDeath)
        .then((w) => {
          workers[id] = w;
          if (finished) return w.terminate();
          post(w, { type: "init", wasm, net: spec, opts: sendable, progress: typeof opts.onProgress === "function" });
        })
        .catch((e: unknown) => onDeath({ code: "WORKER", message: `trainMany: a worker could not be created: ${errorInfo(e).message}` }));
    };
    alive = nWorkers;
    signal?.addEventListener("abort", onAbort);
    for (let id = 0; id < nWorkers; id++) start(id);
  });
}

/** Creates a worker running `url`, in Node (worker_threads) or a browser (module Web Worker). */
async function makeWorker(
  url: URL,
  onMessage: (w: AnyWorker, m: FromWorker) => void,
  onDeath: (e: { code: string; message: string }) => void,
): Promise<AnyWorker> {
  let dead = false;
  const die = (e: { code: string; message: string }) => {
    if (!dead) {
      dead = true;
      onDeath(e);
    }
  };
  if (isNode) {
    const { Worker } = await import("node:worker_threads");
    const w = new Worker(url);
    const any: AnyWorker = { post: (m) => w.postMessage(m), terminate: () => void w.terminate() };
    let closed = false;
    w.on("message", (m: FromWorker) => {
      if (m.type === "closed") closed = true;
      onMessage(any, m);
    });
    w.on("error", (e) => die({ code: "WORKER", message: `trainMany: a worker failed: ${e.message}` }));
    w.on("exit", (code) => closed || die({ code: "WORKER", message: `trainMany: a worker exited with code ${code}` }));
    return any;
  }
  const w = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  const any: AnyWorker = { post: (m) => w.postMessage(m), terminate: () => w.terminate() };
  w.onmessage = (e: MessageEvent) => onMessage(any, e.data as FromWorker);
  w.onerror = (e: ErrorEvent) => die({ code: "WORKER", message: `trainMany: a worker failed: ${e.message}` });
  return any;
}

/** Default worker count: the available parallelism (Node) or hardwareConcurrency (browser). */
async function parallelism(): Promise<number> {
  if (isNode) {
    const os = await import("node:os");
    return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  }
  return Math.max(1, (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2);
}

/**
 * Checks that start i is an array of numbers or a numeric typed array, so that it can be sent to a
 * worker (a Symbol entry cannot be cloned). Its length and finiteness are checked by `train` in the
 * worker: such a start fails alone, with an error in its result.
 */
function checkStart(x: unknown, i: number): void {
  const what = `trainMany: x0s[${i}] must be an array of numbers or a Float64Array`;
  if (x instanceof BigInt64Array || x instanceof BigUint64Array) throw new MLPGFError("VALUE", `${what}, got a ${x.constructor.name}`);
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return;
  if (!Array.isArray(x)) throw new MLPGFError("VALUE", `${what}, got ${describe(x)}`);
  for (let j = 0; j < x.length; j++) {
    if (typeof x[j] !== "number") throw new MLPGFError("VALUE", `${what}; its entry ${j} is ${show(x[j])}`);
  }
}

/**
 * The result of a start that failed: NaN numbers, `x` = `init` = the start as given (empty if it is
 * not a list of numbers), empty trajectory, and `error`. Also used by the sweep runner for failed runs.
 */
export function failedResult(x0: unknown, error: { code: string; message: string }): TrainResult {
  let x: Float64Array;
  try {
    x = Float64Array.from(x0 as ArrayLike<number>);
  } catch {
    x = new Float64Array(0);
  }
  return {
    loss: NaN,
    x,
    init: x.slice(),
    odeX: x.slice(),
    odeLoss: NaN,
    gnorm: NaN,
    gnormRegularized: NaN,
    converged: false,
    odeStoppedBy: "",
    optimStoppedBy: "",
    odeStop: null,
    optimStop: null,
    evaluations: { loss: NaN, gradient: NaN, hessian: NaN },
    odeIterations: 0,
    optimIterations: 0,
    odeTimeRun: 0,
    optimTimeRun: 0,
    totalTime: 0,
    trajectory: [],
    lossCurve: [],
    layers: undefined,
    weights: null,
    error,
  };
}
