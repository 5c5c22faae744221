import { describe, expect, it } from "vitest";
import { engine, fixture, kx } from "./helpers.js";

// Oracle: the zeros of He_N polished by Newton's method at 30 digits in mpmath and their Christoffel
// weights (gen_gauss.py; scipy's own roots_hermitenorm is off by ~1e−14 for large N), and exact
// Gaussian moments. Measured: nodes within 1 ulp, weights within 2.4e−14 relative.
const NODE_TOL = 4.5e-16; // relative to max(1, |x|)
const WEIGHT_TOL = 5e-14; // relative

function rule(N: number, threshold: number): { x: number[]; w: number[] } {
  const px = engine.alloc(8 * N),
    pw = engine.alloc(8 * N);
  try {
    const n = kx.gaussHermite(N, threshold, px, pw);
    return { x: Array.from(engine.f64(px, n)), w: Array.from(engine.f64(pw, n)) };
  } finally {
    engine.free(px);
    engine.free(pw);
  }
}

/** Σ of the terms with Neumaier's compensation (so that the test sees the rule, not the summation). */
function fsum(terms: Iterable<number>): number {
  let s = 0,
    c = 0;
  for (const t of terms) {
    const u = s + t;
    c += Math.abs(s) >= Math.abs(t) ? s - u + t : t - u + s;
    s = u;
  }
  return s + c;
}

/** (2k − 1)!! = E ξ^(2k). */
function doubleFactorial(k: number): number {
  let p = 1;
  for (let i = 2 * k - 1; i > 1; i -= 2) p *= i;
  return p;
}

