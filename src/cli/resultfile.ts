import { loadResult, saveResult } from "../io/file.js";
import type { TrainResult } from "../train/result.js";
import type { Config } from "./config.js";
import type { EndpointRecord } from "./endpoint.js";

/**
 * What `mlpgf train` writes: the training result plus what `mlpgf report` needs to describe and
 * rebuild the run (extra fields, kept by the result-file codecs of `saveResult`).
 */
export interface RunRecord extends TrainResult {
  /** The config of the run (data paths absolute, student seed resolved). */
  config?: Config;
  /** One-line descriptions of network and data. */
  description?: { network: string; data: string };
  /** Eigenvalues (ascending) of the Hessian at `x`, when P ≤ 2000 (`SPECTRUM_MAX_P`). */
  hessianEigenvalues?: Float64Array;
  /** Where the run ended (class, tolerances, channels, teacher check), when P ≤ 2000 (`SPECTRUM_MAX_P`). */
  endpoint?: EndpointRecord;
  /** True when the run was stopped by Ctrl-C (SIGINT). */
  interrupted?: boolean;
}

/** Largest parameter count for which the Hessian spectrum is computed and stored. */
export const SPECTRUM_MAX_P = 2000;

/** Writes a run record as JSON or .npz (by the extension of `path`; other extensions: JSON). */
export async function writeRun(path: string, run: RunRecord): Promise<void> {
  await saveResult(path, run, { format: /\.npz$/i.test(path) ? "npz" : "json" });
}

/** Reads a run record written by {@link writeRun}, or any result file of `saveResult`. */
export async function readRun(path: string): Promise<RunRecord> {
  return (await loadResult(path)) as RunRecord;
}
