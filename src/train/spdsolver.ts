import { matrix } from "../api/matrix.js";
import { symmetricEigen } from "../api/spectrum.js";
import { Cholesky } from "../engine/cholesky.js";

/** Eigenvalues below this fraction of the largest count as zero in the pseudo-inverse fallback. */
const PINV_CUTOFF = 1e-15;
/** Squared Cholesky pivots below this fraction of the largest diagonal entry mean "singular to rounding". */
const PIVOT_LEVEL = 1e-14;

/**
 * Solves with a symmetric positive semi-definite matrix: Cholesky (in WASM) when it is positive
 * definite to rounding (every squared pivot above PIVOT_LEVEL·max diagonal), else the pseudo-inverse
 * from its eigen-decomposition (eigenvalues ≤ PINV_CUTOFF·λ_max dropped), which gives the
 * minimum-norm solution — for the normal equations of duplicated or dead neurons.
 */
export class SpdSolver {
  private readonly chol: Cholesky;
  private eig: { values: Float64Array; vectors: Float64Array } | null = null;

  /** @param n - order of the matrices. */
  constructor(private readonly n: number) {
    this.chol = new Cholesky(n);
  }

  /** Factors the n × n row-major A (symmetric; the lower triangle is read). */
  factor(A: Float64Array): void {
    this.eig = null;
    let dmax = 0;
    for (let i = 0; i < this.n; i++) dmax = Math.max(dmax, A[i * this.n + i]);
    if (this.chol.factor(A, 0, PIVOT_LEVEL * dmax)) return;
    const e = symmetricEigen(matrix(this.n, this.n, A));
    this.eig = { values: e.values, vectors: e.vectors.data };
  }

  /** A⁻¹·B (or A⁺·B) for the n × k row-major B; a new array. */
  solve(B: Float64Array): Float64Array {
    const n = this.n;
    const k = B.length / n;
    const out = new Float64Array(n * k);
    const col = new Float64Array(n);
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < n; i++) col[i] = B[i * k + c];
      if (this.eig) this.pinvSolve(col);
      else this.chol.solve(col, col);
      for (let i = 0; i < n; i++) out[i * k + c] = col[i];
    }
    return out;
  }

  /** Returns the WASM memory. */
  dispose(): void {
    this.chol.dispose();
  }

  /** b ← A⁺·b = Σ_{λ_j > cutoff} q_j·(q_jᵀb)/λ_j. */
  private pinvSolve(b: Float64Array): void {
    const { values, vectors } = this.eig!;
    const n = this.n;
    const cut = PINV_CUTOFF * Math.max(0, values[n - 1]);
    const c = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      if (!(values[j] > cut)) continue;
      let s = 0;
      for (let i = 0; i < n; i++) s += vectors[i * n + j] * b[i];
      c[j] = s / values[j];
    }
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += vectors[i * n + j] * c[j];
      b[i] = s;
    }
  }
}