describe("Gauss–Hermite rule (standard normal measure)", () => {
  const r600 = rule(600, 1e-18);

  it("N = 600 pruned at 1e−18 keeps 136 nodes, |x| ≤ 8.70, and agrees with the oracle", () => {
    const ref = fixture.gh600;
    expect(r600.x.length).toBe(136);
    expect(r600.x.length).toBe(ref.x.length);
    for (let i = 0; i < ref.x.length; i++) {
      expect(Math.abs(r600.x[i] - ref.x[i])).toBeLessThanOrEqual(NODE_TOL * Math.max(1, Math.abs(ref.x[i])));
      expect(Math.abs(r600.w[i] - ref.w[i])).toBeLessThanOrEqual(WEIGHT_TOL * ref.w[i]);
    }
    expect(Math.max(...r600.x)).toBeCloseTo(8.6995, 3);
  });

  it("is ascending and exactly symmetric", () => {
    const { x, w } = r600;
    for (let i = 1; i < x.length; i++) expect(x[i]).toBeGreaterThan(x[i - 1]);
    for (let i = 0; i < x.length; i++) {
      expect(x[x.length - 1 - i]).toBe(-x[i]);
      expect(w[x.length - 1 - i]).toBe(w[i]);
    }
  });

  it("pruned: Σw = 1, Σw x² = 1, Σw x⁴ = 3 (up to the dropped tail |x| > 8.7: 2e−18, 2e−16, 2e−14)", () => {
    const { x, w } = r600;
    const TAIL = [2e-15, 2e-15, 3e-14];
    for (let k = 0; k <= 2; k++) {
      const s = fsum(x.map((xi, i) => w[i] * xi ** (2 * k)));
      expect(Math.abs(s - doubleFactorial(k))).toBeLessThanOrEqual(TAIL[k]);
      expect(Math.abs(fsum(x.map((xi, i) => w[i] * xi ** (2 * k + 1))))).toBeLessThanOrEqual(1e-17);
    }
  });

  it("unpruned N = 600: exact for x⁰ … x³⁰ (degree ≤ 2N − 1)", () => {
    const { x, w } = rule(600, 0);
    expect(x.length).toBe(600);
    for (let k = 0; k <= 15; k++) {
      const s = fsum(x.map((xi, i) => w[i] * xi ** (2 * k)));
      expect(Math.abs(s - doubleFactorial(k))).toBeLessThanOrEqual(1e-14 * doubleFactorial(k));
    }
  });

  it("unpruned rules N = 1 … 101 equal the oracle and are exact to degree 2N − 1", () => {
    for (const [key, ref] of Object.entries(fixture.gh as Record<string, { x: number[]; w: number[] }>)) {
      const N = Number(key);
      const r = rule(N, 0);
      expect(r.x.length).toBe(N);
      for (let i = 0; i < N; i++) {
        expect(Math.abs(r.x[i] - ref.x[i])).toBeLessThanOrEqual(NODE_TOL * Math.max(1, Math.abs(ref.x[i])));
        expect(Math.abs(r.w[i] - ref.w[i])).toBeLessThanOrEqual(WEIGHT_TOL * ref.w[i]);
      }
      for (let k = 0; 2 * k <= 2 * N - 1 && k <= 12; k++) {
        let s = 0;
        for (let i = 0; i < N; i++) s += r.w[i] * r.x[i] ** (2 * k);
        expect(Math.abs(s - doubleFactorial(k))).toBeLessThanOrEqual(1e-13 * doubleFactorial(k));
      }
    }
  });

  it("the pruning threshold is a parameter", () => {
    expect(rule(600, 1e-10).x.length).toBeLessThan(136);
    expect(rule(600, 0).x.length).toBeGreaterThan(136);
    const r = rule(100, 1e-18);
    expect(r.w.every((v) => v >= 1e-18)).toBe(true);
    expect(rule(0, 0).x.length).toBe(0);
  });

  it("2-D tensor rule: 13,448 nodes, E cos(x₁ + x₂) = e⁻¹, with correlation 0.5 e^(−1.5)", () => {
    const n = r600.x.length;
    const px = engine.alloc(8 * n),
      pw = engine.alloc(8 * n);
    const p1 = engine.alloc(8 * n * n),
      p2 = engine.alloc(8 * n * n),
      p3 = engine.alloc(8 * n * n);
    engine.f64(px, n).set(r600.x);
    engine.f64(pw, n).set(r600.w);
    const m = kx.gaussHermite2(px, pw, n, 1e-18, p1, p2, p3);
    expect(m).toBe(13448);
    expect(m).toBe(fixture.gh600.n2);
    const x1 = engine.f64(p1, m),
      x2 = engine.f64(p2, m),
      w = engine.f64(p3, m);
    const u = 0.5,
      up = Math.sqrt(1 - u * u);
    const idx = Array.from({ length: m }, (_, i) => i);
    const sw = fsum(idx.map((i) => w[i]));
    const s1 = fsum(idx.map((i) => w[i] * Math.cos(x1[i] + x2[i])));
    const sc = fsum(idx.map((i) => w[i] * Math.cos(x1[i] + u * x1[i] + up * x2[i])));
    // the product pruning drops 5,048 pairs of weight < 1e−18 each
    expect(Math.abs(sw - 1)).toBeLessThanOrEqual(6e-15);
    expect(Math.abs(s1 - Math.exp(-1))).toBeLessThanOrEqual(1e-15);
    expect(Math.abs(sc - Math.exp(-1.5))).toBeLessThanOrEqual(1e-15);
    for (const p of [px, pw, p1, p2, p3]) engine.free(p);
  });

  it("rule block of gaussRule: [n, threshold2, x, w]", () => {
    const N = 600;
    const p = engine.alloc(8 * (2 + 2 * N));
    const n = kx.gaussRule(N, 1e-18, 1e-20, p);
    const F = engine.f64(p, 2 + 2 * n);
    expect(n).toBe(136);
    expect(F[0]).toBe(136);
    expect(F[1]).toBe(1e-20);
    expect(Array.from(F.subarray(2, 2 + n))).toEqual(r600.x);
    expect(Array.from(F.subarray(2 + n, 2 + 2 * n))).toEqual(r600.w);
    engine.free(p);
  });
});
