import type { RunRecord } from "../cli/resultfile.js";
import type { Config } from "../cli/config.js";

/** Messages from the sweep runner to one of its worker threads. */
export type ToSweepWorker =
  | { type: "init"; wasm: WebAssembly.Module }
  | { type: "run"; id: string; config: Config }
  | { type: "abort" }
  | { type: "close" };

/** Messages from a sweep worker thread to the runner. */
export type FromSweepWorker =
  | { type: "ready"; error?: { code: string; message: string } }
  | { type: "result"; id: string; record: RunRecord; seconds: number }
  | { type: "failed"; id: string; error: { code: string; message: string }; seconds: number }
  | { type: "aborted"; id: string };
