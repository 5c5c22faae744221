import type { TrainEvaluations } from "./progressinfo.js";
import type { TrainStop } from "./stop.js";
import type { TrajectoryPoint } from "./trajectory.js";

/** Result of {@link train} (the camelCase keys of MLPGradientFlow.jl's result dictionary). */
export interface TrainResult {
  /** Mean loss (without regularisers) at `x`. */
  loss: number;
  /** The lowest-loss point seen over every evaluation of both phases. */
  x: Float64Array;
  /** The start point. */
  init: Float64Array;
  /** Best point of phase 1 (the start point if phase 1 was skipped). */
  odeX: Float64Array;
  /** Mean loss (regularisers included) at `odeX`. */
  odeLoss: number;
  /** ∞-norm of the mean gradient (without regularisers) at `x`. */
  gnorm: number;
  /** ∞-norm of the regularised mean gradient at `x` (not divided by tauinv, unlike the original). */
  gnormRegularized: number;
  /**
   * True when the run ended on a convergence rule (the last phase's stop kind is minloss, minGnorm,
   * patience, zeroGradient, noProgress or lineSearchFailed) or the best loss is ≤ `minloss`.
   */
  converged: boolean;
  /** Why phase 1 ended, for display ("" if it was skipped): `odeStop.message`. */
  odeStoppedBy: string;
  /** Why phase 2 ended, for display ("" if it was skipped): `optimStop.message`. */
  optimStoppedBy: string;
  /** Why phase 1 ended: kind and message (null if it was skipped). */
  odeStop: TrainStop | null;
  /** Why phase 2 ended: kind and message (null if it was skipped). */
  optimStop: TrainStop | null;
  /** Loss, gradient and Hessian evaluations of the run (NaN in results read from version-1 files). */
  evaluations: TrainEvaluations;
  /** Accepted ODE steps or discrete iterations of phase 1. */
  odeIterations: number;
  /** Iterations of phase 2. */
  optimIterations: number;
  /** Seconds spent in phase 1. */
  odeTimeRun: number;
  /** Seconds spent in phase 2. */
  optimTimeRun: number;
  /** Seconds for the whole run. */
  totalTime: number;
  /** Up to `nSamplesTrajectory` points, log-spaced in ODE time (iterations for discrete rules), plus the final point after phase 2. */
  trajectory: TrajectoryPoint[];
  /** Mean loss (without regularisers) at each trajectory point. */
  lossCurve: number[];
  /** The network's layer specs (when it has them). */
  layers: unknown;
  /** The sample weights used (null = all ones). */
  weights: Float64Array | null;
  /**
   * Set only by `trainMany` for a start that failed (bad x0, invalid options, a thrown error): the
   * error's code (an `MLPGFErrorCode`, or "ERROR" for other errors) and message. The numbers of such a
   * result are NaN, its vectors are the start point (or empty if it was unusable), its trajectory empty.
   */
  error?: { code: string; message: string };
}
