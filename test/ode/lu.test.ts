import { describe, expect, it } from "vitest";
import { getEngine } from "../../src/engine/kernels.js";
import { DenseLU } from "../../src/engine/lu.js";
import { orthogonal, rng } from "./helpers.js";

/** ‖M·x − b‖∞ / (‖M‖∞·‖x‖∞ + ‖b‖∞): the relative residual of a solve. */
function residual(M: Float64Array, x: Float64Array, b: Float64Array): number {
  const n = x.length;
  let r = 0,
    mnorm = 0,
    xn = 0,
    bn = 0;
  for (let i = 0; i < n; i++) {
    let s = 0,
      row = 0;
    for (let j = 0; j < n; j++) {
      s += M[i * n + j] * x[j];
      row += Math.abs(M[i * n + j]);
    }
    r = Math.max(r, Math.abs(s - b[i]));
    mnorm = Math.max(mnorm, row);
    xn = Math.max(xn, Math.abs(x[i]));
    bn = Math.max(bn, Math.abs(b[i]));
  }
  return r / (mnorm * xn + bn);
}

function randomMatrix(n: number, seed: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n * n }, () => 2 * r() - 1);
}

/** Symmetric indefinite Q·diag(λ)·Qᵀ with λ of both signs spanning [1e-3, 1e3] in magnitude. */
function indefiniteMatrix(n: number, seed: number): Float64Array {
  const Q = orthogonal(n, seed);
  const M = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const lam = (k % 2 ? -1 : 1) * Math.pow(10, n === 1 ? 0 : -3 + (6 * k) / (n - 1));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) M[i * n + j] += Q[k][i] * lam * Q[k][j];
  }
  return M;
}

function solveAndCheck(M: Float64Array, n: number, seed: number): number {
  const lu = new DenseLU(n);
  try {
    expect(lu.factor(M)).toBe(true);
    expect(lu.status).toBe(0);
    const r = rng(seed + 1);
    const b = Float64Array.from({ length: n }, () => 2 * r() - 1);
    const x = new Float64Array(n);
    lu.solve(b, x);
    return residual(M, x, b);
  } finally {
    lu.dispose();
  }
}

// sizes around the panel width (48) and the SIMD widths, odd and even
const SIZES = [1, 2, 3, 4, 5, 7, 8, 17, 47, 48, 49, 50, 96, 97, 130];

describe("dense LU (WASM)", () => {
  it("solves random matrices with relative residual ≤ 1e-12, n = 1 … 130", () => {
    for (const n of SIZES) expect(solveAndCheck(randomMatrix(n, n), n, n)).toBeLessThan(1e-12);
  });

  it("solves symmetric indefinite matrices (the Jacobian at a saddle) with residual ≤ 1e-12", () => {
    for (const n of SIZES) expect(solveAndCheck(indefiniteMatrix(n, 100 + n), n, n)).toBeLessThan(1e-12);
  });

  it("needs pivoting: a zero leading entry is handled", () => {
    const M = Float64Array.of(0, 1, 2, 1, 0, 3, 4, -3, 8);
    expect(solveAndCheck(M, 3, 1)).toBeLessThan(1e-14);
  });

  it("n = 1", () => {
    const lu = new DenseLU(1);
    expect(lu.factor(Float64Array.of(-4))).toBe(true);
    const x = new Float64Array(1);
    lu.solve(Float64Array.of(2), x);
    expect(x[0]).toBe(-0.5);
    expect(lu.factor(Float64Array.of(0))).toBe(false);
    expect(lu.status).toBe(1);
    lu.dispose();
  });

  it("reports an exactly singular matrix with the column of the zero pivot", () => {
    const n = 60;
    const M = randomMatrix(n, 3);
    // a zero column stays exactly zero under elimination: the pivot of column 50 is exactly 0
    for (let i = 0; i < n; i++) M[i * n + 50] = 0;
    const lu = new DenseLU(n);
    expect(lu.factor(M)).toBe(false);
    expect(lu.status).toBe(51);
    // a zero last row: the last pivot is exactly 0
    const R = randomMatrix(n, 4);
    R.fill(0, (n - 1) * n);
    expect(lu.factor(R)).toBe(false);
    expect(lu.status).toBe(n);
    const Z = new Float64Array(n * n);
    expect(lu.factor(Z)).toBe(false);
    expect(lu.status).toBe(1);
    lu.dispose();
  });

  it("factorShifted(c) factors c·I − J formed in WASM, reusing J", () => {
    const n = 37;
    const J = indefiniteMatrix(n, 9);
    const lu = new DenseLU(n);
    lu.setJacobian(J);
    for (const c of [0.5, 3, 1e4]) {
      expect(lu.factorShifted(c)).toBe(true);
      const M = J.map((v) => -v);
      for (let i = 0; i < n; i++) M[i * n + i] += c;
      const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
      const x = new Float64Array(n);
      lu.solve(b, x);
      expect(residual(M, x, b)).toBeLessThan(1e-13);
      lu.solve(b, b); // in place
      expect(Array.from(b)).toEqual(Array.from(x));
    }
    lu.dispose();
  });

  it("factors n = 300 with residual ≤ 1e-12", () => {
    expect(solveAndCheck(randomMatrix(300, 5), 300, 5)).toBeLessThan(1e-12);
  });

  it("validates shapes, use before factorisation and after dispose; returns its memory", () => {
    const e = getEngine();
    const used = e.allocator.used;
    const lu = new DenseLU(4);
    expect(() => lu.factor(new Float64Array(15))).toThrow(/length 16/);
    expect(() => lu.solve(new Float64Array(4), new Float64Array(4))).toThrow(/before any factorisation/);
    expect(() => lu.factorShifted(1)).toThrow(/setJacobian/);
    expect(() => lu.solve(new Float64Array(3), new Float64Array(4))).toThrow(/length 4/);
    lu.setJacobian(new Float64Array(16));
    lu.dispose();
    lu.dispose();
    expect(() => lu.factor(new Float64Array(16))).toThrow(/disposed/);
    expect(e.allocator.used).toBe(used);
    expect(() => new DenseLU(0)).toThrow(/positive integer/);
  });
});

describe("dense LU and memory growth", () => {
  it("keeps working after the WASM memory grew between calls", () => {
    const e = getEngine();
    const n = 20;
    const M = randomMatrix(n, 77);
    const lu = new DenseLU(n);
    lu.setJacobian(M);
    expect(lu.factorShifted(3)).toBe(true);
    const big = e.alloc(e.memory.buffer.byteLength + 1); // grows the memory, detaching old views
    const b = Float64Array.from({ length: n }, (_, i) => i - 3);
    const x = new Float64Array(n);
    lu.solve(b, x);
    const S = M.map((v) => -v);
    for (let i = 0; i < n; i++) S[i * n + i] += 3;
    expect(residual(S, x, b)).toBeLessThan(1e-13);
    expect(lu.factor(M)).toBe(true);
    lu.solve(b, x);
    expect(residual(M, x, b)).toBeLessThan(1e-13);
    e.free(big);
    lu.dispose();
  });
});
