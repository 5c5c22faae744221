import { describe, expect, it } from "vitest";
import { getEngine } from "../../src/engine/kernels.js";
import { hermite } from "../../src/ode/dense.js";
import { type MethodName, METHODS, type OdeFunction, defaultMethod, solveOde } from "../../src/ode/index.js";
import { geomspace, linearProblem, maxDiff } from "./helpers.js";

const ALL = Object.keys(METHODS) as MethodName[];
const ADAPTIVE = ALL.filter((m) => m !== "euler");
const STIFF: MethodName[] = ["rodas4", "rodas5p", "trbdf2", "kencarp58"];
const nonstiff = linearProblem(geomspace(0.5, 2, 6), 21);
const stiff = linearProblem(geomspace(1e-2, 1e4, 6), 22);

describe("dense output", () => {
  it("the cubic Hermite interpolant is exact for cubic polynomials", () => {
    const p = (t: number) => 2 - t + 3 * t * t - 0.5 * t ** 3;
    const dp = (t: number) => -1 + 6 * t - 1.5 * t * t;
    const out = new Float64Array(1);
    for (const t of [0.3, 0.7, 1.1, 1.9, 2.3]) {
      hermite(0.3, Float64Array.of(p(0.3)), Float64Array.of(dp(0.3)), 2.3, Float64Array.of(p(2.3)), Float64Array.of(dp(2.3)), t, out);
      expect(out[0]).toBeCloseTo(p(t), 12);
    }
  });

  for (const [name, prob] of [
    ["non-stiff", nonstiff],
    ["stiff", stiff],
  ] as const) {
    it(`interpolate() between steps is accurate on the ${name} problem (every adaptive method)`, () => {
      const out = new Float64Array(prob.n);
      for (const method of name === "stiff" ? STIFF : ADAPTIVE) {
        let worst = 0;
        const r = solveOde(prob.fn, prob.x0, {
          method,
          tEnd: 5,
          abstol: 1e-8,
          reltol: 1e-8,
          onStep(s) {
            s.interpolate(s.tPrev, out);
            expect(maxDiff(out, prob.exact(prob.x0, s.tPrev))).toBeLessThan(1e-6);
            s.interpolate(s.t, out);
            expect(Array.from(out)).toEqual(Array.from(s.x));
            for (const th of [0.25, 0.5, 0.75]) {
              const t = s.tPrev + th * (s.t - s.tPrev);
              s.interpolate(t, out);
              worst = Math.max(worst, maxDiff(out, prob.exact(prob.x0, t)));
            }
          },
        });
        expect(r.status).toBe("done");
        expect(worst, method).toBeLessThan(1e-5);
      }
    });
  }

  it("samples a log-spaced trajectory through interpolate (as the trainer does)", () => {
    const times = Array.from({ length: 30 }, (_, i) => Math.pow(10, -3 + (6 * i) / 29) - 1e-3);
    const samples: { t: number; x: Float64Array }[] = [];
    let next = 0;
    const r = solveOde(stiff.fn, stiff.x0, {
      method: "rodas5p",
      tEnd: 1000,
      onStep(s) {
        while (next < times.length && times[next] <= s.t) {
          const x = new Float64Array(stiff.n);
          s.interpolate(times[next], x);
          samples.push({ t: times[next++], x });
        }
      },
    });
    expect(r.status).toBe("done");
    expect(samples.length).toBe(times.length);
    for (const { t, x } of samples) expect(maxDiff(x, stiff.exact(stiff.x0, t))).toBeLessThan(1e-4);
  });
});

