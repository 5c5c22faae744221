import type { NetSpec } from "./netspec.js";
import type { ProgressInfo } from "./options.js";
import type { TrainResult } from "./result.js";

/** Messages from `trainMany` to a worker. */
export type ToWorker =
  | { type: "init"; wasm: WebAssembly.Module; net: NetSpec; opts: Record<string, unknown>; progress: boolean }
  | { type: "run"; index: number; x0: unknown }
  | { type: "abort" }
  | { type: "close" };

/** Messages from a worker to `trainMany`. */
export type FromWorker =
  | { type: "ready" }
  | { type: "progress"; index: number; info: ProgressInfo }
  | { type: "result"; index: number; result: TrainResult }
  | { type: "failed"; index: number; error: { code: string; message: string } }
  | { type: "closed" };

/** The code and message of any thrown value. */
export function errorInfo(e: unknown): { code: string; message: string } {
  if (e instanceof Error)
    return {
      code: typeof (e as { code?: unknown }).code === "string" ? (e as unknown as { code: string }).code : "ERROR",
      message: e.message,
    };
  return { code: "ERROR", message: String(e) };
}
