import { describe, expect, it } from "vitest";
import { fixture, kx } from "./helpers.js";

// Oracle: mpmath quadrature of the defining integral at 40 digits (gen_gauss.py), rounded to double.
const ABS_TOL = 1e-15;
const REL_TOL = 1e-14;
/** Below this |T| only the absolute tolerance applies (subnormal results). */
const TINY = 1e-300;

describe("Owen's T", () => {
  const cases = (fixture.owent as [number, number | string, number][]).map(([h, a, t]) => [
    h,
    typeof a === "string" ? Number(a.replace("inf", "Infinity")) : a,
    t,
  ]);

  it(`matches the mpmath oracle on ${cases.length} points (h ∈ [−10, 10], a ∈ [−100, 100] ∪ {±∞})`, () => {
    let worstAbs = 0;
    let worstRel = 0;
    for (const [h, a, t] of cases) {
      const v = kx.owent(h, a);
      const err = Math.abs(v - t);
      worstAbs = Math.max(worstAbs, err);
      if (Math.abs(t) > TINY) worstRel = Math.max(worstRel, err / Math.abs(t));
      if (!(err <= ABS_TOL && (Math.abs(t) <= TINY || err <= REL_TOL * Math.abs(t)))) {
        throw new Error(`owent(${h}, ${a}) = ${v}, oracle ${t}`);
      }
    }
    expect(worstAbs).toBeLessThanOrEqual(ABS_TOL);
    expect(worstRel).toBeLessThanOrEqual(REL_TOL);
  });

  it("reproduces the reference value owent(0.0625, 0.025) = 0.003970281304296922 (to 1 ulp)", () => {
    const v = kx.owent(0.0625, 0.025);
    expect(Math.abs(v - 0.003970281304296922)).toBeLessThanOrEqual(8.7e-19);
  });

  it("has the special values and symmetries", () => {
    const TWO_PI = 2 * Math.PI;
    expect(kx.owent(1.3, 0)).toBe(0);
    expect(kx.owent(0, 1)).toBeCloseTo(1 / 8, 16);
    expect(Math.abs(kx.owent(0, Infinity) - 0.25)).toBeLessThanOrEqual(1e-16);
    expect(Math.abs(kx.owent(0, 0.7) - Math.atan(0.7) / TWO_PI)).toBeLessThanOrEqual(2e-17);
    for (const h of [0.1, 1, 3, 7]) {
      for (const a of [0.2, 1, 5]) {
        expect(kx.owent(-h, a)).toBe(kx.owent(h, a));
        expect(kx.owent(h, -a)).toBe(-kx.owent(h, a));
      }
    }
    expect(kx.owent(50, 0.5)).toBe(0);
    expect(kx.owent(1, 1e300)).toBeCloseTo(kx.owent(1, Infinity), 17);
    expect(Number.isNaN(kx.owent(NaN, 1))).toBe(true);
    expect(Number.isNaN(kx.owent(1, NaN))).toBe(true);
  });

  it("is continuous across the method boundaries and the a = 1 reflection", () => {
    // a few ulps below and above every boundary of the region table: T itself changes by
    // ≈ (h² + 1)·8ε·T there (T ∝ e^(−h²/2)), a switch of method must not add more than 1e−14·T
    const H_EDGES = [0.02, 0.06, 0.09, 0.125, 0.26, 0.4, 0.6, 1.6, 1.7, 2.33, 2.4, 3.36, 3.4, 4.8];
    const A_EDGES = [0.025, 0.09, 0.15, 0.36, 0.5, 0.9, 0.99999, 1];
    const H_GRID = [0.01, 0.05, 0.1, 0.3, 0.5, 1, 1.65, 2, 2.37, 3, 3.38, 4, 5, 7];
    const A_GRID = [0.01, 0.05, 0.1, 0.2, 0.4, 0.7, 0.95, 0.999995, 3];
    const JUMP = 4 * Number.EPSILON;
    const check = (h: number, a: number, dh: number, da: number): void => {
      const lo = kx.owent(h * (1 - dh), a * (1 - da)),
        hi = kx.owent(h * (1 + dh), a * (1 + da));
      const tol = (1e-14 + 8 * Number.EPSILON * (h * h + 1)) * Math.abs(lo) + 1e-300;
      if (!(Math.abs(hi - lo) <= tol)) throw new Error(`jump at (${h}, ${a}): ${lo} → ${hi}`);
    };
    for (const h of H_EDGES) for (const a of A_GRID) check(h, a, JUMP, 0);
    for (const a of A_EDGES) for (const h of H_GRID) check(h, a, 0, JUMP);
  });
});