describe("stopping", () => {
  it("onStep returning true stops after that step with status 'stopped'", () => {
    for (const method of ALL) {
      let seen: { t: number; x: Float64Array } | null = null;
      const r = solveOde(nonstiff.fn, nonstiff.x0, {
        method,
        tEnd: 10,
        dt: method === "euler" ? 0.01 : undefined,
        onStep(s) {
          expect(s.t).toBeGreaterThan(s.tPrev);
          if (s.steps === 5) {
            seen = { t: s.t, x: s.x.slice() };
            return true;
          }
        },
      });
      expect(r.status).toBe("stopped");
      expect(r.steps).toBe(5);
      expect(r.t).toBe(seen!.t);
      expect(Array.from(r.x)).toEqual(Array.from(seen!.x));
    }
  });

  it("integrates to tEnd = Infinity until onStep stops it (gradient flow to a minimum)", () => {
    const r = solveOde(stiff.fn, stiff.x0, {
      method: "kencarp58",
      tEnd: Infinity,
      onStep: (s) => Math.max(...s.x.map(Math.abs)) < 1e-12,
    });
    expect(r.status).toBe("stopped");
    expect(Math.max(...r.x.map(Math.abs))).toBeLessThan(1e-12);
    expect(r.steps).toBeLessThan(200);
  });

  it("maxSteps ends the run with status 'maxSteps'", () => {
    const r = solveOde(nonstiff.fn, nonstiff.x0, { method: "rk4", tEnd: 10, dt: 0.01, maxSteps: 7 });
    expect(r.status).toBe("maxSteps");
    expect(r.steps).toBe(7);
    expect(r.t).toBeCloseTo(0.07, 14);
  });

  it("fixed steps land exactly on tEnd (last step shortened) and t0 may be non-zero", () => {
    const p = nonstiff;
    const r = solveOde(p.fn, p.x0, { method: "rk4", t0: 1, tEnd: 2, dt: 0.3 });
    expect(r.steps).toBe(4);
    expect(r.t).toBe(2);
    expect(maxDiff(r.x, p.exact(p.x0, 1))).toBeLessThan(1e-3);
  });
});

describe("non-finite values", () => {
  const blowAfter = (tBad: number): OdeFunction => ({
    f: (t, x, dx) => {
      for (let i = 0; i < x.length; i++) dx[i] = t > tBad ? NaN : -x[i];
    },
    jacobian: (_t, x, J) => {
      J.fill(0);
      for (let i = 0; i < x.length; i++) J[i * x.length + i] = -1;
    },
  });

  it("f turning NaN stops with 'nonFinite' and the last finite state (every method)", () => {
    for (const method of ALL) {
      const x0 = Float64Array.of(1, 2);
      const r = solveOde(blowAfter(1), x0, { method, tEnd: 5, dt: method === "euler" ? 0.01 : undefined });
      expect(r.status, method).toBe("nonFinite");
      expect(r.t).toBeLessThanOrEqual(1);
      expect(r.t).toBeGreaterThan(0.9);
      expect(r.x.every(Number.isFinite)).toBe(true);
      expect(
        maxDiff(
          r.x,
          x0.map((v) => v * Math.exp(-r.t)),
        ),
      ).toBeLessThan(method === "euler" ? 1e-2 : 1e-4);
      expect(r.message).toMatch(/non-finite/);
    }
  });

  it("a non-finite f(t0, x0) or Jacobian is reported, a non-finite x0 rejected", () => {
    const r0 = solveOde(blowAfter(-1), Float64Array.of(1), { method: "tsit5", tEnd: 1 });
    expect(r0.status).toBe("nonFinite");
    expect(r0.steps).toBe(0);
    expect(r0.t).toBe(0);
    // a non-finite start point is bad input, not a state the integration reaches
    expect(() => solveOde(blowAfter(1), Float64Array.of(NaN), { tEnd: 1 })).toThrow(/x0\[0\] must be a finite number/);
    const badJ: OdeFunction = { f: (_t, x, dx) => void (dx[0] = -x[0]), jacobian: (_t, _x, J) => void (J[0] = Infinity) };
    for (const method of STIFF) expect(solveOde(badJ, Float64Array.of(1), { method, tEnd: 1 }).status).toBe("nonFinite");
  });

  it("a solution that overflows under fixed steps stops with 'nonFinite'", () => {
    const fn: OdeFunction = { f: (_t, x, dx) => void (dx[0] = x[0] * x[0]) };
    const r = solveOde(fn, Float64Array.of(1), { method: "euler", tEnd: 10, dt: 0.5 });
    expect(r.status).toBe("nonFinite");
    expect(Number.isFinite(r.x[0])).toBe(true);
  });

  it("a finite-time blow-up under adaptive steps ends before the singularity", () => {
    // x′ = x², x(0) = 1: x = 1/(1 − t)
    const fn: OdeFunction = {
      autonomous: true,
      f: (_t, x, dx) => void (dx[0] = x[0] * x[0]),
      jacobian: (_t, x, J) => void (J[0] = 2 * x[0]),
    };
    for (const method of ["tsit5", "rodas5p", "kencarp58"] as const) {
      const r = solveOde(fn, Float64Array.of(1), { method, tEnd: 2 });
      expect(["nonFinite", "stepTooSmall"]).toContain(r.status);
      expect(r.t).toBeLessThan(1.001);
      expect(r.t).toBeGreaterThan(0.99);
      expect(r.x.every(Number.isFinite)).toBe(true);
    }
  });
});

