import type { Cholesky } from "../engine/cholesky.js";
import { MLPGFError } from "../errors.js";
import { dot, matVec, norm2 } from "./vector.js";

/** Parameters of the Moré–Sorensen trust-region subproblem solver. */
export interface SubproblemOptions {
  /** σ₁: accept p when |‖p‖ − Δ| ≤ σ₁Δ, and the hard-case test's relative accuracy. Default 0.1. */
  sigma1?: number;
  /** σ₂: absolute accuracy of the hard-case test. Default 0. */
  sigma2?: number;
  /** Iterations (Cholesky factorisations) before returning the best candidate. Default 100. */
  maxIterations?: number;
}

/**
 * Solver of the trust-region subproblem  min m(p) = gᵀp + ½pᵀHp  subject to ‖p‖ ≤ Δ  for any
 * symmetric H (indefinite included) by the method of J. J. Moré and D. C. Sorensen, "Computing a
 * trust region step", SIAM J. Sci. Stat. Comput. 4 (1983) 553–572: find λ ≥ 0 with H + λI positive
 * semidefinite, (H + λI)p = −g and λ(Δ − ‖p‖) = 0 by safeguarded Newton iterations on
 * 1/‖p(λ)‖ − 1/Δ, one Cholesky factorisation (WASM) per iteration. In the hard case (g nearly
 * orthogonal to the eigenvectors of the smallest eigenvalue λ₁ < 0, ‖(H − λ₁I)⁺g‖ < Δ) the step is
 * completed to the boundary along an approximate eigenvector z of λ₁ (LINPACK estimate from the
 * factor): p + τz.
 */
export class MoreSorensen {
  /** The step of the last {@link MoreSorensen.solve}. */
  readonly p: Float64Array;
  /** Its multiplier λ (also the warm start of the next solve). */
  lambda = 0;
  /** m(p) = gᵀp + ½pᵀHp of the step. */
  model = 0;
  /** True when the step was completed along the near-null vector (hard case). */
  hardCase = false;
  /** False when the iteration limit was reached and the best candidate was returned. */
  converged = false;
  /** Factorisations used by the last solve. */
  iterations = 0;
  private readonly n: number;
  private readonly q: Float64Array;
  private readonly z: Float64Array;
  private readonly best: Float64Array;
  private readonly sigma1: number;
  private readonly sigma2: number;
  private readonly maxIterations: number;

  /** Buffers for dimension n; `chol` must be a {@link Cholesky} of the same n (it is used as scratch). */
  constructor(
    private readonly chol: Cholesky,
    opts: SubproblemOptions = {},
  ) {
    const n = chol.n;
    this.n = n;
    this.p = new Float64Array(n);
    this.q = new Float64Array(n);
    this.z = new Float64Array(n);
    this.best = new Float64Array(n);
    this.sigma1 = opts.sigma1 ?? 0.1;
    this.sigma2 = opts.sigma2 ?? 0;
    this.maxIterations = opts.maxIterations ?? 100;
    if (!(this.sigma1 > 0 && this.sigma1 < 1))
      throw new MLPGFError("VALUE", `trust region: sigma1 must be in (0, 1), got ${String(this.sigma1)}`);
    if (!(this.sigma2 >= 0)) throw new MLPGFError("VALUE", `trust region: sigma2 must be ≥ 0, got ${String(this.sigma2)}`);
    if (!Number.isInteger(this.maxIterations) || this.maxIterations < 1)
      throw new MLPGFError("VALUE", `trust region: maxIterations must be an integer ≥ 1, got ${String(this.maxIterations)}`);
  }

