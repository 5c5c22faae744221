import { describe, expect, it } from "vitest";
import { type MethodName, type OdeFunction, solveOde } from "../../src/ode/index.js";
import { bernoulliProblem, geomspace, linearProblem, maxDiff } from "./helpers.js";

const STIFF: MethodName[] = ["rodas4", "rodas5p", "trbdf2", "kencarp58"];
const ADAPTIVE: MethodName[] = ["rk4", "tsit5", "dp5", ...STIFF];

// y′ = −A·y, A = Q·diag(λ)·Qᵀ with λ from 1e-2 to 1e4 (stiffness ratio 1e6)
const stiff = linearProblem(geomspace(1e-2, 1e4, 8), 3);
// the same with λ in [0.5, 2]
const nonstiff = linearProblem(geomspace(0.5, 2, 8), 4);
/**
 * Global error allowed, in units of the tolerance: the controllers bound the local error per step;
 * second-order TRBDF2 needs thousands of steps at tight tolerances and accumulates more.
 */
const slack = (method: MethodName): number => (method === "trbdf2" ? 100 : 20);

describe("adaptive methods against exact solutions of y′ = −A·y", () => {
  for (const method of ADAPTIVE) {
    it(`${method}: non-stiff problem, error shrinks with the tolerance and stays within ${slack(method)}·tol`, () => {
      const T = 5;
      const exact = nonstiff.exact(nonstiff.x0, T);
      let prev = Infinity;
      for (const tol of [1e-4, 1e-6, 1e-8, 1e-10]) {
        const r = solveOde(nonstiff.fn, nonstiff.x0, { method, tEnd: T, abstol: tol, reltol: tol });
        expect(r.status).toBe("done");
        const err = maxDiff(r.x, exact);
        expect(err).toBeLessThan(slack(method) * tol);
        expect(err).toBeLessThan(prev);
        prev = err;
      }
    });
  }

  for (const method of STIFF) {
    it(`${method}: stiff problem (λ from 1e-2 to 1e4) within ${slack(method)}·tol`, () => {
      const T = 10;
      const exact = stiff.exact(stiff.x0, T);
      for (const tol of [1e-6, 1e-9]) {
        const r = solveOde(stiff.fn, stiff.x0, { method, tEnd: T, abstol: tol, reltol: tol });
        expect(r.status).toBe("done");
        expect(maxDiff(r.x, exact)).toBeLessThan(slack(method) * tol);
      }
    });
  }

  it("the stiff methods take ≥ 20× fewer steps than tsit5 on the stiff problem at the same tolerance", () => {
    const T = 10;
    const tol = 1e-6;
    const exact = stiff.exact(stiff.x0, T);
    const ref = solveOde(stiff.fn, stiff.x0, { method: "tsit5", tEnd: T, abstol: tol, reltol: tol, maxSteps: 1e6 });
    expect(ref.status).toBe("done");
    expect(maxDiff(ref.x, exact)).toBeLessThan(20 * tol);
    const counts: Record<string, number> = { tsit5: ref.steps };
    for (const method of STIFF) {
      const r = solveOde(stiff.fn, stiff.x0, { method, tEnd: T, abstol: tol, reltol: tol });
      counts[method] = r.steps;
      expect(r.steps * 20, JSON.stringify(counts)).toBeLessThanOrEqual(ref.steps);
    }
  });

  it("are L-stable: one step of size 1 on y′ = −1e10·y leaves |y| < 1e-6", () => {
    const fn: OdeFunction = {
      autonomous: true,
      f: (_t, x, dx) => void (dx[0] = -1e10 * x[0]),
      jacobian: (_t, _x, J) => void (J[0] = -1e10),
    };
    for (const method of STIFF) {
      const r = solveOde(fn, Float64Array.of(1), { method, tEnd: 1, dt: 1, adaptive: false });
      expect(r.steps).toBe(1);
      expect(Math.abs(r.x[0])).toBeLessThan(1e-6);
    }
  });

  it("handle an indefinite Jacobian (growing and stiff decaying modes, as at a saddle)", () => {
    const saddle = linearProblem([-1, -0.3, 0.01, 1, 10, 1e3, 1e4], 8);
    const T = 3;
    const exact = saddle.exact(saddle.x0, T);
    const scale = Math.max(...exact.map(Math.abs));
    for (const method of STIFF) {
      const r = solveOde(saddle.fn, saddle.x0, { method, tEnd: T, abstol: 1e-9, reltol: 1e-9 });
      expect(r.status).toBe("done");
      // the growing modes amplify earlier local errors by up to e³ ≈ 20
      expect(maxDiff(r.x, exact) / scale).toBeLessThan(10 * slack(method) * 1e-9);
    }
  });

  it("work without a Jacobian callback (forward differences), counting n f per Jacobian", () => {
    const p = linearProblem(geomspace(1e-2, 1e3, 6), 11, { jacobian: false });
    const T = 5;
    const exact = p.exact(p.x0, T);
    for (const method of STIFF) {
      const r = solveOde(p.fn, p.x0, { method, tEnd: T, abstol: 1e-8, reltol: 1e-8 });
      expect(r.status).toBe("done");
      expect(maxDiff(r.x, exact)).toBeLessThan(1e-6);
      expect(r.njac).toBeGreaterThan(0);
      expect(r.nf).toBeGreaterThan(p.n * r.njac);
    }
  });
});

