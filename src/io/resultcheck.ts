import { MLPGFError } from "../errors.js";
import { resolveActivation } from "../api/activations.js";
import { describe } from "../api/matrix.js";
import type { TrainResult } from "../train/result.js";
import type { TrajectoryPoint } from "../train/trajectory.js";

/** Fields of a {@link TrainResult} that are parameter vectors. */
export const VECTOR_FIELDS = ["x", "init", "odeX"] as const;

/** Scalar fields of a {@link TrainResult} that must be numbers when present (`loss` must be present). */
const NUMBER_FIELDS = [
  "loss",
  "odeLoss",
  "gnorm",
  "gnormRegularized",
  "odeIterations",
  "optimIterations",
  "odeTimeRun",
  "optimTimeRun",
  "totalTime",
] as const;

/**
 * Checks that a decoded object has the shape of a {@link TrainResult} (the vectors are Float64Arrays
 * of one length, the scalars numbers, `converged` a boolean, the trajectory points have a time and
 * such a vector, the loss curve is numeric) and returns it typed. Other fields are kept as they are.
 * @throws MLPGFError `FORMAT` naming the first field that is wrong.
 */
export function asTrainResult(v: unknown, where: string): TrainResult {
  const bad = (what: string): never => {
    throw new MLPGFError("FORMAT", `${where}: ${what}`);
  };
  if (!v || typeof v !== "object" || Array.isArray(v) || ArrayBuffer.isView(v)) bad(`expected a result object, got ${describe(v)}`);
  const r = v as Record<string, unknown>;
  const P = r.x instanceof Float64Array ? r.x.length : -1;
  for (const k of VECTOR_FIELDS) {
    const a = r[k];
    if (!(a instanceof Float64Array) || a.length !== P) bad(`"${k}" must be a Float64Array of the length of "x"`);
  }
  if (typeof r.loss !== "number") bad(`"loss" must be a number`);
  for (const k of NUMBER_FIELDS) if (r[k] !== undefined && typeof r[k] !== "number") bad(`"${k}" must be a number, got ${describe(r[k])}`);
  if (r.converged !== undefined && typeof r.converged !== "boolean") bad(`"converged" must be true or false, got ${describe(r.converged)}`);
  if (r.weights !== null && r.weights !== undefined && !(r.weights instanceof Float64Array))
    bad(`"weights" must be a Float64Array or null`);
  if (r.weights === undefined) r.weights = null;
  const traj = r.trajectory;
  if (!Array.isArray(traj)) bad(`"trajectory" must be an array`);
  (traj as unknown[]).forEach((p: unknown, i) => {
    const q = p as Partial<TrajectoryPoint> | null;
    if (!q || typeof q !== "object" || typeof q.t !== "number" || !(q.x instanceof Float64Array) || q.x.length !== P) {
      bad(`trajectory[${i}] must be { t: number, x: Float64Array(${P}) }`);
    }
  });
  if (!Array.isArray(r.lossCurve) || r.lossCurve.some((a) => typeof a !== "number")) bad(`"lossCurve" must be an array of numbers`);
  checkLayers(r.layers, bad);
  return r as unknown as TrainResult;
}

/**
 * `layers` of a result: absent or null (a user's model has none), else the network's normalised
 * specs `[width, activation, bias]`, every activation one the package knows (a file naming
 * `"valueOf"` is not a result this package wrote).
 */
function checkLayers(layers: unknown, bad: (what: string) => never): void {
  if (layers === undefined || layers === null) return;
  if (!Array.isArray(layers)) bad(`"layers" must be an array of [width, activation, bias], got ${describe(layers)}`);
  Array.from(layers as unknown[]).forEach((l, i) => {
    if (!Array.isArray(l) || l.length !== 3 || !Number.isInteger(l[0]) || (l[0] as number) < 1 || typeof l[2] !== "boolean")
      bad(`layers[${i}] must be [width ≥ 1, activation, bias], got ${describe(l)}`);
    const acts: unknown[] = Array.isArray(l[1]) ? Array.from(l[1] as unknown[]) : [l[1]];
    for (const a of acts) {
      try {
        resolveActivation(a, `layers[${i}]`);
      } catch (e) {
        bad(e instanceof MLPGFError ? e.message : `layers[${i}]: not an activation`);
      }
    }
  });
}

/**
 * Checks a result given to a writer (`resultToJSON`, `resultToNpz`, `saveResult`) with the rules of
 * {@link asTrainResult}, as a `VALUE` error: it is the caller's argument, not a file, that is wrong.
 */
export function checkResultArgument(result: unknown, where: string): void {
  try {
    asTrainResult(result && typeof result === "object" ? { ...result } : result, where);
  } catch (e) {
    if (e instanceof MLPGFError) throw new MLPGFError("VALUE", e.message);
    throw e;
  }
}
