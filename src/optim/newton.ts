import { type Steps, runSteps } from "../util/steps.js";
import { Cholesky } from "../engine/cholesky.js";
import { HagerZhang, type LineSearchOptions } from "./linesearch.js";
import { type ModifiedCholeskyOptions, factorPositive } from "./modifiedcholesky.js";
import { Monitor } from "./monitor.js";
import type { Objective, OptimOptions, OptimResult } from "./types.js";
import { addScaled, allFinite, dot, sameValues } from "./vector.js";

/** Options of Newton's method with a line search (`minimize(…, "newton", opts)`, `optimSolver: "newton"` in `train`). */
export interface NewtonOptions extends OptimOptions, ModifiedCholeskyOptions {
  /**
   * Hager–Zhang parameters. Default: LineSearches' defaults with `maxIterations: 1000`
   * (MLPGradientFlow.jl uses `HagerZhang(linesearchmax = 1000)` for Newton) and `acceptInitial: 0.3`
   * (a unit step close to the minimum along the line is taken without bracketing: one `fg` call per
   * iteration near the solution).
   */
  lineSearch?: LineSearchOptions;
}

/**
 * Newton's method with a line search (Optim.jl's `Newton(linesearch = HagerZhang())`): the step is
 * d = −(H + τI)⁻¹∇f with the Hessian made positive definite by the smallest shift τ ≥ 0 of
 * {@link factorPositive} (τ = 0 where H is positive definite: quadratic convergence to a
 * nondegenerate minimum; τ > −λ_min where H is indefinite: descent away from saddles), then a
 * Hager–Zhang search from α = 1. The Cholesky factorisation runs in WASM.
 *
 * Per iteration: one `fgh` at the new iterate plus the line-search `fg` calls (one when α = 1 is
 * accepted). Stops only as described by {@link StopReason}.
 */
export function* newtonSteps(obj: Objective, x0: ArrayLike<number>, opts: NewtonOptions = {}): Steps<OptimResult> {
  const mon = new Monitor(obj, x0, opts);
  const n = mon.n;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const H = new Float64Array(n * n);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const ls = new HagerZhang(n, { maxIterations: 1000, acceptInitial: 0.3, ...opts.lineSearch });
  const chol = new Cholesky(n);
  try {
    let f = mon.fgh(x, g, H);
    if (!Number.isFinite(f) || !allFinite(g)) {
      mon.stop("non-finite objective");
      return mon.result();
    }
    while (!mon.atIterate(x, f, g)) {
      yield;
      if (!allFinite(H) || Number.isNaN(factorPositive(chol, H, opts))) {
        mon.stop("non-finite Hessian");
        break;
      }
      chol.solve(g, d);
      for (let i = 0; i < n; i++) d[i] = -d[i];
      const alpha = ls.search(mon, x, d, f, dot(g, d), 1);
      if (alpha === 0) {
        mon.stop(ls.status === "non-finite" ? "non-finite objective" : "line search failed");
        break;
      }
      addScaled(xNew, x, alpha, d);
      if (sameValues(xNew, x)) {
        mon.stop("no progress");
        break;
      }
      const fNew = mon.fgh(xNew, g, H);
      x.set(xNew);
      f = fNew;
      mon.iterations++;
      if (!Number.isFinite(f) || !allFinite(g)) {
        mon.stop("non-finite objective");
        break;
      }
      if (ls.status !== "ok") {
        mon.stop("line search failed");
        break;
      }
    }
    return mon.result();
  } finally {
    chol.dispose();
  }
}

/** {@link newtonSteps} run to the end. */
export function newton(obj: Objective, x0: ArrayLike<number>, opts: NewtonOptions = {}): OptimResult {
  return runSteps(newtonSteps(obj, x0, opts));
}
