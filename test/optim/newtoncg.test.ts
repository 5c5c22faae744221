import { describe, expect, it } from "vitest";
import { SteihaugCG, minimize, newtonCG } from "../../src/optim/index.js";
import type { Objective } from "../../src/optim/index.js";
import { chainedRosenbrock, normInf, quadratic, rosenbrock, rosenbrockStart, solveSpd, uniform } from "./problems.js";

/** The objective with hvp from its own dense Hessian (the products the method sees) and without fgh. */
function withHvp(obj: Required<Pick<Objective, "fg" | "fgh">>, n: number): Objective {
  const H = new Float64Array(n * n);
  const g = new Float64Array(n);
  return {
    fg: (x, gg) => obj.fg(x, gg),
    hvp(x, v, out) {
      obj.fgh(x, g, H);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += H[i * n + j] * v[j];
        out[i] = s;
      }
    },
  };
}

function denseProduct(H: Float64Array, n: number) {
  return (v: Float64Array, out: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += H[i * n + j] * v[j];
      out[i] = s;
    }
  };
}

function modelValue(H: Float64Array, g: Float64Array, p: Float64Array): number {
  const n = g.length;
  let m = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += H[i * n + j] * p[j];
    m += g[i] * p[i] + 0.5 * p[i] * s;
  }
  return m;
}

describe("Steihaug–Toint CG subproblem", () => {
  it("positive definite H and a large radius: the Newton step −H⁻¹g (to the forcing tolerance) and the tracked model value", () => {
    const n = 40;
    const q = quadratic(n, 3, 50);
    const g = q.b.map((t) => -t); // gradient at 0
    const cg = new SteihaugCG(n, denseProduct(q.A, n));
    const s = cg.solve(g, 1e6, 200);
    expect(s.boundary).toBe(false);
    const newton = solveSpd(q.A, q.b);
    const gn = Math.hypot(...g);
    // residual ‖Hp + g‖ ≤ min(½, √‖g‖)·‖g‖ implies ‖p − p*‖ ≤ ‖H⁻¹‖·that; check the residual directly
    const hp = new Float64Array(n);
    denseProduct(q.A, n)(cg.p, hp);
    expect(Math.hypot(...hp.map((t, i) => t + g[i]))).toBeLessThanOrEqual(Math.min(0.5, Math.sqrt(gn)) * gn);
    expect(Math.abs(s.model - modelValue(q.A, g, cg.p))).toBeLessThan(1e-12 * Math.abs(s.model));
    expect(modelValue(q.A, g, cg.p)).toBeLessThanOrEqual(0.5 * modelValue(q.A, g, newton) * 0.5);
  });

  it("small radius: the step lies on the boundary and decreases the model at least as much as the Cauchy point", () => {
    const n = 30;
    const q = quadratic(n, 4, 50);
    const g = q.b.map((t) => -t);
    const delta = 0.05;
    const cg = new SteihaugCG(n, denseProduct(q.A, n));
    const s = cg.solve(g, delta, 100);
    expect(s.boundary).toBe(true);
    expect(Math.abs(Math.hypot(...cg.p) - delta)).toBeLessThan(1e-14);
    const gn = Math.hypot(...g);
    const cauchy = g.map((t) => (-delta * t) / gn);
    expect(s.model).toBeLessThanOrEqual(modelValue(q.A, g, cauchy) + 1e-15);
    expect(Math.abs(s.model - modelValue(q.A, g, cg.p))).toBeLessThan(1e-12 * Math.abs(s.model));
  });

  it("negative curvature: follows it to the boundary", () => {
    const u = uniform(9);
    const n = 20;
    const H = new Float64Array(n * n);
    for (let i = 0; i < n; i++) H[i * n + i] = i < 3 ? -1 - i : 1 + i; // indefinite
    const g = Float64Array.from({ length: n }, u);
    const cg = new SteihaugCG(n, denseProduct(H, n));
    const s = cg.solve(g, 2, 100);
    expect(s.boundary).toBe(true);
    expect(Math.abs(Math.hypot(...cg.p) - 2)).toBeLessThan(1e-13);
    expect(s.model).toBeLessThan(0);
    expect(Math.abs(s.model - modelValue(H, g, cg.p))).toBeLessThan(1e-12 * Math.abs(s.model));
  });
});

