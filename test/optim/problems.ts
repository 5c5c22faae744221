// Test objectives for the optimizers (plain TS, exact gradients and Hessians).
import type { Objective } from "../../src/optim/types.js";

/** Deterministic uniform(−0.5, 0.5) stream. */
export function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32 - 0.5;
}

/**
 * Extended Rosenbrock (Moré, Garbow & Hillstrom): Σ over pairs (x₂ᵢ, x₂ᵢ₊₁) of
 * 100(x₂ᵢ₊₁ − x₂ᵢ²)² + (1 − x₂ᵢ)²; minimum 0 at (1, …, 1). n = 2 is the classical function.
 */
export function rosenbrock(n = 2): Objective & { fgh(x: Float64Array, g: Float64Array, H: Float64Array): number } {
  return {
    fg(x, g) {
      let f = 0;
      for (let i = 0; i < n; i += 2) {
        const a = x[i],
          b = x[i + 1],
          t = b - a * a,
          u = 1 - a;
        f += 100 * t * t + u * u;
        g[i] = -400 * a * t - 2 * u;
        g[i + 1] = 200 * t;
      }
      return f;
    },
    fgh(x, g, H) {
      H.fill(0);
      for (let i = 0; i < n; i += 2) {
        const a = x[i],
          b = x[i + 1];
        H[i * n + i] = 1200 * a * a - 400 * b + 2;
        H[i * n + i + 1] = H[(i + 1) * n + i] = -400 * a;
        H[(i + 1) * n + i + 1] = 200;
      }
      return this.fg(x, g);
    },
  };
}

/**
 * Chained (generalized) Rosenbrock: Σᵢ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², i < n − 1; every coordinate is
 * coupled to its neighbours. Global minimum 0 at (1, …, 1); for n ≥ 4 also a local minimum near x₁ = −1.
 */
export function chainedRosenbrock(n: number): Objective & { fgh(x: Float64Array, g: Float64Array, H: Float64Array): number } {
  return {
    fg(x, g) {
      let f = 0;
      g.fill(0);
      for (let i = 0; i + 1 < n; i++) {
        const a = x[i],
          t = x[i + 1] - a * a,
          u = 1 - a;
        f += 100 * t * t + u * u;
        g[i] += -400 * a * t - 2 * u;
        g[i + 1] += 200 * t;
      }
      return f;
    },
    fgh(x, g, H) {
      H.fill(0);
      for (let i = 0; i + 1 < n; i++) {
        const a = x[i],
          b = x[i + 1];
        H[i * n + i] += 1200 * a * a - 400 * b + 2;
        H[i * n + i + 1] += -400 * a;
        H[(i + 1) * n + i] += -400 * a;
        H[(i + 1) * n + i + 1] += 200;
      }
      return this.fg(x, g);
    },
  };
}

/** Start point (−1.2, 1, −1.2, 1, …). */
export function rosenbrockStart(n = 2): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
}

/** f = c + ½xᵀAx − bᵀx with A = QᵀDQ-like random SPD (eigenvalues in [1, cond]); returns the minimiser too. */
export function quadratic(n: number, seed: number, cond = 100, c = 0) {
  const u = uniform(seed);
  // A = BᵀB/n scaled into [1, cond] via a shifted random SPD matrix.
  const B = Float64Array.from({ length: n * n }, u);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let t = 0;
      for (let k = 0; k < n; k++) t += B[k * n + i] * B[k * n + j];
      A[i * n + j] = (t * cond) / n + (i === j ? 1 : 0);
    }
  }
  const b = Float64Array.from({ length: n }, u);
  const obj = {
    fg(x: Float64Array, g: Float64Array) {
      let f = c;
      for (let i = 0; i < n; i++) {
        let t = 0;
        for (let j = 0; j < n; j++) t += A[i * n + j] * x[j];
        g[i] = t - b[i];
        f += 0.5 * x[i] * t - b[i] * x[i];
      }
      return f;
    },
    fgh(x: Float64Array, g: Float64Array, H: Float64Array) {
      H.set(A);
      return obj.fg(x, g);
    },
  };
  return { obj, A, b };
}

/** ‖v‖∞. */
export function normInf(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}

/** Exact minimiser A⁻¹b by Gaussian elimination without pivoting (A symmetric positive definite). */
export function solveSpd(A: Float64Array, b: Float64Array): Float64Array {
  const n = b.length;
  const M = A.slice();
  const x = b.slice();
  for (let k = 0; k < n; k++) {
    for (let i = k + 1; i < n; i++) {
      const f = M[i * n + k] / M[k * n + k];
      for (let j = k; j < n; j++) M[i * n + j] -= f * M[k * n + j];
      x[i] -= f * x[k];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let j = i + 1; j < n; j++) s -= M[i * n + j] * x[j];
    x[i] = s / M[i * n + i];
  }
  return x;
}
