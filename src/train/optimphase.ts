import { type Method, type Objective, type StopReason, minimizeSteps } from "../optim/index.js";
import { runStepsAsync } from "../util/steps.js";
import type { Checkpointer } from "./checkpoint.js";
import type { TrainObjective } from "./objective.js";
import { type StopKind, type StopRules, type TrainStop, stop, stopReason } from "./stop.js";
import type { VariableProjection } from "./varpro.js";
import { sameValues } from "../optim/vector.js";

/**
 * Initial trust-region radius of phase 2 (Optim.jl's default is 1). Measured on the teacher–student
 * benchmark (30 starts at teacher + 0.1·noise, bench/train_bench.js part c; radius 1 measured the same
 * way before this constant existed): with radius 1 the trust region reaches the teacher from 27/30
 * starts (24/30 with `varpro`), with 0.01 from 28/30 (28/30), in about the same time. A first step of
 * length 1 can jump into another basin; the radius doubles after every good step, so a small start
 * costs a few iterations at most.
 */
const TRUST_RADIUS0 = 0.01;

/** The stop kind of each reason an optimizer gives (its own reason string is the message). */
const OPTIMIZER_STOPS: Record<StopReason, StopKind> = {
  maxIterations: "maxiterations",
  callback: "aborted", // never used: a stop by the callback is one of the train rules
  "zero gradient": "zeroGradient",
  "line search failed": "lineSearchFailed",
  "no progress": "noProgress",
  "non-finite objective": "nonFinite",
  "non-finite Hessian": "nonFinite",
};

/** Settings of the optimizer phase. */
export interface OptimPhase {
  method: Method;
  maxiterations: number;
  rules: StopRules;
  checkpointer: Checkpointer | null;
  /** Iterations done before (a resumed phase restarts the optimizer from the best point). */
  before: number;
  /** performance.now() at the phase start (earlier than now when resuming). */
  start: number;
  /** Optimise over the hidden parameters only, with the output layer's weights solved for (`varpro`). */
  varpro?: VariableProjection | null;
}

/**
 * Minimises L_sum = N·(mean loss + regularisers) from x0 with a Newton, trust-region, BFGS or L-BFGS
 * optimizer, stopping only through the train rules (the optimizers' own tolerances are off) or when
 * the optimizer can improve no further. Every evaluation updates the best point. A checkpoint records
 * the iteration count only: a resumed phase 2 restarts the optimizer (fresh BFGS matrix or trust
 * radius) from the best point. With `varpro` the optimizer runs on the reduced objective (hidden
 * parameters; see {@link VariableProjection}) and every evaluation is at a lifted point (u, A*(u)).
 *
 * The value and gradient of the last evaluation are reused when the optimizer asks for the Hessian at
 * the same point (a trust region or Newton step evaluates f and ∇f at the trial point, then f, ∇f and
 * ∇²f there once it is accepted).
 */
export async function runOptimPhase(
  obj: TrainObjective,
  x0: Float64Array,
  s: OptimPhase,
): Promise<{ iterations: number; stoppedBy: TrainStop }> {
  const N = obj.n;
  const P = obj.P;
  const last = { x: new Float64Array(P), f: NaN, g: new Float64Array(P) };
  const objective: Objective = {
    fg(x, g) {
      const f = obj.evaluate(x, g);
      for (let i = 0; i < P; i++) g[i] *= N;
      last.x.set(x);
      last.g.set(g);
      last.f = N * f;
      return N * f;
    },
    fgh(x, g, H) {
      let f = last.f;
      if (!Number.isNaN(f) && sameValues(x, last.x)) g.set(last.g);
      else f = objective.fg(x, g);
      const h = obj.hessian(x);
      for (let i = 0; i < h.length; i++) H[i] = N * h[i];
      return f;
    },
    hvp(x, v, out) {
      obj.hvp(x, v, out);
      for (let i = 0; i < P; i++) out[i] *= N;
    },
  };
  obj.sinceImprovement = 0;
  const start = s.start;
  let stoppedBy: TrainStop | null = null;
  const r = await runStepsAsync(
    minimizeSteps(s.varpro ? s.varpro.reduce(objective) : objective, s.varpro ? s.varpro.start(x0) : x0, s.method, {
      ...(s.method === "newtonTrustRegion" || s.method === "newtonCG" ? { initialRadius: TRUST_RADIUS0 } : {}),
      maxIterations: Math.max(0, s.maxiterations - s.before),
      onIteration: ({ iteration }) => {
        obj.t = s.before + iteration;
        stoppedBy = stopReason(obj, s.rules, start);
        s.checkpointer?.offer(() => ({ kind: "optim", iterations: s.before + iteration }), start, stoppedBy?.kind === "aborted");
        return stoppedBy !== null;
      },
    }),
    50,
    () => s.checkpointer?.flush(),
  );
  const own =
    r.stoppedBy === "maxIterations"
      ? stop("maxiterations", `maxiterations ≥ ${s.maxiterations}`)
      : stop(OPTIMIZER_STOPS[r.stoppedBy], r.stoppedBy);
  return { iterations: s.before + r.iterations, stoppedBy: (r.stoppedBy === "callback" ? stoppedBy : null) ?? own };
}
