import { type Steps, runSteps } from "../util/steps.js";
import { Cholesky } from "../engine/cholesky.js";
import { MLPGFError } from "../errors.js";
import { Monitor } from "./monitor.js";
import { MoreSorensen, type SubproblemOptions } from "./moresorensen.js";
import type { Objective, OptimOptions, OptimResult } from "./types.js";
import { addScaled, allFinite, norm2, sameValues } from "./vector.js";

/** Options of the Newton trust-region method (`minimize(…, "newtonTrustRegion", opts)`; defaults of Optim.jl's `NewtonTrustRegion`). */
export interface TrustRegionOptions extends OptimOptions {
  /** Initial radius Δ₀. Default 1. */
  initialRadius?: number;
  /** Largest radius. Default 100. */
  maxRadius?: number;
  /** Accept a step when ρ = actual / predicted reduction > eta. Default 0.1. */
  eta?: number;
  /** Shrink Δ to rhoLower·‖p‖ when ρ < rhoLower. Default 0.25. */
  rhoLower?: number;
  /** Double Δ (up to maxRadius) when ρ > rhoUpper and the step reached the boundary. Default 0.75. */
  rhoUpper?: number;
  /** Moré–Sorensen parameters. */
  subproblem?: SubproblemOptions;
}

/**
 * Predicted reductions below this fraction of |f| are at the level of rounding in f(x + p) − f(x):
 * such a step is judged by the gradient norm instead (accepted when ‖∇f‖ decreases and f does not
 * increase by more than this fraction of |f|), so that the method still converges to machine
 * precision where f itself can no longer resolve progress.
 */
const ROUNDING_LEVEL = 1e-12;

/**
 * Newton's method with a trust region and the exact Hessian (Optim.jl's `NewtonTrustRegion`): the
 * step minimises the quadratic model within ‖p‖ ≤ Δ (Moré–Sorensen, which handles indefinite
 * Hessians and the hard case, so the method escapes saddles even when ∇f is orthogonal to the
 * negative-curvature directions). ρ = (f(x + p) − f(x)) / m(p); accept if ρ > eta; Δ ← rhoLower·‖p‖
 * if ρ < rhoLower, Δ ← min(2Δ, maxRadius) if ρ > rhoUpper on the boundary. A non-finite trial is a
 * rejected step. Every subproblem counts as an iteration (accepted or not).
 */
export function* newtonTrustRegionSteps(obj: Objective, x0: ArrayLike<number>, opts: TrustRegionOptions = {}): Steps<OptimResult> {
  const radius0 = opts.initialRadius ?? 1;
  const maxRadius = opts.maxRadius ?? 100;
  const eta = opts.eta ?? 0.1;
  const rhoLower = opts.rhoLower ?? 0.25;
  const rhoUpper = opts.rhoUpper ?? 0.75;
  if (!(radius0 > 0 && radius0 <= maxRadius))
    throw new MLPGFError("VALUE", `trust region: need 0 < initialRadius ≤ maxRadius, got ${String(radius0)} and ${String(maxRadius)}`);
  if (!(eta >= 0 && eta < rhoLower && rhoLower < rhoUpper && rhoUpper < 1)) {
    throw new MLPGFError(
      "VALUE",
      `trust region: need 0 ≤ eta < rhoLower < rhoUpper < 1, got ${String(eta)}, ${String(rhoLower)}, ${String(rhoUpper)}`,
    );
  }
  const mon = new Monitor(obj, x0, opts);
  const n = mon.n;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const H = new Float64Array(n * n);
  const xt = new Float64Array(n);
  const gt = new Float64Array(n);
  const chol = new Cholesky(n);
  try {
    const sub = new MoreSorensen(chol, opts.subproblem);
    let f = mon.fgh(x, g, H);
    if (!Number.isFinite(f) || !allFinite(g)) {
      mon.stop("non-finite objective");
      return mon.result();
    }
    let delta = radius0;
    let trialFinite = true; // false after a rejected non-finite trial
    while (!mon.atIterate(x, f, g)) {
      yield;
      if (!allFinite(H)) {
        mon.stop("non-finite Hessian");
        break;
      }
      sub.solve(H, g, delta);
      const m = sub.model;
      const pn = norm2(sub.p);
      addScaled(xt, x, 1, sub.p);
      if (!(m < 0) || sameValues(xt, x)) {
        mon.stop(trialFinite ? "no progress" : "non-finite objective");
        break;
      }
      const ft = mon.fg(xt, gt);
      mon.iterations++;
      const rho = reductionRatio(f, g, ft, gt, m);
      if (rho < rhoLower) delta = rhoLower * pn;
      else if (rho > rhoUpper && pn >= 0.9 * delta) delta = Math.min(2 * delta, maxRadius);
      if (rho > eta) {
        x.set(xt);
        f = mon.fgh(x, g, H);
        if (!Number.isFinite(f) || !allFinite(g)) {
          mon.stop("non-finite objective");
          break;
        }
      } else if (!(delta > 0)) {
        mon.stop(rho === -Infinity ? "non-finite objective" : "no progress");
        break;
      }
      trialFinite = rho !== -Infinity;
    }
    return mon.result();
  } finally {
    chol.dispose();
  }
}

/**
 * ρ = actual / predicted reduction of a trial step from (f, g) to (ft, gt) with model value m < 0:
 * −∞ for a non-finite trial; where −m is below the rounding level of f ({@link ROUNDING_LEVEL}),
 * 1 if ‖∇f‖ decreased and f did not rise by more than that level, else 0.
 */
export function reductionRatio(f: number, g: Float64Array, ft: number, gt: Float64Array, m: number): number {
  if (!Number.isFinite(ft) || !allFinite(gt)) return -Infinity;
  const level = ROUNDING_LEVEL * Math.abs(f);
  if (-m <= level) return norm2(gt) < norm2(g) && ft - f <= level ? 1 : 0;
  return (ft - f) / m;
}

/** {@link newtonTrustRegionSteps} run to the end. */
export function newtonTrustRegion(obj: Objective, x0: ArrayLike<number>, opts: TrustRegionOptions = {}): OptimResult {
  return runSteps(newtonTrustRegionSteps(obj, x0, opts));
}
