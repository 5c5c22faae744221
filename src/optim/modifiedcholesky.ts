import type { Cholesky } from "../engine/cholesky.js";

/** How an indefinite or singular Hessian is made positive definite for a Newton step. */
export interface ModifiedCholeskyOptions {
  /** β: the smallest nonzero shift, relative to ‖H‖∞. Default 1e-3 (Nocedal–Wright). */
  shiftFactor?: number;
  /**
   * Smallest accepted squared pivot relative to ‖H‖∞; smaller pivots count as failures, so that a
   * numerically singular H gets shifted too. Default n·ε.
   */
  pivotTolerance?: number;
}

/** Doublings of the shift before giving up (only non-finite matrices get there). */
const MAX_ATTEMPTS = 80;

/**
 * Cholesky with added multiple of the identity (Nocedal & Wright, Numerical Optimization, Alg. 3.3):
 * factors H + τI for the first τ of 0 (if min H_ii > 0) or −min H_ii + β, then max(2τ, β), … that
 * succeeds, β = shiftFactor·‖H‖∞. The factor stays in `chol`. Returns τ, or NaN when no shift works
 * (H holds NaN/∞).
 *
 * For positive definite H (the usual case near a minimum) τ = 0 and the Newton step is exact; for an
 * indefinite H, τ exceeds −λ_min(H) and −(H + τI)⁻¹g is a descent direction (as PositiveFactorizations.jl
 * gives Optim.jl's Newton a positive definite matrix).
 */
export function factorPositive(chol: Cholesky, H: Float64Array, opts: ModifiedCholeskyOptions = {}): number {
  const n = chol.n;
  let norm = 0;
  let minDiag = Infinity;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.abs(H[i * n + j]);
    if (!(s <= norm)) norm = s;
    const d = H[i * n + i];
    if (!(d >= minDiag)) minDiag = d;
  }
  if (!Number.isFinite(norm)) return NaN;
  const scale = norm > 0 ? norm : 1;
  const beta = (opts.shiftFactor ?? 1e-3) * scale;
  const minPivot = (opts.pivotTolerance ?? n * Number.EPSILON) * scale;
  chol.load(H);
  let tau = minDiag > 0 ? 0 : -minDiag + beta;
  for (let k = 0; k < MAX_ATTEMPTS; k++) {
    if (chol.refactor(tau, minPivot)) return tau;
    tau = Math.max(2 * tau, beta);
  }
  return NaN;
}
