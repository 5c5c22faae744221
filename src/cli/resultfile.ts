import { writeFile, readFile } from "node:fs/promises";
import type { TrainResult } from "../train/result.js";
import type { Config } from "./config.js";
import { UsageError } from "./usererror.js";

/**
 * What `mlpgf train` writes: the training result plus what `mlpgf report` needs to describe and
 * rebuild the run (extra fields, kept by the result-file codecs).
 */
export interface RunRecord extends TrainResult {
  /** The config of the run (data paths absolute, student seed resolved). */
  config: Config;
  /** One-line descriptions of network and data. */
  description: { network: string; data: string };
  /** Eigenvalues (ascending) of the Hessian at `x`, when P ≤ {@link SPECTRUM_MAX_P}. */
  hessianEigenvalues?: Float64Array;
  /** True when the run was stopped by Ctrl-C (SIGINT). */
  interrupted?: boolean;
}

/** Largest parameter count for which the Hessian spectrum is computed and stored. */
export const SPECTRUM_MAX_P = 2000;

/** Writes a run record as JSON or .npz (by the extension of `path`). */
export async function writeRun(path: string, run: RunRecord): Promise<void> {
  // interim JSON codec until the io branch's saveResult lands
  if (!/\.json$/i.test(path)) throw new UsageError(`-o ${path}: expected a .json file`);
  await writeFile(path, JSON.stringify(run, (_k, v) => (v instanceof Float64Array ? Array.from(v) : v)));
}

/** Reads a run record written by {@link writeRun} (or any result file with a `config`). */
export async function readRun(path: string): Promise<RunRecord> {
  const r = JSON.parse(await readFile(path, "utf8")) as RunRecord;
  for (const k of ["x", "init", "odeX"] as const) r[k] = Float64Array.from(r[k]);
  r.trajectory = r.trajectory.map((p) => ({ ...p, x: Float64Array.from(p.x) }));
  if (r.hessianEigenvalues) r.hessianEigenvalues = Float64Array.from(r.hessianEigenvalues);
  return r;
}
