import { describe, expect, it } from "vitest";
import { Cholesky } from "../../src/engine/cholesky.js";
import { getEngine } from "../../src/engine/kernels.js";
import { MLPGFError } from "../../src/errors.js";
import { uniform } from "./problems.js";

/** Random symmetric matrix B·Bᵀ/n + c·I (positive definite for c > 0). */
function spd(n: number, seed: number, c = 0.1): Float64Array {
  const u = uniform(seed);
  const B = Float64Array.from({ length: n * n }, u);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let t = 0;
      for (let k = 0; k < n; k++) t += B[i * n + k] * B[j * n + k];
      A[i * n + j] = A[j * n + i] = t / n + (i === j ? c : 0);
    }
  }
  return A;
}

function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}

/** max |L·Lᵀ − (A + τI)| / max |A|. */
function residual(A: Float64Array, L: Float64Array, n: number, tau: number): number {
  let r = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let t = 0;
      for (let k = 0; k <= j; k++) t += L[i * n + k] * L[j * n + k];
      r = Math.max(r, Math.abs(t - A[i * n + j] - (i === j ? tau : 0)));
    }
  }
  return r / maxAbs(A);
}

describe("Cholesky (WASM)", () => {
  // Sizes around the block size (64) and the 4-row tiles, odd and even.
  it.each([1, 2, 3, 5, 8, 63, 64, 65, 66, 129, 131, 200])("n = %i: ‖LLᵀ − (A + τI)‖ ≤ 1e-12·‖A‖ and solves to 1e-12", (n) => {
    const A = spd(n, n);
    const tau = 0.25;
    const chol = new Cholesky(n);
    try {
      expect(chol.factor(A, tau)).toBe(true);
      expect(chol.failedPivot).toBe(-1);
      const L = chol.lower();
      expect(residual(A, L, n, tau)).toBeLessThan(1e-12);
      const b = Float64Array.from({ length: n }, uniform(99));
      const x = chol.solve(b, new Float64Array(n));
      const r = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let t = tau * x[i];
        for (let j = 0; j < n; j++) t += A[i * n + j] * x[j];
        r[i] = t - b[i];
      }
      expect(maxAbs(r) / maxAbs(b)).toBeLessThan(1e-12);
      // solve = upper ∘ lower, in place
      const y = Float64Array.from(b);
      chol.solveLower(y, y);
      chol.solveUpper(y, y);
      for (let i = 0; i < n; i++) expect(y[i]).toBeCloseTo(x[i], 12);
      // log det = 2 Σ log L_ii
      let ld = 0;
      for (let i = 0; i < n; i++) ld += 2 * Math.log(L[i * n + i]);
      expect(chol.logDet()).toBeCloseTo(ld, 10);
    } finally {
      chol.dispose();
    }
  });

  it("reads only the lower triangle and ignores the upper one", () => {
    const n = 70;
    const A = spd(n, 3);
    const B = A.slice();
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) B[i * n + j] = NaN;
    const chol = new Cholesky(n);
    expect(chol.factor(B)).toBe(true);
    expect(residual(A, chol.lower(), n, 0)).toBeLessThan(1e-12);
    chol.dispose();
  });

  it("reports failure for indefinite, singular and non-finite matrices instead of producing NaN", () => {
    const chol = new Cholesky(4);
    // diag(1, 2, −1, 3): the third pivot fails.
    const D = new Float64Array(16);
    [1, 2, -1, 3].forEach((v, i) => (D[i * 5] = v));
    expect(chol.factor(D)).toBe(false);
    expect(chol.failedPivot).toBe(2);
    expect(chol.ok).toBe(false);
    expect(() => chol.solve(new Float64Array(4), new Float64Array(4))).toThrow(MLPGFError);
    // A shift of 1.5 makes it positive definite; refactor reuses the loaded matrix.
    expect(chol.refactor(1.5)).toBe(true);
    expect(chol.lower()[10]).toBeCloseTo(Math.sqrt(0.5), 15);
    // Singular: [[1, 1], [1, 1]] ⊕ I fails at the second pivot (exactly 0).
    const S = Float64Array.from([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(chol.factor(S)).toBe(false);
    expect(chol.failedPivot).toBe(1);
    // NaN or ∞ anywhere in the lower triangle.
    for (const bad of [NaN, Infinity, -Infinity]) {
      const M = Float64Array.from({ length: 16 }, (_, k) => (k % 5 === 0 ? 4 : 0));
      M[13] = bad; // (3, 1)
      expect(chol.factor(M)).toBe(false);
      M[13] = 0;
      M[15] = bad; // (3, 3)
      expect(chol.factor(M)).toBe(false);
    }
    chol.dispose();
  });

  it("indefinite large matrix: the first failing pivot is reported; minPivot rejects tiny pivots", () => {
    const n = 150;
    const A = spd(n, 5, 0);
    // Make A[100, 100] very negative: leading blocks up to 100 are fine.
    A[100 * n + 100] = -5;
    const chol = new Cholesky(n);
    expect(chol.factor(A, 0.1)).toBe(false);
    expect(chol.failedPivot).toBe(100);
    // Pivots of diag(1, 1e-14) pass with minPivot 0 but not with 1e-12.
    const c2 = new Cholesky(2);
    const T = Float64Array.from([1, 0, 0, 1e-14]);
    expect(c2.factor(T, 0, 0)).toBe(true);
    expect(c2.factor(T, 0, 1e-12)).toBe(false);
    chol.dispose();
    c2.dispose();
  });

  it("nearNullVector finds the direction of the smallest eigenvalue of a nearly singular matrix", () => {
    const n = 40;
    // A = Q·diag(λ)·Qᵀ with one tiny eigenvalue along the unit vector v.
    const u = uniform(11);
    const v = Float64Array.from({ length: n }, u);
    const nv = Math.hypot(...v);
    for (let i = 0; i < n; i++) v[i] /= nv;
    const A = spd(n, 12, 1);
    // Project v out of A and add 1e-8·vvᵀ: A ← PAP + 1e-8 vvᵀ.
    const P = (M: Float64Array) => {
      const Mv = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Mv[i] += M[i * n + j] * v[j];
      let vMv = 0;
      for (let i = 0; i < n; i++) vMv += v[i] * Mv[i];
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) M[i * n + j] += -Mv[i] * v[j] - v[i] * Mv[j] + (vMv + 1e-8) * v[i] * v[j];
    };
    P(A);
    const chol = new Cholesky(n);
    expect(chol.factor(A)).toBe(true);
    const z = new Float64Array(n);
    const zAz = chol.nearNullVector(z);
    let zz = 0,
      zv = 0;
    for (let i = 0; i < n; i++) {
      zz += z[i] * z[i];
      zv += z[i] * v[i];
    }
    expect(zz).toBeCloseTo(1, 14);
    expect(Math.abs(zv)).toBeGreaterThan(1 - 1e-6);
    expect(zAz).toBeGreaterThan(0);
    expect(zAz).toBeLessThan(1.01e-8);
    chol.dispose();
  });

  it("keeps working when the WASM memory grows between calls", () => {
    const n = 20;
    const A = spd(n, 8);
    const chol = new Cholesky(n);
    expect(chol.factor(A)).toBe(true);
    const b = Float64Array.from({ length: n }, uniform(3));
    const x1 = chol.solve(b, new Float64Array(n));
    const e = getEngine();
    const big = e.alloc(e.memory.buffer.byteLength + 65536);
    const x2 = chol.solve(b, new Float64Array(n));
    expect(Array.from(x2)).toEqual(Array.from(x1));
    expect(chol.factor(A, 1)).toBe(true);
    e.free(big);
    chol.dispose();
  });

  it("validates inputs, returns its memory on dispose and throws DISPOSED afterwards", () => {
    const e = getEngine();
    const used = e.allocator.used;
    const chol = new Cholesky(10);
    expect(e.allocator.used).toBeGreaterThanOrEqual(used + 8 * (2 * 100 + 2 * 10));
    expect(() => chol.factor(new Float64Array(99))).toThrow(/10 × 10/);
    expect(() => chol.refactor(0)).toThrow(MLPGFError);
    expect(() => chol.factor(spd(10, 1), NaN)).toThrow(/shift/);
    expect(() => new Cholesky(0)).toThrow(MLPGFError);
    chol.factor(spd(10, 1));
    expect(() => chol.solve(new Float64Array(9), new Float64Array(10))).toThrow(/10 values/);
    chol.dispose();
    chol.dispose();
    expect(chol.disposed).toBe(true);
    expect(e.allocator.used).toBe(used);
    expect(() => chol.factor(spd(10, 1))).toThrow(expect.objectContaining({ code: "DISPOSED" }));
  });
});
