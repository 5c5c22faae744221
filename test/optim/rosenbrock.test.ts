import { describe, expect, it } from "vitest";
import { type Method, minimize } from "../../src/optim/index.js";
import { Cholesky } from "../../src/engine/cholesky.js";
import { chainedRosenbrock, normInf, rosenbrock, rosenbrockStart } from "./problems.js";

const METHODS: Method[] = ["newton", "newtonTrustRegion", "bfgs", "lbfgs"];

describe.each([2, 10])("Rosenbrock, n = %i, from (−1.2, 1, …)", (n) => {
  it.each(METHODS)("%s reaches the minimum (1, …, 1) with ‖∇f‖∞ < 1e-10", (method) => {
    const r = minimize(rosenbrock(n), rosenbrockStart(n), method, {
      maxIterations: 500,
      onIteration: ({ g }) => normInf(g) < 1e-10,
    });
    console.log(
      `rosenbrock n=${n} ${method}: ${r.iterations} iterations, evaluations f/g ${r.evaluations.f}, h ${r.evaluations.h}, stopped by ${r.stoppedBy}, f = ${r.f.toExponential(2)}, ‖g‖∞ = ${normInf(r.g).toExponential(2)}`,
    );
    expect(["callback", "zero gradient"]).toContain(r.stoppedBy);
    expect(normInf(r.g)).toBeLessThan(1e-10);
    expect(r.f).toBeLessThan(1e-20);
    for (const v of r.x) expect(v).toBeCloseTo(1, 10);
    expect(r.iterations).toBeLessThan(60);
    if (method === "bfgs" || method === "lbfgs") expect(r.evaluations.h).toBe(0);
  });
});

describe("chained Rosenbrock, n = 10 (all coordinates coupled), from (−1.2, 1, …)", () => {
  it.each(METHODS)("%s reaches a minimum (global f = 0, or the local one near x₁ = −1) with ‖∇f‖∞ < 1e-10", (method) => {
    const n = 10;
    const obj = chainedRosenbrock(n);
    const r = minimize(obj, rosenbrockStart(n), method, { maxIterations: 500, onIteration: ({ g }) => normInf(g) < 1e-10 });
    console.log(
      `chained rosenbrock n=10 ${method}: ${r.iterations} iterations, ${r.evaluations.f} evaluations, f = ${r.f.toExponential(4)}`,
    );
    expect(r.stoppedBy).toBe("callback");
    expect(normInf(r.g)).toBeLessThan(1e-10);
    const local = Math.abs(r.f - 3.9866) < 1e-3;
    expect(local || r.f < 1e-20).toBe(true);
    // A minimum, not a saddle: the Hessian is positive definite there.
    const H = new Float64Array(n * n);
    obj.fgh(r.x, new Float64Array(n), H);
    const chol = new Cholesky(n);
    expect(chol.factor(H)).toBe(true);
    chol.dispose();
  });
});

describe("machine precision", () => {
  it.each(METHODS)("%s drives ‖∇f‖∞ to ≤ 1e-14 on Rosenbrock when allowed to run until it stops", (method) => {
    const r = minimize(rosenbrock(2), rosenbrockStart(2), method, { maxIterations: 200 });
    expect(normInf(r.g)).toBeLessThanOrEqual(1e-14);
    expect(r.f).toBeLessThan(1e-28);
  });
});

describe("method options", () => {
  it.each([
    ["lbfgs", { memory: 3 }],
    ["lbfgs", { memory: 1 }],
    ["bfgs", { initialScaling: false }],
    ["newton", { lineSearch: { acceptInitial: 0 } }],
    ["newtonTrustRegion", { initialRadius: 0.1, maxRadius: 1 }],
  ] as const)("%s with %o still converges on Rosenbrock", (method, opts) => {
    const r = minimize(rosenbrock(2), rosenbrockStart(2), method, {
      ...opts,
      maxIterations: 500,
      onIteration: ({ g }) => normInf(g) < 1e-10,
    });
    expect(r.stoppedBy).toBe("callback");
  });
});
