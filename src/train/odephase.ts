import { type MethodName, type OdeFunction, type SolveResult, solveOdeSteps } from "../ode/index.js";
import { runStepsAsync } from "../util/steps.js";
import type { TrainObjective } from "./objective.js";
import { type StopRules, stopReason } from "./stop.js";
import type { LogSampler } from "./trajectory.js";

/** Settings of the gradient-flow phase. */
export interface OdePhase {
  method: MethodName;
  maxT: number;
  abstol: number;
  reltol: number;
  dt?: number;
  maxiterations: number;
  /** Inverse time scales, one per parameter. */
  tauinv: Float64Array;
  rules: StopRules;
}

/** Time span of the fallback integration when the stiff method cannot make a first step. */
const FALLBACK_SPAN = 1e-2;

/**
 * Integrates the gradient flow dx/dt = −tauinv ⊙ ∇L_sum(x), L_sum = N·(mean loss + regularisers), with
 * the exact Hessian as Jacobian, from x0 until maxT or a stop rule. Every accepted step is offered to
 * the trajectory sampler. If the method makes no step at all, an explicit Tsit5 run over
 * [0, 1e-2] moves the state first (the original's CVODE fallback) and the method restarts there.
 */
export async function runOdePhase(obj: TrainObjective, x0: Float64Array, s: OdePhase, sampler: LogSampler): Promise<{ t: number; steps: number; stoppedBy: string }> {
  const P = obj.P;
  const N = obj.n;
  const tau = s.tauinv;
  const g = new Float64Array(P);
  const fn: OdeFunction = {
    autonomous: true,
    f(t, x, dx) {
      obj.t = t;
      obj.evaluate(x, g);
      for (let i = 0; i < P; i++) dx[i] = -tau[i] * N * g[i];
    },
    jacobian(_t, x, J) {
      const H = obj.hessian(x);
      for (let i = 0; i < P; i++) {
        const c = -tau[i] * N;
        for (let j = 0; j < P; j++) J[i * P + j] = c * H[i * P + j];
      }
    },
  };
  const start = performance.now();
  let stoppedBy = "";
  const onStep = (info: { t: number; x: Float64Array }) => {
    obj.t = info.t;
    sampler.offer(info.t, info.x, obj.elapsed());
    stoppedBy = info.t > 1e300 ? "t > 1e300" : stopReason(obj, s.rules, start);
    return stoppedBy !== "";
  };
  sampler.offer(0, x0, obj.elapsed());
  const solve = (method: MethodName, x: Float64Array, t0: number, tEnd: number, maxSteps: number) =>
    runStepsAsync(solveOdeSteps(fn, x, { method, t0, tEnd, abstol: s.abstol, reltol: s.reltol, dt: s.dt, maxSteps, onStep }));
  let r: SolveResult = await solve(s.method, x0, 0, s.maxT, s.maxiterations);
  let steps = r.steps;
  if (r.steps === 0 && r.status !== "stopped" && s.method !== "tsit5" && s.method !== "euler") {
    const fb = await solve("tsit5", x0, 0, Math.min(FALLBACK_SPAN, s.maxT), s.maxiterations);
    steps += fb.steps;
    if (fb.status === "done" && fb.t < s.maxT) {
      r = await solve(s.method, fb.x, fb.t, s.maxT, Math.max(0, s.maxiterations - steps));
      steps += r.steps;
    } else r = fb;
  }
  return { t: r.t, steps, stoppedBy: stoppedBy || odeStatusReason(r, s) };
}

/** The stop reason of an integration that ended by itself. */
function odeStatusReason(r: SolveResult, s: OdePhase): string {
  switch (r.status) {
    case "done":
      return `maxT = ${s.maxT} reached`;
    case "maxSteps":
      return `maxiterations ≥ ${s.maxiterations}`;
    case "nonFinite":
      return "non-finite loss or gradient";
    default:
      return r.message;
  }
}
