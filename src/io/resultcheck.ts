import { MLPGFError } from "../errors.js";
import type { TrainResult } from "../train/result.js";
import type { TrajectoryPoint } from "../train/trajectory.js";

/** Fields of a {@link TrainResult} that are parameter vectors. */
export const VECTOR_FIELDS = ["x", "init", "odeX"] as const;

/**
 * Checks that a decoded object has the shape of a {@link TrainResult} (the vectors are Float64Arrays
 * of one length, the trajectory points have a time and such a vector, the loss curve is numeric) and
 * returns it typed. Other fields are kept as they are.
 */
export function asTrainResult(v: unknown, where: string): TrainResult {
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new MLPGFError("VALUE", `${where}: expected a result object, got ${typeof v}`);
  const r = v as Record<string, unknown>;
  const P = r.x instanceof Float64Array ? r.x.length : -1;
  for (const k of VECTOR_FIELDS) {
    const a = r[k];
    if (!(a instanceof Float64Array) || a.length !== P) throw new MLPGFError("VALUE", `${where}: "${k}" must be a Float64Array of the length of "x"`);
  }
  if (typeof r.loss !== "number") throw new MLPGFError("VALUE", `${where}: "loss" must be a number`);
  if (r.weights !== null && r.weights !== undefined && !(r.weights instanceof Float64Array)) throw new MLPGFError("VALUE", `${where}: "weights" must be a Float64Array or null`);
  if (r.weights === undefined) r.weights = null;
  const traj = r.trajectory;
  if (!Array.isArray(traj)) throw new MLPGFError("VALUE", `${where}: "trajectory" must be an array`);
  traj.forEach((p: unknown, i) => {
    const q = p as Partial<TrajectoryPoint> | null;
    if (!q || typeof q.t !== "number" || !(q.x instanceof Float64Array) || q.x.length !== P) {
      throw new MLPGFError("VALUE", `${where}: trajectory[${i}] must be { t: number, x: Float64Array(${P}) }`);
    }
  });
  if (!Array.isArray(r.lossCurve) || r.lossCurve.some((a) => typeof a !== "number")) throw new MLPGFError("VALUE", `${where}: "lossCurve" must be an array of numbers`);
  return r as unknown as TrainResult;
}
