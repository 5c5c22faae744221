import { describe, expect, it } from "vitest";
import { type Method, minimize } from "../../src/optim/index.js";
import { normInf, quadratic, solveSpd } from "./problems.js";

describe("random convex quadratics ½xᵀAx − bᵀx (+ c), n = 20…50, cond ≈ 30–50", () => {
  const cases = [20, 35, 50].map((n, k) => ({ n, seed: 100 + k }));

  it.each(cases)("newton: exact in one iteration (n = $n)", ({ n, seed }) => {
    const q = quadratic(n, seed);
    const xs = solveSpd(q.A, q.b);
    const r = minimize(q.obj, new Float64Array(n), "newton", { onIteration: ({ g }) => normInf(g) < 1e-13 });
    expect(r.iterations).toBe(1);
    for (let i = 0; i < n; i++) expect(r.x[i]).toBeCloseTo(xs[i], 12);
  });

  it.each(cases)("newtonTrustRegion: the interior Newton step once the radius allows it (n = $n)", ({ n, seed }) => {
    const q = quadratic(n, seed);
    const r = minimize(q.obj, new Float64Array(n), "newtonTrustRegion", { initialRadius: 100, onIteration: ({ g }) => normInf(g) < 1e-13 });
    expect(r.iterations).toBe(1);
  });

  it.each(cases)("bfgs: about n iterations (the Hager–Zhang search is near exact on quadratics) (n = $n)", ({ n, seed }) => {
    const q = quadratic(n, seed);
    const xs = solveSpd(q.A, q.b);
    const r = minimize(q.obj, new Float64Array(n), "bfgs", { maxIterations: 300, onIteration: ({ g }) => normInf(g) < 1e-10 });
    console.log(`quadratic n=${n} bfgs: ${r.iterations} iterations, ${r.evaluations.f} evaluations`);
    expect(r.stoppedBy).toBe("callback");
    expect(r.iterations).toBeLessThanOrEqual(n + 5);
    for (let i = 0; i < n; i++) expect(r.x[i]).toBeCloseTo(xs[i], 8);
  });

  it.each(cases)("lbfgs (m = 10): converges in a small multiple of n (n = $n)", ({ n, seed }) => {
    const q = quadratic(n, seed);
    const r = minimize(q.obj, new Float64Array(n), "lbfgs", { maxIterations: 300, onIteration: ({ g }) => normInf(g) < 1e-10 });
    console.log(`quadratic n=${n} lbfgs: ${r.iterations} iterations, ${r.evaluations.f} evaluations`);
    expect(r.stoppedBy).toBe("callback");
    expect(r.iterations).toBeLessThanOrEqual(2 * n);
  });

  it.each(["newton", "newtonTrustRegion", "bfgs", "lbfgs"] as Method[])(
    "%s reaches ‖∇f‖∞ ≤ 1e-13 even when f = 1 + … cannot resolve the last steps",
    (method) => {
      const n = 30;
      const q = quadratic(n, 7, 100, 1);
      const r = minimize(q.obj, new Float64Array(n), method, { maxIterations: 300, onIteration: ({ g }) => normInf(g) <= 1e-13 });
      console.log(
        `quadratic n=${n} + 1, ${method}: ‖g‖∞ = ${normInf(r.g).toExponential(2)} after ${r.iterations} iterations (${r.stoppedBy})`,
      );
      expect(normInf(r.g)).toBeLessThanOrEqual(1e-13);
    },
  );
});
