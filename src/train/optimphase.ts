import { type Method, type Objective, minimizeSteps } from "../optim/index.js";
import { runStepsAsync } from "../util/steps.js";
import type { Checkpointer } from "./checkpoint.js";
import type { TrainObjective } from "./objective.js";
import { type StopRules, stopReason } from "./stop.js";

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
}

/**
 * Minimises L_sum = N·(mean loss + regularisers) from x0 with a Newton, trust-region, BFGS or L-BFGS
 * optimizer, stopping only through the train rules (the optimizers' own tolerances are off) or when
 * the optimizer can improve no further. Every evaluation updates the best point. A checkpoint records
 * the iteration count only: a resumed phase 2 restarts the optimizer (fresh BFGS matrix or trust
 * radius) from the best point.
 */
export async function runOptimPhase(obj: TrainObjective, x0: Float64Array, s: OptimPhase): Promise<{ iterations: number; stoppedBy: string }> {
  const N = obj.n;
  const P = obj.P;
  const objective: Objective = {
    fg(x, g) {
      const f = obj.evaluate(x, g);
      for (let i = 0; i < P; i++) g[i] *= N;
      return N * f;
    },
    fgh(x, g, H) {
      const f = objective.fg(x, g);
      const h = obj.hessian(x);
      for (let i = 0; i < h.length; i++) H[i] = N * h[i];
      return f;
    },
  };
  obj.sinceImprovement = 0;
  const start = s.start;
  let stoppedBy = "";
  const r = await runStepsAsync(
    minimizeSteps(objective, x0, s.method, {
      maxIterations: Math.max(0, s.maxiterations - s.before),
      onIteration: ({ iteration }) => {
        obj.t = s.before + iteration;
        stoppedBy = stopReason(obj, s.rules, start);
        s.checkpointer?.offer(() => ({ kind: "optim", iterations: s.before + iteration }), start, stoppedBy === "aborted");
        return stoppedBy !== "";
      },
    }),
    50,
    () => s.checkpointer?.flush(),
  );
  return { iterations: s.before + r.iterations, stoppedBy: r.stoppedBy === "callback" ? stoppedBy : r.stoppedBy === "maxIterations" ? `maxiterations ≥ ${s.maxiterations}` : r.stoppedBy };
}
