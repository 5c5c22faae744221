// Symmetric eigen-decomposition kernel (assembly/eigen.ts) through the engine, on both builds.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getEngine } from "../src/engine/kernels.js";

const debug = process.env.MLPGF_BUILD === "debug";
const EPS = 2.220446049250313e-16;

interface Eig {
  info: number;
  values: Float64Array;
  vectors: Float64Array; // row-major, column j belongs to values[j]
}

/** Runs eigSym on a copy of the row-major n×n matrix `a`; `inPlace` passes the same buffer as a and vectors. */
function eigSym(n: number, a: ArrayLike<number>, inPlace = false): Eig {
  const e = getEngine();
  const ex = e.exports;
  const work = ex.eigSymWorkSize(n) as number;
  const pa = e.alloc(8 * n * n);
  const pv = inPlace ? pa : e.alloc(8 * n * n);
  const pw = e.alloc(8 * n);
  const pk = e.alloc(8 * work);
  try {
    e.f64(pa, n * n).set(a);
    const info = ex.eigSym(n, pa, pw, pv, pk) as number;
    return { info, values: e.f64(pw, n).slice(), vectors: e.f64(pv, n * n).slice() };
  } finally {
    e.free(pk);
    e.free(pw);
    if (!inPlace) e.free(pv);
    e.free(pa);
  }
}

/** Seeded uniform [0, 1) generator (mulberry32). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples (Box–Muller). */
function gaussian(r: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** Random symmetric matrix with entries uniform in [−1, 1). */
function randomSymmetric(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = 2 * r() - 1;
      a[i * n + j] = x;
      a[j * n + i] = x;
    }
  }
  return a;
}

/** Random orthogonal n×n matrix: product of n Householder reflectors with Gaussian vectors. */
function randomOrthogonal(n: number, seed: number): Float64Array {
  const g = gaussian(rng(seed));
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const v = new Float64Array(n);
  const y = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let vv = 0;
    for (let i = 0; i < n; i++) vv += (v[i] = g()) ** 2;
    // Q ← Q·(I − 2vvᵀ/vᵀv)
    y.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) y[i] += q[i * n + j] * v[j];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) q[i * n + j] -= (2 / vv) * y[i] * v[j];
  }
  return q;
}

/** Q·diag(lambda)·Qᵀ, symmetrised exactly. */
function withSpectrum(lambda: number[], seed: number): Float64Array {
  const n = lambda.length;
  const q = randomOrthogonal(n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[i * n + k] * lambda[k] * q[j * n + k];
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  }
  return a;
}

function frobenius(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** ‖AV − VΛ‖_F. */
function residual(n: number, a: ArrayLike<number>, { values, vectors }: Eig): number {
  let s = 0;
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    row.fill(0);
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) row[j] += aik * vectors[k * n + j];
    }
    for (let j = 0; j < n; j++) s += (row[j] - vectors[i * n + j] * values[j]) ** 2;
  }
  return Math.sqrt(s);
}

