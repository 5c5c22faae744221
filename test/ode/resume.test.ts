import { describe, expect, it } from "vitest";
import { type MethodName, type OdeFunction, type OdeResumeState, solveOde } from "../../src/ode/index.js";

// A stiff-ish nonlinear test problem (Van der Pol, μ = 5) with its Jacobian.
const mu = 5;
const vdp: OdeFunction = {
  autonomous: true,
  f(_t, x, dx) {
    dx[0] = x[1];
    dx[1] = mu * (1 - x[0] * x[0]) * x[1] - x[0];
  },
  jacobian(_t, x, J) {
    J[0] = 0;
    J[1] = 1;
    J[2] = -2 * mu * x[0] * x[1] - 1;
    J[3] = mu * (1 - x[0] * x[0]);
  },
};

describe("solveOde resume", () => {
  for (const method of ["tsit5", "dp5", "rk4", "rodas5p", "rodas4"] as MethodName[]) {
    it(`${method}: stopping after k steps and resuming from StepInfo.resumeState ends bitwise where one run ends`, () => {
      const x0 = Float64Array.of(2, 0);
      const opts = { method, tEnd: 20, abstol: 1e-8, reltol: 1e-8, maxSteps: 1_000_000 };
      const full = solveOde(vdp, x0, opts);
      let saved: { t: number; x: Float64Array; steps: number; state: OdeResumeState } | null = null;
      const k = Math.floor(full.steps / 3);
      solveOde(vdp, x0, {
        ...opts,
        onStep: (s) => {
          if (s.steps < k) return false;
          saved = { t: s.t, x: s.x.slice(), steps: s.steps, state: s.resumeState() };
          return true;
        },
      });
      const sv = saved!;
      const rest = solveOde(vdp, sv.x, { ...opts, t0: sv.t, dtmax: 20, resume: sv.state });
      expect(rest.t).toBe(full.t);
      expect(Array.from(rest.x)).toEqual(Array.from(full.x));
      expect(sv.steps + rest.steps).toBe(full.steps);
    });
  }
  it("rejects a resume state of the wrong size", () => {
    expect(() =>
      solveOde(vdp, Float64Array.of(1, 0), {
        tEnd: 1,
        resume: { f0: new Float64Array(3), h: 0.1, controller: { errPrev: 1e-4, rejectedLast: false } },
      }),
    ).toThrow(/f0 must have 2 values/);
  });
});
