import type { TrainObjective } from "./objective.js";

/**
 * Why a phase of `train` ended:
 * - `"minloss"`: the best mean loss reached `minloss`;
 * - `"minGnorm"`: the ∞-norm of the gradient at the best point reached `minGnorm`;
 * - `"patience"`: `patience` evaluations without improvement;
 * - `"zeroGradient"`: the optimizer stood on an exactly zero gradient;
 * - `"noProgress"`: the optimizer's step or trust region became too small to change x, or it found no better point for many iterations;
 * - `"lineSearchFailed"`: the line search found no acceptable step (the objective is flat to rounding along the direction);
 * - `"maxtime"`: the phase's wall-clock limit (`maxtimeOde`, `maxtimeOptim`);
 * - `"maxiterations"`: the phase's step or iteration limit;
 * - `"maxT"`: the ODE reached `maxT` (or t > 1e300);
 * - `"aborted"`: the `signal` was aborted (the CLI: Ctrl-C);
 * - `"nonFinite"`: the loss, gradient or Hessian became NaN or ±Infinity and smaller steps did not help;
 * - `"diverged"`: a discrete rule's iterates diverged (the best point is kept);
 * - `"stepTooSmall"`: the ODE's adaptive step fell below the rounding level of t;
 * - `"solverFailed"`: a fixed ODE step could not be completed (singular iteration matrix);
 * - `"unknown"`: a stop reason read from a version-1 result file that the reader does not recognise.
 *
 * The first six mean convergence (`converged` in the result).
 */
export type StopKind =
  | "minloss"
  | "minGnorm"
  | "patience"
  | "zeroGradient"
  | "noProgress"
  | "lineSearchFailed"
  | "maxtime"
  | "maxiterations"
  | "maxT"
  | "aborted"
  | "nonFinite"
  | "diverged"
  | "stepTooSmall"
  | "solverFailed"
  | "unknown";

/** Every {@link StopKind}. */
export const STOP_KINDS: readonly StopKind[] = [
  "minloss",
  "minGnorm",
  "patience",
  "zeroGradient",
  "noProgress",
  "lineSearchFailed",
  "maxtime",
  "maxiterations",
  "maxT",
  "aborted",
  "nonFinite",
  "diverged",
  "stepTooSmall",
  "solverFailed",
  "unknown",
];

/** Why a phase ended: the kind (for code) and a one-line message (for people, e.g. "minloss ≤ 1e-30"). */
export interface TrainStop {
  kind: StopKind;
  message: string;
}

/** The stop kinds that mean the run has converged. */
const CONVERGED: ReadonlySet<StopKind> = new Set<StopKind>([
  "minloss",
  "minGnorm",
  "patience",
  "zeroGradient",
  "noProgress",
  "lineSearchFailed",
]);

/** True when a stop kind means convergence. */
export function isConverged(kind: StopKind | undefined | null): boolean {
  return !!kind && CONVERGED.has(kind);
}

/** The stop rules shared by both phases, checked after every accepted step or iteration. */
export interface StopRules {
  maxtime: number;
  minloss: number;
  minGnorm: number;
  patience: number;
  signal?: AbortSignal;
}

/** A stop of the given kind and message. */
export function stop(kind: StopKind, message: string): TrainStop {
  return { kind, message };
}

/**
 * The reason to stop now, or null to go on. Order as in MLPGradientFlow.jl's Terminator: patience,
 * wall clock, then minimal loss and gradient norm of the best point; an aborted signal first.
 */
export function stopReason(obj: TrainObjective, rules: StopRules, phaseStart: number): TrainStop | null {
  if (rules.signal?.aborted) return stop("aborted", "aborted");
  if (obj.sinceImprovement > rules.patience) return stop("patience", `patience (${rules.patience} evaluations without improvement)`);
  if ((performance.now() - phaseStart) / 1000 > rules.maxtime) return stop("maxtime", `maxtime > ${rules.maxtime}s`);
  if (obj.best.loss <= rules.minloss) return stop("minloss", `minloss ≤ ${rules.minloss}`);
  if (obj.best.gnorm <= rules.minGnorm) return stop("minGnorm", `min_gnorm ≤ ${rules.minGnorm}`);
  return null;
}