/** ‖VᵀV − I‖_max. */
function orthogonality(n: number, v: Float64Array): number {
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vt[j * n + i] = v[i * n + j];
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vt[i * n + k] * vt[j * n + k];
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

/**
 * Residual tolerance 1e-12·√n·‖A‖_F. Householder reduction and QL are backward stable: the computed
 * pairs are exact for A + E with ‖E‖_F ≤ c·n·ε·‖A‖_F in the worst case, but the rounding errors of the
 * O(n) orthogonal transformations behind each entry add up like a random walk, so the observed error
 * grows like √n·ε (measured 1e-15 at n = 5, 3e-15 at n = 100, 6e-15 at n = 500, relative). 1e-12·√n
 * leaves a margin of more than 100 over that and over the worst-case c·n·ε model up to n ≈ 10⁴.
 */
function residualTol(n: number, a: ArrayLike<number>): number {
  return 1e-12 * Math.sqrt(Math.max(n, 1)) * frobenius(a);
}
/** ‖VᵀV − I‖_max tolerance (measured ≤ 1e-14 up to n = 500). */
const ORTH_TOL = 1e-12;

/** Runs the kernel and checks status, ascending order, residual and orthogonality. */
function checkDecomposition(n: number, a: Float64Array): Eig {
  const r = eigSym(n, a);
  expect(r.info).toBe(0);
  for (let j = 1; j < n; j++) expect(r.values[j]).toBeGreaterThanOrEqual(r.values[j - 1]);
  expect(residual(n, a, r)).toBeLessThanOrEqual(residualTol(n, a));
  expect(orthogonality(n, r.vectors)).toBeLessThanOrEqual(ORTH_TOL);
  return r;
}

/** max |computed − expected| over the sorted spectra, relative to max |expected|. */
function spectrumError(values: Float64Array, expected: number[]): number {
  const sorted = [...expected].sort((x, y) => x - y);
  const scale = Math.max(...sorted.map(Math.abs), Number.MIN_VALUE);
  let worst = 0;
  for (let j = 0; j < sorted.length; j++) worst = Math.max(worst, Math.abs(values[j] - sorted[j]));
  return worst / scale;
}

describe("eigSym", () => {
  it("writes only inside values, vectors and eigSymWorkSize(n) f64 of work", () => {
    const e = getEngine();
    const ex = e.exports;
    expect(ex.eigSymWorkSize(0)).toBe(0);
    const GUARD = 32; // f64 of sentinel before and after each buffer
    const SENTINEL = -1.2345e67;
    for (const n of [1, 2, 3, 9, 17, 64, 65, 100]) {
      const lens = { a: n * n, values: n, vectors: n * n, work: ex.eigSymWorkSize(n) as number };
      const ptr: Record<string, number> = {};
      for (const [k, len] of Object.entries(lens)) ptr[k] = e.alloc(8 * (len + 2 * GUARD)) + 8 * GUARD;
      const a = randomSymmetric(n, 71 + n);
      for (const [k, len] of Object.entries(lens)) e.f64(ptr[k] - 8 * GUARD, len + 2 * GUARD).fill(SENTINEL);
      e.f64(ptr.a, n * n).set(a);
      expect(ex.eigSym(n, ptr.a, ptr.values, ptr.vectors, ptr.work)).toBe(0);
      for (const [k, len] of Object.entries(lens)) {
        const before = e.f64(ptr[k] - 8 * GUARD, GUARD);
        const after = e.f64(ptr[k] + 8 * len, GUARD);
        expect(
          [...before, ...after].every((x) => x === SENTINEL),
          `${k} guard, n = ${n}`,
        ).toBe(true);
      }
      expect(Array.from(e.f64(ptr.a, n * n))).toEqual(Array.from(a)); // a is read only
      for (const k of Object.keys(lens)) e.free(ptr[k] - 8 * GUARD);
    }
  });

  it("handles n = 0, 1 and 2", () => {
    expect(eigSym(0, []).info).toBe(0);
    const one = eigSym(1, [-3.5]);
    expect(one.info).toBe(0);
    expect(Array.from(one.values)).toEqual([-3.5]);
    expect(Array.from(one.vectors)).toEqual([1]);
    // [[2, 1], [1, 2]]: eigenvalues 1, 3 with eigenvectors (1, −1)/√2, (1, 1)/√2
    const a = Float64Array.of(2, 1, 1, 2);
    const two = checkDecomposition(2, a);
    expect(two.values[0]).toBeCloseTo(1, 15);
    expect(two.values[1]).toBeCloseTo(3, 15);
    expect(Math.abs(two.vectors[0] + two.vectors[2])).toBeLessThan(1e-15); // v₀ ∝ (1, −1)
    expect(Math.abs(two.vectors[1] - two.vectors[3])).toBeLessThan(1e-15); // v₁ ∝ (1, 1)
    // already diagonal 2×2, decreasing
    const d = checkDecomposition(2, Float64Array.of(5, 0, 0, -1));
    expect(Array.from(d.values)).toEqual([-1, 5]);
  });

  it("decomposes random symmetric matrices of many sizes", () => {
    const sizes = debug
      ? [3, 4, 5, 8, 9, 16, 17, 31, 32, 33, 40, 64, 65, 100, 150]
      : [3, 4, 5, 8, 9, 16, 17, 31, 32, 33, 40, 64, 65, 100, 150, 257, 500];
    for (const n of sizes) checkDecomposition(n, randomSymmetric(n, 1000 + n));
  });

  it("finds repeated eigenvalues", () => {
    const lambda = [1, 1, 1, 1, 2, 2, 2, -3, -3, 0, 0, 0, 5, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 1e-8, 1e-8, 4, 4, 4, 4];
    const n = lambda.length;
    const a = withSpectrum(lambda, 7);
    const r = checkDecomposition(n, a);
    expect(spectrumError(r.values, lambda)).toBeLessThanOrEqual(1e-13);
    // one eigenvalue of multiplicity n − 1 (I + rank 1)
    const m = 60;
    const b = withSpectrum([...Array(m - 1).fill(2), 10], 8);
    const rb = checkDecomposition(m, b);
    expect(spectrumError(rb.values, [...Array(m - 1).fill(2), 10])).toBeLessThanOrEqual(1e-13);
  });

  it("returns the diagonal of a diagonal matrix exactly, with permutation eigenvectors", () => {
    const diag = [3, -1, 0, 2.5, -7, 1e-300, 3, 4e8, -0.125, 6];
    const n = diag.length;
    const a = new Float64Array(n * n);
    diag.forEach((x, i) => (a[i * n + i] = x));
    const r = checkDecomposition(n, a);
    expect(Array.from(r.values)).toEqual([...diag].sort((x, y) => x - y));
    for (let j = 0; j < n; j++) {
      let ones = 0;
      for (let i = 0; i < n; i++) {
        const v = Math.abs(r.vectors[i * n + j]);
        expect(v === 0 || v === 1).toBe(true);
        if (v === 1) {
          ones++;
          expect(diag[i]).toBe(r.values[j]);
        }
      }
      expect(ones).toBe(1);
    }
  });

  it("decomposes the zero matrix into zeros and an orthonormal basis", () => {
    for (const n of [1, 2, 3, 20]) {
      const r = checkDecomposition(n, new Float64Array(n * n));
      expect(Array.from(r.values)).toEqual(Array(n).fill(0));
    }
  });

  it("decomposes rank-1 matrices ±x·xᵀ", () => {
    for (const [n, sign] of [
      [2, 1],
      [17, -1],
      [80, 1],
    ]) {
      const g = gaussian(rng(n));
      const x = Array.from({ length: n }, g);
      const xx = x.reduce((s, t) => s + t * t, 0);
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = sign * x[i] * x[j];
      const r = checkDecomposition(n, a);
      const expected = [...Array(n - 1).fill(0), sign * xx];
      expect(spectrumError(r.values, expected)).toBeLessThanOrEqual(1e-13);
      // the eigenvector of the nonzero eigenvalue is ±x/‖x‖
      const j = sign > 0 ? n - 1 : 0;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += r.vectors[i * n + j] * x[i];
      expect(Math.abs(Math.abs(dot) / Math.sqrt(xx) - 1)).toBeLessThan(1e-13);
    }
  });

  it("finds the null space of a rank-deficient Gauss–Newton matrix JᵀJ", () => {
    const n = debug ? 60 : 120;
    const m = n / 2; // rank
    const g = gaussian(rng(61));
    const j = Array.from({ length: m * n }, g);
    const a = new Float64Array(n * n);
    for (let k = 0; k < m; k++) for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) a[r * n + c] += j[k * n + r] * j[k * n + c];
    const res = checkDecomposition(n, a);
    const norm2 = res.values[n - 1];
    const zero = Array.from(res.values).filter((x) => Math.abs(x) <= 1e-12 * norm2).length;
    expect(zero).toBe(n - m);
    // the null space is orthogonal to the rows of J
    for (let col = 0; col < n - m; col++) {
      for (let k = 0; k < m; k++) {
        let s = 0;
        for (let r = 0; r < n; r++) s += j[k * n + r] * res.vectors[r * n + col];
        expect(Math.abs(s)).toBeLessThan(1e-12 * Math.sqrt(norm2));
      }
    }
  });

  it("resolves spectra spread over 1e-10 … 1e6, definite and indefinite", () => {
    const n = debug ? 60 : 150;
    const spread = Array.from({ length: n }, (_, i) => 10 ** (-10 + (16 * i) / (n - 1)));
    const r = checkDecomposition(n, withSpectrum(spread, 11));
    // Backward stability determines eigenvalues to a small multiple of ε·‖A‖ absolutely (measured
    // ≤ 7.4·ε·‖A‖ here, most of it from rounding A = QΛQᵀ itself), so 1e-10 is below the noise floor
    // while every eigenvalue above 64·ε·‖A‖ ≈ 1.4e-8 must keep its sign.
    const floor = 64 * EPS * 1e6;
    expect(spectrumError(r.values, spread) * 1e6).toBeLessThanOrEqual(floor);
    // every eigenvalue above the noise floor keeps its sign
    const sorted = [...spread].sort((x, y) => x - y);
    for (let j = 0; j < n; j++) if (sorted[j] > floor) expect(r.values[j]).toBeGreaterThan(0);
    const signs = spread.map((x, i) => (i % 3 === 0 ? -x : x));
    const s = checkDecomposition(n, withSpectrum(signs, 12));
    expect(spectrumError(s.values, signs) * 1e6).toBeLessThanOrEqual(floor);
    const sortedSigns = [...signs].sort((x, y) => x - y);
    for (let j = 0; j < n; j++) if (Math.abs(sortedSigns[j]) > floor) expect(Math.sign(s.values[j])).toBe(Math.sign(sortedSigns[j]));
  });

  it("decomposes an indefinite matrix with a known spectrum", () => {
    const lambda = [-4, -2.5, -1, -1e-3, 0.5, 1, 2, 3.25, 8, -8];
    const r = checkDecomposition(lambda.length, withSpectrum(lambda, 13));
    expect(spectrumError(r.values, lambda)).toBeLessThanOrEqual(1e-14);
    const neg = Array.from(r.values).filter((x) => x < 0).length;
    expect(neg).toBe(5);
  });

  it("iterates graded tridiagonal matrices towards either end (QL and QR sweeps)", () => {
    // Already tridiagonal, so T = A: growing |dᵢ| selects QL sweeps, the reversed matrix QR sweeps.
    // n = 37 exercises both the 8-row SIMD panels and the narrow last panel in both directions.
    const n = 37;
    const g = gaussian(rng(51));
    const diag = Array.from({ length: n }, (_, i) => 10 ** (i / 6) * (1 + 0.1 * g()));
    const off = Array.from({ length: n - 1 }, (_, i) => 10 ** (i / 6) * g());
    const grow = new Float64Array(n * n);
    const shrink = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      grow[i * n + i] = diag[i];
      shrink[(n - 1 - i) * n + (n - 1 - i)] = diag[i];
      if (i < n - 1) {
        grow[(i + 1) * n + i] = grow[i * n + i + 1] = off[i];
        shrink[(n - 2 - i) * n + (n - 1 - i)] = shrink[(n - 1 - i) * n + (n - 2 - i)] = off[i];
      }
    }
    const a = checkDecomposition(n, grow);
    const b = checkDecomposition(n, shrink);
    const norm = Math.max(Math.abs(a.values[0]), Math.abs(a.values[n - 1]));
    for (let j = 0; j < n; j++) expect(Math.abs(a.values[j] - b.values[j])).toBeLessThanOrEqual(1e-13 * norm);
  });

  it("scales huge and tiny matrices instead of overflowing", () => {
    const n = 40;
    for (const scale of [1e300, 1e-300, 1e-310]) {
      const a = randomSymmetric(n, 21).map((x) => x * scale);
      const ref = eigSym(n, randomSymmetric(n, 21));
      const r = eigSym(n, a);
      expect(r.info).toBe(0);
      expect(orthogonality(n, r.vectors)).toBeLessThanOrEqual(ORTH_TOL);
      // subnormal entries (1e-310) carry only ~14 significant bits
      const tol = scale < 1e-307 ? 1e-3 : 1e-13;
      const ev = Array.from(ref.values, (x) => x * scale);
      const worst = Math.max(...ev.map((x, j) => Math.abs(r.values[j] - x))) / Math.max(...ev.map(Math.abs));
      expect(worst).toBeLessThanOrEqual(tol);
    }
  });

  it("reads only the lower triangle and may overwrite its input", () => {
    const n = 33;
    const a = randomSymmetric(n, 31);
    const lower = a.map((x, k) => (k % n > Math.floor(k / n) ? NaN : x)); // upper triangle NaN
    const r = eigSym(n, lower, true);
    expect(r.info).toBe(0);
    expect(residual(n, a, r)).toBeLessThanOrEqual(residualTol(n, a));
  });

  it("reports NaN and infinite input with status 1 and NaN results", () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const a = randomSymmetric(6, 41);
      a[3 * 6 + 1] = a[1 * 6 + 3] = bad;
      const r = eigSym(6, a);
      expect(r.info).toBe(1);
      expect(r.values.every(Number.isNaN)).toBe(true);
      expect(r.vectors.every(Number.isNaN)).toBe(true);
    }
  });

  describe("agrees with numpy.linalg.eigh (test/fixtures/gen_eigen.py)", () => {
    const fixture = JSON.parse(readFileSync(new URL("./fixtures/eigen.json", import.meta.url), "utf8")) as {
      cases: { name: string; n: number; a: number[]; values: number[]; vectors: number[] }[];
    };
    for (const c of fixture.cases) {
      it(`${c.name}`, () => {
        const { n } = c;
        const a = Float64Array.from(c.a);
        const r = checkDecomposition(n, a);
        const norm2 = Math.max(...c.values.map(Math.abs));
        for (let j = 0; j < n; j++) expect(Math.abs(r.values[j] - c.values[j])).toBeLessThanOrEqual(1e-12 * norm2);
        // eigenvectors of simple eigenvalues agree up to sign; the error bound scales with 1/gap
        let compared = 0;
        for (let j = 0; j < n; j++) {
          let gap = Infinity;
          for (let i = 0; i < n; i++) if (i !== j) gap = Math.min(gap, Math.abs(c.values[i] - c.values[j]));
          if (gap < 1e-8 * norm2) continue;
          let dot = 0;
          for (let i = 0; i < n; i++) dot += r.vectors[i * n + j] * c.vectors[i * n + j];
          const sign = dot < 0 ? -1 : 1;
          let worst = 0;
          for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(r.vectors[i * n + j] - sign * c.vectors[i * n + j]));
          expect(worst).toBeLessThanOrEqual(Math.max(1e-13, (1e-13 * norm2) / gap));
          compared++;
        }
        expect(compared).toBeGreaterThan(0);
      });
    }
  });
});
