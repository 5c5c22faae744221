import { describe, expect, it } from "vitest";
import { MLPGFError } from "../../src/errors.js";
import { type Method, type Objective, minimize } from "../../src/optim/index.js";
import { normInf, quadratic, rosenbrock, rosenbrockStart } from "./problems.js";

const METHODS: Method[] = ["newton", "newtonTrustRegion", "bfgs", "lbfgs"];

/** Wraps an objective so that both fg and fgh pass through `hook(x)` first (return true → NaN). */
function poisoned(base: Objective, hook: (x: Float64Array) => boolean): Objective {
  return {
    fg(x, g) {
      if (hook(x)) {
        g.fill(NaN);
        return NaN;
      }
      return base.fg(x, g);
    },
    fgh(x, g, H) {
      if (hook(x)) {
        g.fill(NaN);
        H.fill(NaN);
        return NaN;
      }
      return base.fgh!(x, g, H);
    },
  };
}

describe.each(METHODS)("%s: stopping and robustness", (method) => {
  it('calls onIteration at the start point and after every iteration; true stops ("callback")', () => {
    const seen: number[] = [];
    const r = minimize(rosenbrock(2), rosenbrockStart(2), method, {
      onIteration: ({ iteration, x, f }) => {
        seen.push(iteration);
        expect(x.length).toBe(2);
        expect(Number.isFinite(f)).toBe(true);
        return iteration === 3;
      },
    });
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(r.iterations).toBe(3);
    expect(r.stoppedBy).toBe("callback");
  });

  it("stops at maxIterations (0 evaluates the start point only)", () => {
    const r = minimize(rosenbrock(2), rosenbrockStart(2), method, { maxIterations: 5 });
    expect(r.iterations).toBe(5);
    expect(r.stoppedBy).toBe("maxIterations");
    const r0 = minimize(rosenbrock(2), rosenbrockStart(2), method, { maxIterations: 0 });
    expect(r0.stoppedBy).toBe("maxIterations");
    expect(r0.evaluations.f).toBe(1);
    expect(Array.from(r0.x)).toEqual([-1.2, 1]);
    expect(r0.f).toBeCloseTo(24.2, 12);
  });

  it("stops at an exactly zero gradient", () => {
    const r = minimize(rosenbrock(2), [1, 1], method);
    expect(r.stoppedBy).toBe("zero gradient");
    expect(r.iterations).toBe(0);
    expect(r.f).toBe(0);
  });

  it("a non-finite start point value stops at once and returns the (finite) start point", () => {
    const r = minimize(
      poisoned(rosenbrock(2), () => true),
      [0.5, 0.5],
      method,
    );
    expect(r.stoppedBy).toBe("non-finite objective");
    expect(Array.from(r.x)).toEqual([0.5, 0.5]);
    expect(r.f).toBeNaN();
  });

  it("non-finite trial points are backed away from: still reaches the minimum", () => {
    // NaN outside the box |x| ≤ 1.5, |y| ≤ 1.5 (Rosenbrock steps from (−1.2, 1) overshoot it).
    const obj = poisoned(rosenbrock(2), (x) => Math.abs(x[0]) > 1.5 || Math.abs(x[1]) > 1.5);
    const r = minimize(obj, rosenbrockStart(2), method, { maxIterations: 300, onIteration: ({ g }) => normInf(g) < 1e-10 });
    expect(r.stoppedBy).toBe("callback");
    expect(r.x[0]).toBeCloseTo(1, 9);
  });

  it("an objective that turns NaN for good stops with a reason and returns the best finite point", () => {
    let calls = 0;
    const obj = poisoned(rosenbrock(2), () => ++calls > 12);
    const r = minimize(obj, rosenbrockStart(2), method, { maxIterations: 100 });
    expect(["non-finite objective", "non-finite Hessian"]).toContain(r.stoppedBy);
    expect(Number.isFinite(r.f)).toBe(true);
    for (const v of r.x) expect(Number.isFinite(v)).toBe(true);
    expect(r.f).toBeLessThan(24.2);
  });

  it("returns the lowest point seen even if the last iterate is higher", () => {
    // Record every value the run saw; the result must be (one of) the lowest.
    const values: number[] = [];
    const base = rosenbrock(2);
    const obj: Objective = {
      fg: (x, g) => {
        const f = base.fg(x, g);
        values.push(f);
        return f;
      },
      fgh: (x, g, H) => {
        const f = base.fgh(x, g, H);
        values.push(f);
        return f;
      },
    };
    const r = minimize(obj, rosenbrockStart(2), method, { maxIterations: 4 });
    expect(r.f).toBe(Math.min(...values));
  });

  it("does not modify x0 and rejects bad input", () => {
    const x0 = rosenbrockStart(2);
    minimize(rosenbrock(2), x0, method, { maxIterations: 3 });
    expect(Array.from(x0)).toEqual([-1.2, 1]);
    expect(() => minimize(rosenbrock(2), [NaN, 1], method)).toThrow(MLPGFError);
    expect(() => minimize(rosenbrock(2), [], method)).toThrow(MLPGFError);
    expect(() => minimize(rosenbrock(2), [1, 2], method, { maxIterations: -1 })).toThrow(MLPGFError);
  });
});

describe("minimize", () => {
  it("rejects an unknown method and Newton methods without fgh", () => {
    expect(() => minimize(rosenbrock(2), [0, 0], "sgd" as Method)).toThrow(/unknown optimizer "sgd"/);
    const fgOnly: Objective = { fg: rosenbrock(2).fg };
    expect(() => minimize(fgOnly, [0, 0], "newton")).toThrow(/fgh/);
    expect(() => minimize(fgOnly, [0, 0], "newtonTrustRegion")).toThrow(/fgh/);
    expect(minimize(fgOnly, [0, 0], "lbfgs", { maxIterations: 2 }).iterations).toBe(2);
  });

  it("Newton methods stop on a non-finite Hessian", () => {
    const base = rosenbrock(2);
    const obj: Objective = { fg: base.fg, fgh: (x, g, H) => (base.fgh(x, g, H), H.fill(Infinity), base.fg(x, g)) };
    expect(minimize(obj, [0, 0], "newton").stoppedBy).toBe("non-finite Hessian");
    expect(minimize(obj, [0, 0], "newtonTrustRegion").stoppedBy).toBe("non-finite Hessian");
  });

  it("runs left alone end by themselves at machine precision (no tolerance needed)", () => {
    // f = 1 + ½xᵀAx − bᵀx, n = 30: f cannot resolve the last digits of x, the gradient can.
    const q = quadratic(30, 21, 100, 1);
    for (const method of METHODS) {
      const r = minimize(q.obj, new Float64Array(30), method, { maxIterations: 10_000 });
      console.log(`1 + quadratic, ${method}: ${r.stoppedBy} after ${r.iterations} iterations, ‖g‖∞ = ${normInf(r.g).toExponential(1)}`);
      expect(r.stoppedBy).not.toBe("maxIterations");
      expect(r.iterations).toBeLessThan(200);
      expect(normInf(r.g)).toBeLessThan(1e-13);
    }
    // stallIterations: Infinity restores the original's endless behaviour (only limits stop).
    const r = minimize(q.obj, new Float64Array(30), "newton", { maxIterations: 100, stallIterations: Infinity });
    expect(["maxIterations", "line search failed", "no progress", "zero gradient"]).toContain(r.stoppedBy);
  });
});
