import { describe, expect, it } from "vitest";
import { GaussianIntegrals, gaussHermiteRule } from "../src/engine/gaussian.js";
import { getEngine } from "../src/engine/kernels.js";

// Independent values from the reference inventory (computed there with scipy and adaptive quadrature,
// not by this package): closed forms of G2 = E f(r₁ξ + b₁) f(r₂η + b₂), corr(ξ, η) = u, Owen's T.
const RELU = { kind: 1, coef: [] };
const NORMAL_CDF = { kind: 12, coef: [] };
const SIGMOID2 = { kind: 11, coef: [] };
const G2_VALUES: [typeof RELU, [number, number, number, number, number], number][] = [
  [RELU, [0.3, 0.1, 0.4, -0.2, 0.3], 0.021658846697916012],
  [RELU, [-0.3, 0.1, 0.4, 0.2, 0.3], 0.03421290180240383],
  [RELU, [1.2, -0.5, 0.7, 0.3, -0.6], 0.030405535460780272],
  [NORMAL_CDF, [0.3, 0.1, 0.4, -0.2, 0.3], 0.23442210767289234],
  [NORMAL_CDF, [1.2, -0.5, 0.7, 0.3, -0.6], 0.1839776659203441],
  [SIGMOID2, [0.3, 0.1, 0.4, -0.2, 0.3], 0.008697960705962515],
  [SIGMOID2, [1.2, -0.5, 0.7, 0.3, -0.6], -0.2071271652805564],
];

describe("Gaussian integrals against independent reference values", () => {
  it("closed forms of G2 and G1 (relu, normal_cdf, sigmoid2) and Owen's T", () => {
    const e = getEngine();
    const g = new GaussianIntegrals(e);
    for (const [f, a, ref] of G2_VALUES) expect(Math.abs(g.g2(f, f, ...a, 0)[0] - ref)).toBeLessThan(1e-15);
    expect(Math.abs(g.g1(NORMAL_CDF, 0.7, 0.3, 0)[0] - 0.40711457912447147)).toBeLessThan(1e-15);
    const owent = e.exports.owent;
    expect(Math.abs(owent(0.0625, 0.025) - 0.003970281304296922)).toBeLessThan(1e-17);
    g.release();
  });

  it("the pruned Gauss–Hermite rule: 136 nodes, moments of N(0, 1), E cos(x₁ + x₂) = 1/e", () => {
    const { x, w } = gaussHermiteRule(getEngine());
    expect(x.length).toBe(136);
    const m = (p: number) => x.reduce((s, v, i) => s + w[i] * v ** p, 0);
    expect(Math.abs(m(0) - 1)).toBeLessThan(1e-15);
    expect(Math.abs(m(1))).toBeLessThan(1e-16);
    expect(Math.abs(m(2) - 1)).toBeLessThan(1e-14);
    expect(Math.abs(m(4) - 3)).toBeLessThan(1e-13);
    let c = 0;
    for (let i = 0; i < x.length; i++) for (let j = 0; j < x.length; j++) c += w[i] * w[j] * Math.cos(x[i] + x[j]);
    expect(Math.abs(c - Math.exp(-1))).toBeLessThan(1e-15);
  });
});
