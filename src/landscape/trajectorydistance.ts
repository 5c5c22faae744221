import { MLPGFError } from "../errors.js";
import { describe, toVector } from "../api/matrix.js";
import { weightnormOf } from "../api/regularizers.js";
import type { TrainResult } from "../train/result.js";

/** A trajectory: a `TrainResult` (its `trajectory` is used) or points `{ t, x }` in increasing t. */
export type Trajectory = Pick<TrainResult, "trajectory"> | readonly { t: number; x: ArrayLike<number> }[];

/** Result of {@link trajectoryDistance}: one entry per point of the trajectory. */
export interface TrajectoryDistance {
  /** Distance Σ(Δx)²/(2P) (the `weightnorm` of the difference) to the matched reference point. */
  distances: number[];
  /** Time `t` of the matched reference point. */
  refTimes: number[];
  /** Index of the matched reference point in the reference trajectory (0-based). */
  indices: number[];
}

/**
 * Compares a trajectory with a reference trajectory. For each point of `traj`, in order, a greedy
 * forward search walks along `ref` from the previous match while the distance Σ(Δx)²/(2P) does not
 * increase, and takes the last such point as the match (so matches never go back in time).
 *
 * When a match is the reference's last point, `console.warn("reached end of reference")` is called
 * (once per call). Unlike the original, which stops there, the remaining points are still matched
 * (all to the reference's last point), so every array has one entry per point of `traj`.
 *
 * @example
 * ```ts
 * const { distances, refTimes } = trajectoryDistance(resultFast, resultReference);
 * ```
 */
export function trajectoryDistance(traj: Trajectory, ref: Trajectory): TrajectoryDistance {
  const a = points(traj, "trajectoryDistance: traj");
  const r = points(ref, "trajectoryDistance: ref");
  if (r.length === 0) throw new MLPGFError("SHAPE", "trajectoryDistance: the reference trajectory has no points");
  const P = r[0].x.length;
  if (P === 0) throw new MLPGFError("SHAPE", "trajectoryDistance: the reference's points have no parameters");
  for (const [name, list] of [
    ["traj", a],
    ["ref", r],
  ] as const) {
    const bad = list.findIndex((p) => p.x.length !== P);
    if (bad >= 0)
      throw new MLPGFError(
        "SHAPE",
        `trajectoryDistance: ${name} point ${bad} has ${list[bad].x.length} parameters, expected ${P} like the reference's first point`,
      );
  }
  const out: TrajectoryDistance = { distances: [], refTimes: [], indices: [] };
  const diff = new Float64Array(P);
  let j0 = 0;
  let warned = false;
  for (const p of a) {
    let d = Infinity;
    for (let j = j0; j < r.length; j++) {
      for (let i = 0; i < P; i++) diff[i] = r[j].x[i] - p.x[i];
      const dj = weightnormOf(diff);
      if (dj > d) break;
      d = dj;
      j0 = j;
    }
    out.distances.push(d);
    out.refTimes.push(r[j0].t);
    out.indices.push(j0);
    if (j0 === r.length - 1 && !warned) {
      warned = true;
      console.warn("reached end of reference");
    }
  }
  return out;
}

function points(t: Trajectory, name: string): { t: number; x: Float64Array }[] {
  const list = Array.isArray(t) ? t : t && typeof t === "object" && "trajectory" in t ? t.trajectory : undefined;
  if (!Array.isArray(list))
    throw new MLPGFError("SHAPE", `${name}: expected a TrainResult or an array of { t, x } points, got ${describe(t)}`);
  // Array.from, not map: a hole is a missing point, not skipped
  return Array.from(list as unknown[], (p: unknown, i: number) => {
    const q = p as { t?: unknown; x?: unknown };
    if (!q || typeof q !== "object" || typeof q.t !== "number")
      throw new MLPGFError("SHAPE", `${name}: point ${i} must be { t: number, x: parameters }, got ${describe(p)}`);
    if (!Number.isFinite(q.t)) throw new MLPGFError("VALUE", `${name}: point ${i} has time t = ${q.t}; expected a finite number`);
    return { t: q.t, x: toVector(q.x, `${name}: point ${i} x`) };
  });
}
