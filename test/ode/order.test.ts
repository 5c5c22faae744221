import { describe, expect, it } from "vitest";
import { type MethodName, METHODS, solveOde } from "../../src/ode/index.js";
import {
  type TestProblem,
  bernoulliProblem,
  geomspace,
  linearProblem,
  maxDiff,
  nonAutonomousProblem,
  observedOrder,
  withJvp,
} from "./helpers.js";

// Observed order of convergence with fixed steps: least-squares slope of log(error at tEnd) against
// log(h) over three halvings, required within ±0.3 of the nominal order. The step ranges are chosen in
// the asymptotic regime and well above round-off (Tsit5 and DP5 converge faster than h⁵ for larger h,
// and Rodas5P's stability function is more accurate than order 5 on linear constant-coefficient
// problems, so those are measured on the non-autonomous or nonlinear problems).

const LAMBDAS = geomspace(0.5, 2, 6);
const PROBLEMS: Record<string, TestProblem> = {
  linear: linearProblem(LAMBDAS, 1),
  nonlinear: bernoulliProblem(LAMBDAS, 2),
  nonautonomous: nonAutonomousProblem(LAMBDAS, { dfdt: true }),
  "nonautonomous, ∂f/∂t by differences": nonAutonomousProblem(LAMBDAS),
  "nonlinear, J·v": withJvp(bernoulliProblem(LAMBDAS, 2)),
  "nonautonomous, J·v": withJvp(nonAutonomousProblem(LAMBDAS, { dfdt: true })),
};

interface Case {
  method: MethodName;
  problem: keyof typeof PROBLEMS;
  tEnd: number;
  hs: number[];
}

const H1 = [0.1, 0.05, 0.025];
const CASES: Case[] = [
  { method: "euler", problem: "linear", tEnd: 2, hs: H1 },
  { method: "euler", problem: "nonlinear", tEnd: 2, hs: H1 },
  { method: "rk4", problem: "linear", tEnd: 2, hs: H1 },
  { method: "rk4", problem: "nonlinear", tEnd: 2, hs: H1 },
  { method: "tsit5", problem: "nonautonomous", tEnd: 8, hs: [0.08, 0.04, 0.02] },
  { method: "dp5", problem: "nonautonomous", tEnd: 8, hs: [0.08, 0.04, 0.02] },
  { method: "dp5", problem: "linear", tEnd: 2, hs: [0.05, 0.025, 0.0125] },
  { method: "rodas4", problem: "linear", tEnd: 2, hs: H1 },
  { method: "rodas4", problem: "nonlinear", tEnd: 2, hs: H1 },
  { method: "rodas4", problem: "nonautonomous, ∂f/∂t by differences", tEnd: 2, hs: H1 },
  { method: "rodas4krylov", problem: "nonlinear, J·v", tEnd: 2, hs: H1 },
  { method: "rodas4krylov", problem: "nonautonomous, J·v", tEnd: 2, hs: H1 },
  { method: "rodas5p", problem: "nonautonomous", tEnd: 8, hs: [0.2, 0.1, 0.05] },
  { method: "rodas5p", problem: "nonautonomous, ∂f/∂t by differences", tEnd: 8, hs: [0.2, 0.1, 0.05] },
  { method: "rodas5p", problem: "nonlinear", tEnd: 2, hs: [0.05, 0.025, 0.0125] },
  { method: "trbdf2", problem: "linear", tEnd: 2, hs: H1 },
  { method: "trbdf2", problem: "nonlinear", tEnd: 2, hs: H1 },
  { method: "trbdf2", problem: "nonautonomous", tEnd: 2, hs: H1 },
  { method: "kencarp58", problem: "linear", tEnd: 2, hs: H1 },
  { method: "kencarp58", problem: "nonlinear", tEnd: 2, hs: H1 },
  { method: "kencarp58", problem: "nonautonomous", tEnd: 2, hs: H1 },
];

describe("observed order of convergence with fixed steps (±0.3 of nominal)", () => {
  it("covers every method", () => {
    expect(new Set(CASES.map((c) => c.method))).toEqual(new Set(Object.keys(METHODS)));
  });

  for (const { method, problem, tEnd, hs } of CASES) {
    const nominal = METHODS[method].order;
    it(`${method} (order ${nominal}) on the ${problem} problem`, () => {
      const p = PROBLEMS[problem];
      const exact = p.exact(p.x0, tEnd);
      // tight tolerances: the implicit methods' Newton iterations then converge far below the step error
      const errs = hs.map((dt) => {
        const r = solveOde(p.fn, p.x0, { method, tEnd, dt, adaptive: false, abstol: 1e-14, reltol: 1e-14 });
        expect(r.status).toBe("done");
        expect(r.t).toBe(tEnd);
        expect(r.steps).toBe(Math.round(tEnd / dt));
        return maxDiff(r.x, exact);
      });
      const q = observedOrder(hs, errs);
      expect(q, `errors ${errs.map((e) => e.toExponential(2)).join(", ")}`).toBeGreaterThan(nominal - 0.3);
      expect(q).toBeLessThan(nominal + 0.3);
    });
  }
});