describe("options, counts and resources", () => {
  it("validates options with MLPGFError", () => {
    const x0 = Float64Array.of(1);
    const fn = nonstiff.fn;
    expect(() => solveOde(fn, x0, { tEnd: 1, method: "foo" as MethodName })).toThrow(/unknown ODE method "foo"/);
    expect(() => solveOde(fn, x0, { tEnd: 1, method: "constructor" as MethodName })).toThrow(/unknown ODE method/);
    expect(() => solveOde(fn, x0, { tEnd: 0 })).toThrow(/tEnd must be greater than t0/);
    expect(() => solveOde(fn, x0, { tEnd: NaN })).toThrow(/tEnd/);
    expect(() => solveOde(fn, x0, { tEnd: 1, method: "euler" })).toThrow(/fixed steps with method "euler" need dt/);
    expect(() => solveOde(fn, x0, { tEnd: 1, method: "euler", adaptive: true })).toThrow(/no error estimate: give a fixed step dt/);
    expect(() => solveOde(fn, x0, { tEnd: 1, method: "tsit5", adaptive: false })).toThrow(/need dt/);
    expect(() => solveOde(fn, x0, { tEnd: 1, dt: -1 })).toThrow(/option dt: expected a number > 0, got -1/);
    expect(() => solveOde(fn, x0, { tEnd: 1, abstol: 0 })).toThrow(/abstol/);
    expect(() => solveOde(fn, new Float64Array(0), { tEnd: 1 })).toThrow(/x0 is empty/);
  });

  it("counts f evaluations: FSAL explicit methods pay s − 1 per attempt, Euler 1 per step", () => {
    const p = nonstiff;
    const rk4 = solveOde(p.fn, p.x0, { method: "rk4", tEnd: 1, dt: 0.1 });
    expect(rk4.steps).toBe(10);
    expect(rk4.nf).toBe(1 + 4 * 10);
    const euler = solveOde(p.fn, p.x0, { method: "euler", tEnd: 1, dt: 0.1 });
    expect(euler.nf).toBe(1 + 10);
    const ts = solveOde(p.fn, p.x0, { method: "tsit5", tEnd: 5 });
    expect(ts.nf).toBe(2 + 6 * (ts.steps + ts.rejected));
    expect(ts.njac + ts.nlu + ts.nsolve).toBe(0);
  });

  it("does not modify x0 and reuses two state buffers (no allocation per step)", () => {
    const x0 = nonstiff.x0.slice();
    const buffers = new Set<Float64Array>();
    for (const method of ALL) {
      buffers.clear();
      solveOde(nonstiff.fn, x0, { method, tEnd: 3, dt: method === "euler" ? 0.01 : undefined, onStep: (s) => void buffers.add(s.x) });
      expect(buffers.size).toBe(2);
    }
    expect(Array.from(x0)).toEqual(Array.from(nonstiff.x0));
  });

  it("returns its WASM memory, also when f throws", () => {
    const e = getEngine();
    const used = e.allocator.used;
    for (const method of STIFF) solveOde(stiff.fn, stiff.x0, { method, tEnd: 1 });
    const throwing: OdeFunction = {
      f: (t, _x, dx) => {
        if (t > 0.5) throw new Error("boom");
        dx.fill(0);
      },
      jacobian: (_t, _x, J) => J.fill(0),
    };
    expect(() => solveOde(throwing, Float64Array.of(1, 2), { method: "rodas5p", tEnd: 1 })).toThrow("boom");
    expect(e.allocator.used).toBe(used);
  });

  it("the default method is Rodas5P for n ≤ 32 and KenCarp58 above", () => {
    expect(defaultMethod(1)).toBe("rodas5p");
    expect(defaultMethod(32)).toBe("rodas5p");
    expect(defaultMethod(33)).toBe("kencarp58");
    expect(defaultMethod(5000)).toBe("kencarp58");
    const small = solveOde(stiff.fn, stiff.x0, { tEnd: 1 });
    expect(small.njac).toBe(small.steps); // Rosenbrock: one Jacobian per step
  });
});