describe("newtonCG", () => {
  it.each([2, 10, 100])("Rosenbrock n = %i from (−1.2, 1, …): the minimum (1, …, 1) with ‖∇f‖∞ < 1e-10", (n) => {
    const r = minimize(withHvp(rosenbrock(n), n), rosenbrockStart(n), "newtonCG", {
      maxIterations: 500,
      onIteration: ({ g }) => normInf(g) < 1e-10,
    });
    console.log(
      `rosenbrock n=${n} newtonCG: ${r.iterations} iterations, ${r.evaluations.f} f/g, ${r.evaluations.hv} products, ${r.stoppedBy}`,
    );
    expect(["callback", "zero gradient"]).toContain(r.stoppedBy);
    expect(r.f).toBeLessThan(1e-20);
    for (const v of r.x) expect(v).toBeCloseTo(1, 10);
    expect(r.iterations).toBeLessThan(80);
    expect(r.evaluations.h).toBe(0);
  });

  it("chained Rosenbrock n = 10: a minimum (global or the local one near x₁ = −1) to ‖∇f‖∞ < 1e-10", () => {
    const n = 10;
    const r = newtonCG(withHvp(chainedRosenbrock(n), n), rosenbrockStart(n), {
      maxIterations: 500,
      onIteration: ({ g }) => normInf(g) < 1e-10,
    });
    expect(r.stoppedBy).toBe("callback");
    const near = (v: number) => Math.abs(v - 1) < 1e-8;
    if (!r.x.every(near)) expect(r.x[0]).toBeCloseTo(-1, 0);
  });

  it.each([20, 50])("random convex quadratic n = %i: the exact minimiser to 1e-10, ‖∇f‖∞ ≤ 1e-12", (n) => {
    const q = quadratic(n, 200 + n, 50);
    const xs = solveSpd(q.A, q.b);
    const r = newtonCG(withHvp(q.obj, n), new Float64Array(n), { initialRadius: 100, onIteration: ({ g }) => normInf(g) <= 1e-12 });
    expect(normInf(r.g)).toBeLessThanOrEqual(1e-12);
    for (let i = 0; i < n; i++) expect(r.x[i]).toBeCloseTo(xs[i], 10);
    expect(r.iterations).toBeLessThan(15);
  });

  it("quadratic with f = 1 + …: reaches ‖∇f‖∞ ≤ 1e-13 where f no longer resolves progress", () => {
    const n = 30;
    const q = quadratic(n, 7, 100, 1);
    const r = newtonCG(withHvp(q.obj, n), new Float64Array(n), { maxIterations: 300, onIteration: ({ g }) => normInf(g) <= 1e-13 });
    expect(normInf(r.g)).toBeLessThanOrEqual(1e-13);
  });

  it("without hvp, or with bad options: VALUE", () => {
    const q = quadratic(5, 1);
    expect(() => newtonCG({ fg: q.obj.fg }, new Float64Array(5))).toThrow(/hvp/);
    expect(() => newtonCG(withHvp(q.obj, 5), new Float64Array(5), { maxCgIterations: 0 })).toThrow(/maxCgIterations/);
    expect(() => newtonCG(withHvp(q.obj, 5), new Float64Array(5), { eta: 0.5 })).toThrow(/eta/);
  });

  it("a non-finite trial point is a rejected step: the radius shrinks and the run continues", () => {
    // f = ½‖x‖², NaN where x₀ < −0.1; the products under-state the curvature (0.25·v), so the first
    // model step p = −4·x0 lands at −3·x0, in the NaN region
    const n = 4;
    let nanTrials = 0;
    const obj: Objective = {
      fg(x, g) {
        let s = 0;
        for (let i = 0; i < n; i++) {
          s += x[i] * x[i];
          g[i] = x[i];
        }
        if (x[0] < -0.1) {
          nanTrials++;
          return NaN;
        }
        return 0.5 * s;
      },
      hvp(_x, v, out) {
        for (let i = 0; i < n; i++) out[i] = 0.25 * v[i];
      },
    };
    const x0 = Float64Array.from([0.5, -0.05, 0.03, 0.02]);
    const r = newtonCG(obj, x0, { initialRadius: 10, maxRadius: 10, maxIterations: 300, onIteration: ({ g }) => normInf(g) < 1e-10 });
    expect(nanTrials).toBeGreaterThan(0);
    expect(r.stoppedBy).toBe("callback");
    expect(normInf(r.x)).toBeLessThan(1e-10);
  });
});
