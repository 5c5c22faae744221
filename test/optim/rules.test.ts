import { describe, expect, it } from "vitest";
import { MLPGFError } from "../../src/errors.js";
import { Adam, Descent } from "../../src/optim/index.js";
import { quadratic, solveSpd } from "./problems.js";

describe("discrete rules", () => {
  it("Descent: x ← x − η·g with Optimisers.jl's default η = 0.1", () => {
    const rule = new Descent();
    expect(rule.eta).toBe(0.1);
    const x = Float64Array.from([1, -2]);
    rule.step(x, Float64Array.from([0.5, 1]));
    expect(Array.from(x)).toEqual([1 - 0.05, -2 - 0.1]);
  });

  it("Adam: Optimisers.jl defaults and bias-corrected moments, step by step", () => {
    const rule = new Adam();
    expect([rule.eta, ...rule.beta, rule.epsilon]).toEqual([1e-3, 0.9, 0.999, 1e-8]);
    const x = Float64Array.from([0, 0]);
    // First step: m̂ = g, v̂ = g² → Δ = η·g/(|g| + ε) ≈ η·sign(g).
    rule.step(x, Float64Array.from([2, -0.5]));
    expect(x[0]).toBeCloseTo(-1e-3 * (2 / (2 + 1e-8)), 17);
    expect(x[1]).toBeCloseTo(1e-3 * (0.5 / (0.5 + 1e-8)), 17);
    // Second step with g = (1, 1): reference from the formulas.
    const m = [0.9 * 0.2 + 0.1 * 1, 0.9 * -0.05 + 0.1 * 1];
    const v = [0.999 * 0.004 + 0.001 * 1, 0.999 * 0.00025 + 0.001 * 1];
    const before = Array.from(x);
    rule.step(x, Float64Array.from([1, 1]));
    for (let i = 0; i < 2; i++) {
      const d = (m[i] / (1 - 0.81) / (Math.sqrt(v[i] / (1 - 0.999 ** 2)) + 1e-8)) * 1e-3;
      expect(x[i]).toBeCloseTo(before[i] - d, 16);
    }
    expect(rule.t).toBe(2);
    rule.reset();
    expect(rule.t).toBe(0);
  });

  it.each([
    ["descent", () => new Descent({ eta: 0.02 }), 2000],
    ["adam", () => new Adam({ eta: 0.01 }), 3000],
  ] as const)("%s reduces f − f* of a convex quadratic by orders of magnitude", (_name, make, steps) => {
    const n = 20;
    const q = quadratic(n, 9, 10);
    const xs = solveSpd(q.A, q.b);
    const g = new Float64Array(n);
    const fStar = q.obj.fg(xs, g);
    const rule = make();
    const x = new Float64Array(n);
    const f0 = q.obj.fg(x, g);
    for (let k = 0; k < steps; k++) {
      q.obj.fg(x, g);
      rule.step(x, g);
    }
    const f1 = q.obj.fg(x, g);
    console.log(`${_name}: f − f* from ${(f0 - fStar).toExponential(2)} to ${(f1 - fStar).toExponential(2)} in ${steps} steps`);
    expect(f1 - fStar).toBeLessThan(1e-4 * (f0 - fStar));
  });

  it("validates its options and lengths", () => {
    expect(() => new Descent({ eta: 0 })).toThrow(MLPGFError);
    expect(() => new Adam({ beta: [0.9, 1] })).toThrow(MLPGFError);
    expect(() => new Adam({ epsilon: -1 })).toThrow(MLPGFError);
    expect(() => new Descent().step(new Float64Array(2), new Float64Array(3))).toThrow(MLPGFError);
  });
});
