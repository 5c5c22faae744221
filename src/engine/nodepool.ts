import { MLPGFError, type MLPGFErrorCode } from "../errors.js";
import type { SliceReply, SliceRequest } from "./sliceprotocol.js";
import type { ThreadPool } from "./threadpool.js";

/** Words of a worker's control block: request and reply sequence numbers. */
const REQUEST = 0;
const REPLY = 1;

/** What the pool needs of `node:worker_threads`. */
type WorkerThreads = typeof import("node:worker_threads");

/** One worker: its thread, its message port and its control block in shared memory. */
interface Lane {
  worker: import("node:worker_threads").Worker;
  port: import("node:worker_threads").MessagePort;
  ctrl: Int32Array;
  /** Requests that expect a reply, and replies taken, so far. */
  expected: number;
  received: number;
}

/**
 * The {@link ThreadPool} of Node: worker threads called synchronously. The main thread
 * posts a request on the worker's MessagePort and wakes it through a shared control word
 * (`Atomics.notify`); the worker, blocked in `Atomics.wait`, takes the request with
 * `receiveMessageOnPort`, answers on the port and bumps the reply word; the main thread, blocked in
 * `Atomics.wait` on that word, takes the answer with `receiveMessageOnPort`. No event loop turn is
 * needed on either side, so `net.gradient(x)` stays a synchronous call. Node only.
 *
 * Each worker holds its own WASM instance (the same compiled `kernels.wasm`) with its own copy of its
 * slice of the data: the kernels run unchanged, nothing in WASM memory is shared between threads.
 */
export class NodePool implements ThreadPool {
  private failed = false;

  private constructor(
    private readonly lanes: Lane[],
    private readonly wt: WorkerThreads,
  ) {}

  get size(): number {
    return this.lanes.length;
  }

  get broken(): boolean {
    return this.failed;
  }

  /**
   * Starts `n` workers that instantiate `module` and wait for requests.
   * @param workerUrl - the worker script (`sliceworker.js`).
   */
  static async create(module: WebAssembly.Module, n: number, workerUrl: URL): Promise<NodePool> {
    const wt = await import("node:worker_threads");
    const lanes = await Promise.all(
      Array.from({ length: n }, async () => {
        const ctrl = new Int32Array(new SharedArrayBuffer(8));
        const { port1, port2 } = new wt.MessageChannel();
        const worker = new wt.Worker(workerUrl, { workerData: { module, ctrl, port: port2 }, transferList: [port2] });
        await new Promise<void>((resolve, reject) => {
          worker.once("message", (m: { ready?: boolean; error?: string }) =>
            m.ready ? resolve() : reject(new MLPGFError("WORKER", `an evaluation thread could not start: ${m.error}`)),
          );
          worker.once("error", (e) => reject(new MLPGFError("WORKER", `an evaluation thread could not start: ${e.message}`, { cause: e })));
        });
        worker.unref(); // idle workers never keep the process alive
        return { worker, port: port1, ctrl, expected: 0, received: 0 };
      }),
    );
    const pool = new NodePool(lanes, wt);
    for (const l of lanes) {
      l.worker.on("error", () => (pool.failed = true));
      l.worker.on("exit", () => (pool.failed = true));
    }
    return pool;
  }

  /** Sends `req` to worker `i` and wakes it; its reply is collected by {@link NodePool.wait}. */
  send(i: number, req: SliceRequest): void {
    const lane = this.lanes[i];
    lane.port.postMessage(req);
    Atomics.add(lane.ctrl, REQUEST, 1);
    Atomics.notify(lane.ctrl, REQUEST);
    if (req.op !== "release") lane.expected++;
  }

  /** Blocks until worker `i` has answered its oldest pending request; returns the answer or throws its error. */
  wait(i: number): SliceReply {
    const lane = this.lanes[i];
    if (lane.received >= lane.expected) throw new MLPGFError("WORKER", "internal: waiting for a reply that no request asked for");
    lane.received++;
    for (;;) {
      const seen = Atomics.load(lane.ctrl, REPLY);
      if (seen >= lane.received) break;
      Atomics.wait(lane.ctrl, REPLY, seen);
    }
    let m = this.wt.receiveMessageOnPort(lane.port);
    while (!m) m = this.wt.receiveMessageOnPort(lane.port); // posted before the reply word moved: arrives at once
    const reply = m.message as SliceReply;
    if (reply.error) throw new MLPGFError(reply.error.code as MLPGFErrorCode, reply.error.message);
    return reply;
  }

  /** Stops every worker. */
  terminate(): Promise<void> {
    for (const l of this.lanes) l.worker.removeAllListeners("exit");
    return Promise.all(this.lanes.map((l) => l.worker.terminate())).then(() => undefined);
  }
}
