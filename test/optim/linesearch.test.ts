import { describe, expect, it } from "vitest";
import { MLPGFError } from "../../src/errors.js";
import { HagerZhang, Monitor } from "../../src/optim/index.js";
import type { LineSearchOptions, Objective } from "../../src/optim/index.js";

/** Runs one search on the 1-D function phi from x = 0 along d = 1. */
function search(phi: (a: number) => [number, number], alpha0: number, opts: LineSearchOptions = {}) {
  const obj: Objective = {
    fg(x, g) {
      const [f, df] = phi(x[0]);
      g[0] = df;
      return f;
    },
  };
  const mon = new Monitor(obj, [0]);
  const ls = new HagerZhang(1, opts);
  const [f0, d0] = phi(0);
  const alpha = ls.search(mon, Float64Array.of(0), Float64Array.of(1), f0, d0, alpha0);
  const [fa, da] = phi(alpha);
  return { alpha, status: ls.status, evals: mon.evaluations.f, fa, da, f0, d0, ls };
}

/** Wolfe: sufficient decrease and curvature (δ = 0.1, σ = 0.9), or the approximate Wolfe conditions. */
function wolfe(r: { alpha: number; fa: number; da: number; f0: number; d0: number }): boolean {
  const w = r.fa - r.f0 <= 0.1 * r.alpha * r.d0 && r.da >= 0.9 * r.d0;
  const aw = (2 * 0.1 - 1) * r.d0 >= r.da && r.da >= 0.9 * r.d0 && r.fa <= r.f0 + 1e-6 * Math.abs(r.f0);
  return w || aw;
}

describe("Hager–Zhang line search", () => {
  const quad = (a: number): [number, number] => [(a - 2) ** 2 - 4, 2 * (a - 2)];

  it("on a quadratic, brackets and lands on the exact minimiser by a secant step (acceptInitial = 0)", () => {
    const r = search(quad, 1);
    expect(r.status).toBe("ok");
    expect(r.alpha).toBeCloseTo(2, 12);
    expect(wolfe(r)).toBe(true);
  });

  it("accepts a first trial close to the line minimum at once when acceptInitial allows it", () => {
    const r = search(quad, 1.9, { acceptInitial: 0.3 });
    expect(r.alpha).toBe(1.9);
    expect(r.evals).toBe(1);
    // far from the line minimum it still refines
    const s = search(quad, 0.5, { acceptInitial: 0.3 });
    expect(s.alpha).toBeCloseTo(2, 12);
  });

  it("shrinks a far too long first trial and expands a far too short one", () => {
    const long = search(quad, 1e6);
    expect(long.status).toBe("ok");
    expect(wolfe(long)).toBe(true);
    const short = search(quad, 1e-6);
    expect(short.status).toBe("ok");
    expect(wolfe(short)).toBe(true);
  });

  it("finds a Wolfe point on a non-convex line function (φ = −α·e^(−α) + α⁴/100)", () => {
    const phi = (a: number): [number, number] => [-a * Math.exp(-a) + a ** 4 / 100, (a - 1) * Math.exp(-a) + a ** 3 / 25];
    for (const a0 of [0.1, 1, 3, 10]) {
      const r = search(phi, a0);
      expect(r.status).toBe("ok");
      expect(wolfe(r)).toBe(true);
    }
  });

  it("backs away from non-finite values (φ = NaN for α > 1.5)", () => {
    const phi = (a: number): [number, number] => (a > 1.5 ? [NaN, NaN] : quad(a));
    for (const a0 of [1, 3, 1e3]) {
      const r = search(phi, a0);
      expect(r.alpha).toBeGreaterThan(0);
      expect(r.alpha).toBeLessThanOrEqual(1.5);
      expect(Number.isFinite(r.fa)).toBe(true);
      expect(r.fa).toBeLessThan(r.f0);
    }
  });

  it("survives long bisections on a discontinuous φ (more trials than the preallocated history)", () => {
    // φ = −α up to 1e-12, then a jump to 2 − α: only tiny steps decrease φ.
    const phi = (a: number): [number, number] => (a <= 1e-12 ? [-a, -1] : [2 - a, -1]);
    const r = search(phi, 1);
    expect(r.evals).toBeGreaterThan(64);
    expect(r.alpha).toBeGreaterThan(0);
    expect(r.alpha).toBeLessThanOrEqual(1e-12);
    expect(r.fa).toBeLessThan(0);
  });

  it("reports non-finite values, non-descent directions and bad options", () => {
    expect(search(() => [NaN, NaN], 1)).toMatchObject({ alpha: 0 });
    const up = search((a) => [a, 1], 1);
    expect(up).toMatchObject({ alpha: 0, status: "not a descent direction" });
    const nanEverywhere = (a: number): [number, number] => (a === 0 ? [1, -1] : [NaN, NaN]);
    expect(search(nanEverywhere, 1)).toMatchObject({ alpha: 0, status: "non-finite" });
    expect(() => new HagerZhang(1, { delta: 0.95 })).toThrow(MLPGFError);
    expect(() => new HagerZhang(1, { maxIterations: 0 })).toThrow(MLPGFError);
  });

  it("take() reuses the last trial or re-evaluates", () => {
    const r = search(quad, 1);
    const x = new Float64Array(1),
      g = new Float64Array(1);
    expect(r.ls.take(r.alpha, x, g)).toBeCloseTo(-4, 12);
    expect(x[0]).toBeCloseTo(2, 12);
    expect(r.ls.take(0.5, x, g)).toBeCloseTo(quad(0.5)[0], 14);
    expect(g[0]).toBeCloseTo(quad(0.5)[1], 14);
  });
});
