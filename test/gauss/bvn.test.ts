import { describe, expect, it } from "vitest";
import { engine, fixture, kx } from "./helpers.js";

// Oracle: mpmath quadrature of ∫_{−∞}^h φ(x)Φ((k − ρx)/√(1−ρ²)) dx at 40 digits; derivatives by central
// differences of that quadrature (gen_gauss.py). Layout of bvnDerivs: v, ∂h, ∂k, ∂ρ, hh, hk, hρ, kk, kρ, ρρ.
const VALUE_TOL = 1e-15;
const DERIV_TOL = 1e-14; // relative to max(1, |oracle|)

interface BvnCase {
  h: number;
  k: number;
  rho: number;
  v: number;
  d?: number[];
}
const cases = fixture.bvn as BvnCase[];
const out = engine.alloc(8 * 10);

function derivs(h: number, k: number, rho: number): number[] {
  kx.bvnDerivs(h, k, rho, out);
  return Array.from(engine.f64(out, 10));
}

describe("bivariate normal CDF", () => {
  it(`values match the oracle on ${cases.length} points (ρ = ±1, ρ near ±1, h = ±k included)`, () => {
    for (const c of cases) {
      const v = kx.bvn(c.h, c.k, c.rho);
      if (!(Math.abs(v - c.v) <= VALUE_TOL)) throw new Error(`bvn(${c.h}, ${c.k}, ${c.rho}) = ${v}, oracle ${c.v}`);
      expect(derivs(c.h, c.k, c.rho)[0]).toBe(v);
    }
  });

  it("gradient and Hessian match central differences of the oracle", () => {
    let worst = 0;
    for (const c of cases) {
      if (!c.d) continue;
      const d = derivs(c.h, c.k, c.rho);
      for (let i = 1; i < 10; i++) {
        const e = Math.abs(d[i] - c.d[i]) / Math.max(1, Math.abs(c.d[i]));
        worst = Math.max(worst, e);
        if (!(e <= DERIV_TOL)) throw new Error(`bvnDerivs(${c.h}, ${c.k}, ${c.rho})[${i}] = ${d[i]}, oracle ${c.d[i]}`);
      }
    }
    expect(worst).toBeLessThanOrEqual(DERIV_TOL);
  });

  it("symmetries: BvN(h, k, ρ) = BvN(k, h, ρ) = Φ(h) − BvN(h, −k, −ρ)", () => {
    for (const [h, k, r] of [
      [0.3, -1.2, 0.4],
      [2, 1, -0.7],
      [-0.5, -0.5, 0.99],
      [1.5, -1.5, -0.3],
    ]) {
      const v = kx.bvn(h, k, r);
      expect(Math.abs(kx.bvn(k, h, r) - v)).toBeLessThanOrEqual(2e-16);
      const phiH = kx.bvn(h, 40, 0);
      expect(Math.abs(phiH - kx.bvn(h, -k, -r) - v)).toBeLessThanOrEqual(4e-16);
    }
  });

  it("is finite and continuous at ρ = ±1 (values and the finite derivatives)", () => {
    for (const [h, k] of [
      [0.4, 0.9],
      [0.9, 0.4],
      [-1, 0.3],
      [0.5, 0.5],
      [0.7, -0.7],
    ]) {
      for (const s of [1, -1]) {
        const at = derivs(h, k, s);
        expect(at.every(Number.isFinite)).toBe(true);
        const near = derivs(h, k, s * (1 - 1e-14));
        expect(Math.abs(at[0] - near[0])).toBeLessThanOrEqual(1e-7);
        // ∂h, ∂k, ∂h∂h, ∂k∂k converge unless the point is on the line k = ±h (½ there)
        if (Math.abs(h - s * k) > 0.1) {
          for (const i of [1, 2, 4, 7]) expect(Math.abs(at[i] - near[i])).toBeLessThanOrEqual(1e-6);
        }
      }
    }
    expect(kx.bvn(0.3, 0.8, 1)).toBe(kx.bvn(0.3, 40, 0));
    expect(kx.bvn(0.3, -0.8, -1)).toBe(0);
    expect(kx.bvn(0.3, 0.8, 2)).toBe(kx.bvn(0.3, 0.8, 1)); // clamped
  });

  it("propagates NaN", () => {
    expect(Number.isNaN(kx.bvn(NaN, 0, 0.5))).toBe(true);
    expect(Number.isNaN(kx.bvn(0, 0, NaN))).toBe(true);
  });
});
