import { type Steps, runSteps } from "../util/steps.js";
import { HagerZhang, type LineSearchOptions } from "./linesearch.js";
import { Monitor } from "./monitor.js";
import type { Objective, OptimOptions, OptimResult } from "./types.js";
import { type InverseHessian, quasiNewtonStep } from "./quasinewton.js";
import { allFinite, dot, matVec, sub } from "./vector.js";

/** Options of the BFGS method (`minimize(…, "bfgs", opts)`, `optimSolver: "bfgs"` in `train`). */
export interface BFGSOptions extends OptimOptions {
  /** Hager–Zhang parameters (default: LineSearches' defaults). */
  lineSearch?: LineSearchOptions;
  /**
   * Scale the initial inverse Hessian to (sᵀy / yᵀy)·I before the first update (Nocedal & Wright,
   * eq. 6.20). Default true; false keeps the identity, as Optim.jl does.
   */
  initialScaling?: boolean;
}

/**
 * BFGS with the inverse-Hessian update M ← (I − ρsyᵀ)·M·(I − ρysᵀ) + ρssᵀ, ρ = 1/(yᵀs), and a
 * Hager–Zhang line search (first trial α = 1; on the first iteration and after a reset the first
 * trial moves x by at most 1 in every coordinate). Pairs with yᵀs ≤ 0 are skipped. When the line
 * search fails with an updated M, M is reset to I and the iteration retried once before stopping.
 * O(n²) memory and work per iteration, no WASM needed.
 */
export function* bfgsSteps(obj: Objective, x0: ArrayLike<number>, opts: BFGSOptions = {}): Steps<OptimResult> {
  const mon = new Monitor(obj, x0, opts);
  const n = mon.n;
  const scaleFirst = opts.initialScaling ?? true;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const My = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const M = new Float64Array(n * n);
  const ls = new HagerZhang(n, opts.lineSearch);
  let fresh = true;
  const reset = (): void => {
    M.fill(0);
    for (let i = 0; i < n; i++) M[i * n + i] = 1;
    fresh = true;
  };
  reset();
  const inverse: InverseHessian = {
    direction(dir, grad) {
      matVec(dir, M, grad);
      for (let i = 0; i < n; i++) dir[i] = -dir[i];
    },
    fresh: () => fresh,
    reset,
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
    sub(s, xNew, x);
    sub(y, gNew, g);
    x.set(xNew);
    g.set(gNew);
    f = fNew;
    mon.iterations++;
    if (ls.status !== "ok") {
      if (fresh) {
        mon.stop("line search failed");
        break;
      }
      reset();
      continue;
    }
    update(M, s, y, My, fresh && scaleFirst);
    if (dot(s, y) > 0) fresh = false;
  }
  return mon.result();
}

/** The BFGS update of the inverse Hessian M (skipped unless yᵀs > 0), optionally after M ← (sᵀy/yᵀy)·I. */
function update(M: Float64Array, s: Float64Array, y: Float64Array, My: Float64Array, scale: boolean): void {
  const n = s.length;
  const sy = dot(s, y);
  if (!(sy > 0) || !Number.isFinite(sy)) return;
  if (scale) {
    const gamma = sy / dot(y, y);
    M.fill(0);
    for (let i = 0; i < n; i++) M[i * n + i] = gamma;
  }
  // M ← M − ρ(My·sᵀ + s·(My)ᵀ) + (ρ²·yᵀMy + ρ)·s·sᵀ
  matVec(My, M, y);
  const rho = 1 / sy;
  const c = rho * rho * dot(y, My) + rho;
  for (let i = 0; i < n; i++) {
    const si = s[i],
      mi = My[i];
    const r = i * n;
    for (let j = 0; j < n; j++) M[r + j] += -rho * (mi * s[j] + si * My[j]) + c * si * s[j];
  }
}

/** {@link bfgsSteps} run to the end. */
export function bfgs(obj: Objective, x0: ArrayLike<number>, opts: BFGSOptions = {}): OptimResult {
  return runSteps(bfgsSteps(obj, x0, opts));
}
