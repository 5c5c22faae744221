import type { HagerZhang } from "./linesearch.js";
import type { Monitor } from "./monitor.js";
import { allFinite, dot, normInf, sameValues } from "./vector.js";

/** The inverse-Hessian approximation M of a quasi-Newton method, as {@link quasiNewtonStep} uses it. */
export interface InverseHessian {
  /** d ← −M·g. */
  direction(d: Float64Array, g: Float64Array): void;
  /** True while M is the initial approximation (no curvature pair in use). */
  fresh(): boolean;
  /** M ← the initial approximation. */
  reset(): void;
}

/**
 * The line-search part of one BFGS / L-BFGS iteration: a Hager–Zhang search along d = −M·g (first
 * trial α = 1, or a step moving x by at most 1 in every coordinate while M is fresh); if it fails with
 * an updated M, M is reset and the search retried once. Returns f at the accepted point, written with
 * its gradient into xNew and gNew; or null after stopping the monitor (no step, a non-finite point, or
 * a step too small to change x).
 */
export function quasiNewtonStep(
  mon: Monitor,
  ls: HagerZhang,
  M: InverseHessian,
  x: Float64Array,
  f: number,
  g: Float64Array,
  d: Float64Array,
  xNew: Float64Array,
  gNew: Float64Array,
): number | null {
  let alpha = 0;
  for (;;) {
    M.direction(d, g);
    const dphi0 = dot(g, d);
    if (dphi0 < 0) {
      alpha = ls.search(mon, x, d, f, dphi0, M.fresh() ? Math.min(1, 1 / normInf(d)) : 1);
      if (alpha > 0 || ls.status === "non-finite") break;
    }
    if (M.fresh()) break;
    M.reset();
  }
  if (alpha === 0) {
    mon.stop(ls.status === "non-finite" ? "non-finite objective" : "line search failed");
    return null;
  }
  const fNew = ls.take(alpha, xNew, gNew);
  if (!Number.isFinite(fNew) || !allFinite(gNew)) {
    mon.stop("non-finite objective");
    return null;
  }
  if (sameValues(xNew, x)) {
    mon.stop("no progress");
    return null;
  }
  return fNew;
}
