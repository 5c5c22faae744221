import { type Steps, runSteps } from "../util/steps.js";
import { MLPGFError } from "../errors.js";
import { HagerZhang, type LineSearchOptions } from "./linesearch.js";
import { Monitor } from "./monitor.js";
import type { Objective, OptimOptions, OptimResult } from "./types.js";
import { type InverseHessian, quasiNewtonStep } from "./quasinewton.js";
import { allFinite } from "./vector.js";

/** Options of the L-BFGS method (`minimize(…, "lbfgs", opts)`, `optimSolver: "lbfgs"` in `train`). */
export interface LBFGSOptions extends OptimOptions {
  /** Hager–Zhang parameters (default: LineSearches' defaults). */
  lineSearch?: LineSearchOptions;
  /** Number of (s, y) pairs kept. Default 10 (as Optim.jl). */
  memory?: number;
}

/**
 * Limited-memory BFGS: the direction −M·∇f by the two-loop recursion over the last m pairs
 * (s, y), with M₀ = (sᵀy / yᵀy)·I from the newest pair (Nocedal & Wright, Alg. 7.4), and a
 * Hager–Zhang line search (first trial α = 1; on the first iteration and after a reset the first
 * trial moves x by at most 1 in every coordinate). Pairs with yᵀs ≤ 0 are skipped; when the line
 * search fails with a non-empty memory, the memory is cleared and the iteration retried.
 * O(m·n) memory and work per iteration.
 */
export function* lbfgsSteps(obj: Objective, x0: ArrayLike<number>, opts: LBFGSOptions = {}): Steps<OptimResult> {
  const m = opts.memory ?? 10;
  if (!Number.isInteger(m) || m < 1) throw new MLPGFError("VALUE", `lbfgs: memory must be an integer ≥ 1, got ${String(m)}`);
  const mon = new Monitor(obj, x0, opts);
  const n = mon.n;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const S = new Float64Array(m * n);
  const Y = new Float64Array(m * n);
  const rho = new Float64Array(m);
  const a = new Float64Array(m);
  const ls = new HagerZhang(n, opts.lineSearch);
  let count = 0; // pairs stored
  let newest = -1; // slot of the newest pair
  const inverse: InverseHessian = {
    direction: (dir, grad) => direction(dir, grad, S, Y, rho, a, count, newest, n, m),
    fresh: () => count === 0,
    reset: () => {
      count = 0;
    },
  };
  let f = mon.fg(x, g);
  if (!Number.isFinite(f) || !allFinite(g)) {
    mon.stop("non-finite objective");
    return mon.result();
  }
  while (!mon.atIterate(x, f, g)) {
    yield;
    const fNew = quasiNewtonStep(mon, ls, inverse, x, f, g, d, xNew, gNew);
    if (fNew === null) break;
    // Store s = xNew − x, y = gNew − g over the oldest pair when yᵀs > 0.
    let sy = 0;
    for (let i = 0; i < n; i++) sy += (xNew[i] - x[i]) * (gNew[i] - g[i]);
    if (sy > 0 && Number.isFinite(sy)) {
      const slot = (newest + 1) % m;
      const so = slot * n;
      for (let i = 0; i < n; i++) {
        S[so + i] = xNew[i] - x[i];
        Y[so + i] = gNew[i] - g[i];
      }
      rho[slot] = 1 / sy;
      newest = slot;
      count = Math.min(count + 1, m);
    }
    x.set(xNew);
    g.set(gNew);
    f = fNew;
    mon.iterations++;
    if (ls.status !== "ok") {
      if (count === 0) {
        mon.stop("line search failed");
        break;
      }
      count = 0;
    }
  }
  return mon.result();
}

/** d = −M·g by the two-loop recursion over the `count` newest pairs (d = −g without pairs). */
function direction(
  d: Float64Array,
  g: Float64Array,
  S: Float64Array,
  Y: Float64Array,
  rho: Float64Array,
  a: Float64Array,
  count: number,
  newest: number,
  n: number,
  m: number,
): void {
  d.set(g);
  for (let k = 0; k < count; k++) {
    const o = ((newest - k + m) % m) * n;
    const slot = (newest - k + m) % m;
    let t = 0;
    for (let i = 0; i < n; i++) t += S[o + i] * d[i];
    a[slot] = rho[slot] * t;
    for (let i = 0; i < n; i++) d[i] -= a[slot] * Y[o + i];
  }
  if (count > 0) {
    const o = newest * n;
    let sy = 0,
      yy = 0;
    for (let i = 0; i < n; i++) {
      sy += S[o + i] * Y[o + i];
      yy += Y[o + i] * Y[o + i];
    }
    const gamma = sy / yy;
    for (let i = 0; i < n; i++) d[i] *= gamma;
  }
  for (let k = count - 1; k >= 0; k--) {
    const slot = (newest - k + m) % m;
    const o = slot * n;
    let t = 0;
    for (let i = 0; i < n; i++) t += Y[o + i] * d[i];
    const b = rho[slot] * t;
    for (let i = 0; i < n; i++) d[i] += (a[slot] - b) * S[o + i];
  }
  for (let i = 0; i < n; i++) d[i] = -d[i];
}

/** {@link lbfgsSteps} run to the end. */
export function lbfgs(obj: Objective, x0: ArrayLike<number>, opts: LBFGSOptions = {}): OptimResult {
  return runSteps(lbfgsSteps(obj, x0, opts));
}
