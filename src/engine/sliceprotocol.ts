// Messages between a network's Workspace and the worker threads that evaluate slices of its samples
// (src/engine/samplesplit.ts ↔ src/engine/sliceworker.ts, through src/engine/threadpool.ts).
import type { LayerPlan } from "./plan.js";
import type { Data } from "./workspace.js";

/** An evaluation of one slice: Σ_n ℓ_n over its samples and its gradient, Hessian or Hessian-vector product. */
export type SliceEvaluation = { op: "lossGrad"; grad: boolean } | { op: "hessian" } | { op: "hvp"; v: Float64Array };

/** What a worker is asked to do. */
export type SliceRequest =
  /** Build a workspace for slice `id` (a network's samples [start, end)). */
  | { op: "create"; id: number; layers: readonly LayerPlan[]; din: number; data: Data }
  /** Evaluate slice `id` at x, after replacing its data or weights when they changed. */
  | ({ id: number; x: Float64Array; data?: Data; weights?: Float64Array | null } & SliceEvaluation)
  /** Free slice `id` (no reply). */
  | { op: "release"; id: number };

/** A worker's answer: the slice's Σ_n ℓ_n and the vector or matrix asked for, or the error it raised. */
export interface SliceReply {
  loss?: number;
  values?: Float64Array | null;
  error?: { code: string; message: string };
}

/**
 * Messages to a browser evaluation thread (src/engine/websliceworker.ts): first the engine and its
 * reply buffer, then requests, each with a larger reply buffer when its answer would not fit.
 */
export type ToWebSliceWorker = { module: WebAssembly.Module; reply: SharedArrayBuffer } | { req: SliceRequest; reply?: SharedArrayBuffer };

/** A browser evaluation thread's answer to its setup message (requests are answered in the reply buffer). */
export interface WebSliceReady {
  ready: boolean;
  error?: string;
}
