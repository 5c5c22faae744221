import { MLPGFError } from "../errors.js";
import { ReplyBuffer, replyValues } from "./replybuffer.js";
import type { SliceReply, SliceRequest, ToWebSliceWorker, WebSliceReady } from "./sliceprotocol.js";
import type { ThreadPool } from "./threadpool.js";

/** One Web Worker, its reply buffer and its state. */
interface Lane {
  worker: Worker;
  reply: ReplyBuffer;
  /** Requests that expect a reply, and replies taken, so far. */
  expected: number;
  received: number;
  /** Why the worker is unusable (its `error` event), or null. */
  dead: string | null;
}

/**
 * Why this browser context cannot run evaluation threads, or null when it can: Web Workers with
 * shared memory need a cross-origin isolated page (`crossOriginIsolated`, served with the headers
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`).
 */
export function webThreadsUnavailable(): string | null {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown; SharedArrayBuffer?: unknown };
  if (typeof g.Worker !== "function") return "this context has no Web Workers";
  if (g.crossOriginIsolated !== true || typeof g.SharedArrayBuffer !== "function") {
    return "the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)";
  }
  return null;
}

/**
 * The {@link ThreadPool} of browsers: module Web Workers called synchronously. A request goes by
 * `postMessage` (a dedicated worker receives it on its own event loop while the caller is blocked);
 * the worker evaluates it in `onmessage` and writes the answer into its lane's {@link ReplyBuffer}, a
 * SharedArrayBuffer sized by the caller (P doubles for a gradient or Hessian-vector product, P² for a
 * Hessian; a larger one travels with the request that needs it). The caller waits on the reply count:
 * with `Atomics.wait` inside a Web Worker, by spinning on `Atomics.load` on the page's main thread,
 * where `Atomics.wait` is not allowed. The workers are started, and report ready, inside the async
 * `init()`: a browser does not start a worker while the page's main thread is blocked.
 *
 * Spinning costs the page's main thread a core while it waits, and Chrome runs that thread at a higher
 * priority than its workers (Linux: nice −8 against 0): with idle cores this costs nothing, but when
 * other programs keep the cores busy the spinning thread takes CPU time from its own workers (see
 * bench/RESULTS.md). Inside a Web Worker the caller sleeps instead.
 *
 * Failures: an error in a worker (in a request, or uncaught) is written into its reply buffer with its
 * code and thrown by {@link WebPool.wait}; a worker's `error` event marks its lane dead, and the next
 * evaluation fails with `WORKER` at once (the pool is `broken` and `init` starts a new one). A worker
 * that the browser kills outright while the caller waits cannot be noticed: the waiting thread
 * receives no events (in Chrome such a kill, e.g. out of memory, ends the whole page).
 */
export class WebPool implements ThreadPool {
  private constructor(
    private readonly lanes: Lane[],
    /** True where the calling thread may block in `Atomics.wait` (a Web Worker; not the page's main thread). */
    private readonly canBlock: boolean,
  ) {}

  get size(): number {
    return this.lanes.length;
  }

  get broken(): boolean {
    return this.lanes.some((l) => l.dead !== null);
  }

  /**
   * Starts `n` module Web Workers that instantiate `module`; resolves once all report ready, or
   * rejects with `WORKER` (after stopping the others) when one cannot start.
   * @param workerUrl - another worker script (tests); default: `websliceworker.js` next to this module.
   */
  static async create(module: WebAssembly.Module, n: number, workerUrl?: URL): Promise<WebPool> {
    const started = await Promise.allSettled(Array.from({ length: n }, () => startLane(module, workerUrl)));
    const lanes = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const failed = started.find((s) => s.status === "rejected");
    if (failed) {
      for (const l of lanes) l.worker.terminate();
      throw failed.reason;
    }
    return new WebPool(lanes, canBlockHere());
  }

  /** Posts `req` to worker `i`, with a larger reply buffer when its answer needs one. */
  send(i: number, req: SliceRequest): void {
    const lane = this.lanes[i];
    if (req.op !== "release") {
      if (lane.expected > lane.received)
        throw new MLPGFError("WORKER", "internal: a second request to an evaluation thread before its reply");
      lane.expected++;
    }
    if (lane.dead !== null) return; // wait() reports it
    const message: ToWebSliceWorker = { req };
    const need = replyValues(req);
    if (need > lane.reply.capacity) {
      lane.reply = ReplyBuffer.allocate(need, lane.reply.count);
      message.reply = lane.reply.buffer;
    }
    try {
      lane.worker.postMessage(message);
    } catch (e) {
      lane.dead = `a request could not be sent to it: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /** Blocks until worker `i` has answered its pending request; returns the answer (values: a view, valid until the next request) or throws its error. */
  wait(i: number): SliceReply {
    const lane = this.lanes[i];
    if (lane.received >= lane.expected) throw new MLPGFError("WORKER", "internal: waiting for a reply that no request asked for");
    lane.received++;
    const reply = lane.reply;
    for (;;) {
      if (lane.dead !== null) {
        throw new MLPGFError(
          "WORKER",
          `an evaluation thread failed (${lane.dead}); call init(undefined, { threads }) again to restart the threads`,
        );
      }
      const seen = reply.count;
      if (seen >= lane.received) break;
      if (this.canBlock) reply.sleep(seen);
      else while (reply.count === seen); // the page's main thread may not block: spin
    }
    return reply.read();
  }

  terminate(): Promise<void> {
    for (const l of this.lanes) l.worker.terminate();
    return Promise.resolve();
  }
}

/** Starts one worker, sends it the engine and its reply buffer, and waits for its "ready". */
async function startLane(module: WebAssembly.Module, workerUrl?: URL): Promise<Lane> {
  const fail = (why: string, cause?: unknown) => new MLPGFError("WORKER", `an evaluation thread could not start: ${why}`, { cause });
  let worker: Worker;
  try {
    // the literal `new Worker(new URL("…", import.meta.url), { type: "module" })`, so that bundlers find and bundle the script
    worker = workerUrl
      ? new Worker(workerUrl, { type: "module" })
      : new Worker(new URL("./websliceworker.js", import.meta.url), { type: "module" });
  } catch (e) {
    throw fail(e instanceof Error ? e.message : String(e), e);
  }
  const lane: Lane = { worker, reply: ReplyBuffer.allocate(0), expected: 0, received: 0, dead: null };
  try {
    await new Promise<void>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<WebSliceReady>) => (e.data?.ready ? resolve() : reject(fail(String(e.data?.error))));
      worker.onerror = (e: Event) => {
        e.preventDefault();
        reject(fail(e instanceof ErrorEvent && e.message ? e.message : "its script could not be loaded or run"));
      };
      worker.postMessage({ module, reply: lane.reply.buffer } satisfies ToWebSliceWorker);
    });
  } catch (e) {
    worker.terminate();
    throw e;
  }
  worker.onmessage = null;
  worker.onerror = (e: Event) => {
    lane.dead = e instanceof ErrorEvent && e.message ? e.message : "it raised an error";
  };
  return lane;
}

/** True where this thread may block in `Atomics.wait` (it throws on a page's main thread). */
function canBlockHere(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0); // not equal: returns at once
    return true;
  } catch {
    return false;
  }
}
