import { type MethodName, type OdeFunction, type OdeResumeState, type SolveResult, solveOdeSteps } from "../ode/index.js";
import { runStepsAsync } from "../util/steps.js";
import type { Checkpointer, PhaseState } from "./checkpoint.js";
import type { TrainObjective } from "./objective.js";
import { type StopRules, type TrainStop, stop, stopReason } from "./stop.js";
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
  /** Takes checkpoints (or null). */
  checkpointer: Checkpointer | null;
  /** Continue from a checkpoint of this phase. */
  resume?: Extract<PhaseState, { kind: "ode" }>;
  /** performance.now() at the phase start (earlier than now when resuming). */
  start: number;
}

/** Time span of the fallback integration when the stiff method cannot make a first step. */
const FALLBACK_SPAN = 1e-2;

/**
 * Integrates the gradient flow dx/dt = −tauinv ⊙ ∇L_sum(x), L_sum = N·(mean loss + regularisers), with
 * the exact Hessian as Jacobian (or Hessian-vector products for the Krylov method), from x0 until maxT or a stop rule. Every accepted step is offered to
 * the trajectory sampler. If the method makes no step at all, an explicit Tsit5 run over
 * [0, 1e-2] moves the state first (the original's CVODE fallback) and the method restarts there.
 * With `s.resume` the integration continues from a checkpoint's accepted step (bitwise for explicit
 * and Rosenbrock methods: state, f, step size and controller memory are restored).
 */
export async function runOdePhase(
  obj: TrainObjective,
  x0: Float64Array,
  s: OdePhase,
  sampler: LogSampler,
): Promise<{ t: number; steps: number; stoppedBy: TrainStop }> {
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
    jvp(_t, x, v, out) {
      obj.hvp(x, v, out);
      for (let i = 0; i < P; i++) out[i] *= -tau[i] * N;
    },
  };
  const start = s.start;
  const ck = s.checkpointer;
  let stoppedBy: TrainStop | null = null;
  /** The integration running now, for checkpoints. */
  let run = { method: s.method, fallback: false, tEnd: s.maxT, dtmax: s.maxT, before: 0 };
  const onStep = (info: { t: number; x: Float64Array; steps: number; resumeState(): OdeResumeState }) => {
    obj.t = info.t;
    sampler.offer(info.t, info.x, obj.elapsed());
    stoppedBy = info.t > 1e300 ? stop("maxT", "t > 1e300") : stopReason(obj, s.rules, start);
    const { method, fallback, tEnd, dtmax, before } = run;
    ck?.offer(
      () => ({
        kind: "ode",
        method,
        fallback,
        t: info.t,
        x: info.x.slice(),
        tEnd,
        dtmax,
        steps: before + info.steps,
        solver: info.resumeState(),
      }),
      start,
      stoppedBy?.kind === "aborted",
    );
    return stoppedBy !== null;
  };
  const solve = (
    method: MethodName,
    x: Float64Array,
    t0: number,
    tEnd: number,
    before: number,
    fallback: boolean,
    dtmax = tEnd - t0,
    resume?: OdeResumeState,
  ) => {
    run = { method, fallback, tEnd, dtmax, before };
    const maxSteps = Math.max(0, s.maxiterations - before);
    return runStepsAsync(
      solveOdeSteps(fn, x, { method, t0, tEnd, abstol: s.abstol, reltol: s.reltol, dt: s.dt, dtmax, maxSteps, onStep, resume }),
      50,
      () => ck?.flush(),
    );
  };
  const main = (x: Float64Array, t0: number, before: number) => solve(s.method, x, t0, s.maxT, before, false);
  /** The Tsit5 fallback run (fresh or resumed), then the method itself from where it ended. */
  const fallback = async (fb: SolveResult, before: number): Promise<{ r: SolveResult; steps: number }> => {
    const steps = before + fb.steps;
    if (fb.status === "done" && fb.t < s.maxT) {
      const r = await main(fb.x, fb.t, steps);
      return { r, steps: steps + r.steps };
    }
    return { r: fb, steps };
  };
  let r: SolveResult;
  let steps: number;
  const R = s.resume;
  if (R) {
    const r0 = await solve(R.method, R.x, R.t, R.tEnd, R.steps, R.fallback, R.dtmax, R.solver);
    ({ r, steps } = R.fallback ? await fallback(r0, R.steps) : { r: r0, steps: R.steps + r0.steps });
  } else {
    sampler.offer(0, x0, obj.elapsed());
    r = await main(x0, 0, 0);
    steps = r.steps;
    if (r.steps === 0 && r.status !== "stopped" && s.method !== "tsit5" && s.method !== "euler") {
      ({ r, steps } = await fallback(await solve("tsit5", x0, 0, Math.min(FALLBACK_SPAN, s.maxT), 0, true), 0));
    }
  }
  return { t: r.t, steps, stoppedBy: stoppedBy ?? odeStatusReason(r, s) };
}

/** The stop reason of an integration that ended by itself. */
function odeStatusReason(r: SolveResult, s: OdePhase): TrainStop {
  switch (r.status) {
    case "done":
      return stop("maxT", `maxT = ${s.maxT} reached`);
    case "maxSteps":
      return stop("maxiterations", `maxiterations ≥ ${s.maxiterations}`);
    case "nonFinite":
      return stop("nonFinite", "non-finite loss or gradient");
    case "stepTooSmall":
      return stop("stepTooSmall", r.message);
    case "failed":
    case "stopped": // never: a stop by onStep sets stoppedBy
      return stop("solverFailed", r.message);
  }
}