  /**
   * Solves the subproblem for the symmetric n × n row-major H (finite), gradient g (≠ 0) and radius
   * Δ > 0; the step is in {@link MoreSorensen.p}, its model value in {@link MoreSorensen.model}.
   */
  solve(H: Float64Array, g: Float64Array, delta: number): void {
    const n = this.n,
      p = this.p,
      z = this.z,
      chol = this.chol;
    const s1 = this.sigma1;
    let hinf = 0;
    let lamS = -Infinity; // −λ₁ ≥ lamS (λ₁ ≤ min H_ii)
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.abs(H[i * n + j]);
      hinf = Math.max(hinf, s);
      lamS = Math.max(lamS, -H[i * n + i]);
    }
    const gnorm = norm2(g);
    let lamL = Math.max(0, lamS, gnorm / delta - hinf);
    const minPivot = n * Number.EPSILON * (hinf > 0 ? hinf : 1);
    // λ ≥ ‖H‖ + margin makes H + λI safely positive definite (also when g = 0 and λ* = ‖H‖).
    let lamU = Math.max(0, gnorm / delta + hinf) + 4 * minPivot;
    let lam = Math.min(Math.max(this.lambda, lamL), lamU);
    let bestModel = Infinity;
    chol.load(H);
    this.hardCase = false;
    this.converged = false;
    let it = 0;
    while (it < this.maxIterations) {
      if (lam <= lamS) lam = Math.max(1e-3 * lamU, Math.sqrt(lamL * lamU));
      it++;
      if (chol.refactor(lam, minPivot)) {
        chol.solve(g, p);
        for (let i = 0; i < n; i++) p[i] = -p[i];
        const pn = norm2(p);
        const gp = dot(g, p);
        const pHp = -gp - lam * pn * pn; // (H + λI)p = −g
        if (pn <= delta) {
          bestModel = this.keep(gp + 0.5 * pHp, 1, 0, bestModel);
          if (lam === 0 || Math.abs(pn - delta) <= s1 * delta) {
            this.converged = true;
            break;
          }
          // Interior with λ > 0: λ is too large, unless this is the hard case.
          lamU = Math.min(lamU, lam);
          const zRz = chol.nearNullVector(z); // zᵀ(H + λI)z, ‖z‖ = 1
          lamS = Math.max(lamS, lam - zRz);
          const pz = dot(p, z);
          const r = Math.sqrt(pz * pz + (delta * delta - pn * pn));
          const tau = (delta * delta - pn * pn) / (pz + (pz >= 0 ? r : -r));
          const gz = dot(g, z);
          const mz = gp + tau * gz + 0.5 * (pHp + 2 * tau * (-gz - lam * pz) + tau * tau * (zRz - lam));
          bestModel = this.keep(mz, 1, tau, bestModel);
          if (tau * tau * zRz <= s1 * (2 - s1) * Math.max(this.sigma2, -gp + lam * delta * delta)) {
            for (let i = 0; i < n; i++) p[i] += tau * z[i];
            this.hardCase = true;
            this.converged = true;
            break;
          }
        } else {
          const c = delta / pn;
          bestModel = this.keep(c * gp + 0.5 * c * c * pHp, c, 0, bestModel);
          if (pn - delta <= s1 * delta) {
            this.converged = true;
            break;
          }
          lamL = Math.max(lamL, lam);
        }
        // Newton step on φ(λ) = 1/‖p‖ − 1/Δ:  λ += (‖p‖/‖q‖)²·(‖p‖ − Δ)/Δ,  L·q = p.
        // (With p = 0, i.e. g = 0, there is no Newton information: fall back to the safeguards.)
        chol.solveLower(p, this.q);
        const qn = norm2(this.q);
        const step = ((pn / qn) * (pn / qn) * (pn - delta)) / delta;
        lam = Number.isFinite(step) ? lam + step : lamL;
      } else {
        // H + λI is not positive definite: λ ≤ −λ₁.
        lamL = Math.max(lamL, lam);
        lamS = Math.max(lamS, lam);
      }
      lamL = Math.max(lamL, lamS);
      if (!(lamL < lamU)) lamU = lamL;
      if (!(lam >= lamL)) lam = lamL;
      if (!(lam <= lamU)) lam = lamU;
      if (lamU - lamL <= 4 * Number.EPSILON * lamU && it > 1 && bestModel < Infinity) break;
    }
    this.iterations = it;
    if (!this.converged) {
      if (bestModel < Infinity) p.set(this.best);
      else {
        // Never positive definite (only with extreme rounding): the steepest-descent step to the boundary.
        for (let i = 0; i < n; i++) p[i] = gnorm > 0 ? (-delta * g[i]) / gnorm : 0;
      }
    }
    this.lambda = lam;
    matVec(this.q, H, p);
    this.model = dot(g, p) + 0.5 * dot(p, this.q);
  }

  /** Stores c·p + τ·z as the best candidate when its model value m is lower; returns the best value. */
  private keep(m: number, c: number, tau: number, bestModel: number): number {
    if (!(m < bestModel)) return bestModel;
    const p = this.p,
      z = this.z,
      b = this.best;
    for (let i = 0; i < this.n; i++) b[i] = c * p[i] + tau * z[i];
    return m;
  }
}
