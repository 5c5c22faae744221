import type { TrainObjective } from "./objective.js";

/** The stop rules shared by both phases, checked after every accepted step or iteration. */
export interface StopRules {
  maxtime: number;
  minloss: number;
  minGnorm: number;
  patience: number;
  signal?: AbortSignal;
}

/** Stop reasons that mean the run has converged. */
const CONVERGED = /^(minloss|min_gnorm|patience|zero gradient|no progress|line search failed)/;

/**
 * The reason to stop now, or "" to go on. Order as in MLPGradientFlow.jl's Terminator: patience,
 * wall clock, then minimal loss and gradient norm of the best point; an aborted signal first.
 */
export function stopReason(obj: TrainObjective, rules: StopRules, phaseStart: number): string {
  if (rules.signal?.aborted) return "aborted";
  if (obj.sinceImprovement > rules.patience) return `patience (${rules.patience} evaluations without improvement)`;
  if ((performance.now() - phaseStart) / 1000 > rules.maxtime) return `maxtime > ${rules.maxtime}s`;
  if (obj.best.loss <= rules.minloss) return `minloss ≤ ${rules.minloss}`;
  if (obj.best.gnorm <= rules.minGnorm) return `min_gnorm ≤ ${rules.minGnorm}`;
  return "";
}

/** True when a stop reason means convergence. */
export function isConverged(reason: string): boolean {
  return CONVERGED.test(reason);
}
