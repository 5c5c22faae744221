import { isNode } from "./kernels.js";
import { NodePool } from "./nodepool.js";
import type { SliceReply, SliceRequest } from "./sliceprotocol.js";
import { WebPool } from "./webpool.js";

/**
 * Worker threads that evaluate slices of a network's samples for `SampleSplit`, called
 * synchronously: `send` posts a request to worker i, `wait` blocks until worker i has answered.
 * Node: {@link NodePool} (worker_threads); browsers: {@link WebPool} (Web Workers, cross-origin
 * isolated pages only).
 */
export interface ThreadPool {
  /** Number of worker threads (the calling thread is one more). */
  readonly size: number;
  /** True once a worker has failed outside a request: the pool must be started again (`init`). */
  readonly broken: boolean;
  /** Sends `req` to worker `i`; its reply (none for `release`) is collected by {@link ThreadPool.wait}. */
  send(i: number, req: SliceRequest): void;
  /** Blocks until worker `i` has answered its oldest pending request; returns the answer or throws its error. */
  wait(i: number): SliceReply;
  /** Stops every worker. */
  terminate(): Promise<void>;
}

/**
 * Starts `n` workers that instantiate `module` and wait for requests: worker_threads in Node, module
 * Web Workers in a browser (check `webThreadsUnavailable()` first).
 * @param workerUrl - another worker script (tests); default: `sliceworker.js` (Node) or
 *   `websliceworker.js` (browsers) next to this module.
 */
export function startThreadPool(module: WebAssembly.Module, n: number, workerUrl?: URL): Promise<ThreadPool> {
  return isNode
    ? NodePool.create(module, n, workerUrl ?? new URL("./sliceworker.js", import.meta.url))
    : WebPool.create(module, n, workerUrl);
}