describe("work of the stiff methods", () => {
  it("Rodas5P: one Jacobian per accepted step, one LU per attempt, 7 f + 1 per step (autonomous)", () => {
    const r = solveOde(stiff.fn, stiff.x0, { method: "rodas5p", tEnd: 10 });
    expect(r.njac).toBe(r.steps);
    expect(r.nlu).toBe(r.steps + r.rejected);
    // f(x0) + initial-step estimate + 7 stages per attempt + f(x_new) per accepted step
    expect(r.nf).toBe(2 + 7 * (r.steps + r.rejected) + r.steps);
    expect(r.nsolve).toBe(8 * (r.steps + r.rejected));
  });

  it("KenCarp58 and TRBDF2 keep the Jacobian of a linear problem and reuse LU factorisations", () => {
    for (const method of ["kencarp58", "trbdf2"] as const) {
      const r = solveOde(stiff.fn, stiff.x0, { method, tEnd: 10 });
      expect(r.njac).toBe(1);
      expect(r.nlu).toBeLessThan(r.steps + r.rejected);
    }
  });

  it("solve a nonlinear stiff system (λ to 1e4) accurately, renewing the Jacobian when Newton slows", () => {
    const p = bernoulliProblem(geomspace(1e-1, 1e4, 6), 5);
    const T = 20;
    const exact = p.exact(p.x0, T);
    for (const method of STIFF) {
      const r = solveOde(p.fn, p.x0, { method, tEnd: T, abstol: 1e-9, reltol: 1e-9 });
      expect(r.status).toBe("done");
      expect(maxDiff(r.x, exact)).toBeLessThan(1e-7);
      if (method === "kencarp58" || method === "trbdf2") expect(r.njac).toBeLessThan(r.steps);
    }
  });

  it("agree on the Van der Pol oscillator x″ = μ(1 − x²)x′ − x (μ = 100, a stiff relaxation cycle)", () => {
    const mu = 100;
    const vdp: OdeFunction = {
      autonomous: true,
      f: (_t, x, dx) => {
        dx[0] = x[1];
        dx[1] = mu * (1 - x[0] * x[0]) * x[1] - x[0];
      },
      jacobian: (_t, x, J) => {
        J[0] = 0;
        J[1] = 1;
        J[2] = -2 * mu * x[0] * x[1] - 1;
        J[3] = mu * (1 - x[0] * x[0]);
      },
    };
    const x0 = Float64Array.of(2, 0);
    const T = 200;
    const ref = solveOde(vdp, x0, { method: "rodas5p", tEnd: T, abstol: 1e-11, reltol: 1e-11 });
    expect(ref.status).toBe("done");
    for (const method of STIFF) {
      const r = solveOde(vdp, x0, { method, tEnd: T, abstol: 1e-8, reltol: 1e-8 });
      expect(r.status).toBe("done");
      expect(maxDiff(r.x, ref.x)).toBeLessThan(1e-4);
      expect(r.steps).toBeLessThan(20_000);
    }
  });
});
