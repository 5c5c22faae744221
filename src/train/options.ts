import { MLPGFError } from "../errors.js";
import type { LossType } from "../api/net.js";
import type { MergeOption } from "../api/regularizers.js";
import type { MethodName } from "../ode/index.js";
import type { Method } from "../optim/index.js";
import type { CheckpointOptions } from "./checkpoint.js";

/** A discrete update rule instead of the ODE: plain gradient descent or Adam with learning rate `eta`. */
export type DiscreteRule = { descent: { eta?: number } } | { adam: { eta?: number; beta?: readonly [number, number]; epsilon?: number } };

/** What `onProgress` receives every `progressInterval` seconds. */
export interface ProgressInfo {
  /** "ode" (or the discrete rule) or "optim". */
  phase: "ode" | "optim";
  /** Seconds since the start of `train`. */
  elapsed: number;
  /** ODE time (or iteration of a discrete rule / optimizer). */
  t: number;
  /** Best mean loss so far (regularisers included). */
  loss: number;
  /** ∞-norm of the mean gradient (regularised) at the best point. */
  gnorm: number;
  /** Evaluations so far: loss+gradient and Hessian. */
  evaluations: { gradient: number; hessian: number };
}

/** Options of {@link train}; every field is optional. Defaults follow MLPGradientFlow.jl unless noted. */
export interface TrainOptions {
  /** ODE method or a discrete rule. Default by size: see {@link defaultAlg}. */
  alg?: MethodName | DiscreteRule;
  /** End of the ODE time interval. Default Infinity. */
  maxT?: number;
  /** ODE absolute tolerance. Default 1e-6. */
  abstol?: number;
  /** ODE relative tolerance. Default 1e-6. */
  reltol?: number;
  /** Fixed (euler) or initial step size of the ODE. */
  dt?: number;
  /** Wall-clock limit of phase 1, seconds. Default 180. */
  maxtimeOde?: number;
  /** Step (ODE) or iteration (discrete rule) limit of phase 1; 0 skips phase 1. Default 10⁶. */
  maxiterationsOde?: number;
  /** Points kept in `trajectory` (log-spaced in time). Default 100. */
  nSamplesTrajectory?: number;
  /** Phase-2 optimizer. Default: newtonTrustRegion for P ≤ 128, bfgs for P ≤ 4096, newtonCG above. */
  optimSolver?: Method;
  /**
   * Phase 2 by variable projection: the output layer's weights (and bias) are solved for by weighted
   * linear least squares at every point, and the optimizer runs on the hidden parameters alone, with
   * the exact reduced gradient and Hessian (Schur complement). Same minima and saddles as the full
   * loss, far fewer iterations through the valleys where hidden and output weights trade off against
   * each other (typical of teacher–student problems near the teacher). Needs a `Net` with data, an
   * identity output layer, the squared error and no `maxnorm`/`merge`. Default false.
   *
   * Not for flat channels to infinity: where the loss keeps decreasing as two neurons merge while
   * their output weights diverge (±a, a → ∞), the least-squares problem for the output weights turns
   * singular at the end of the channel and the reduced loss is discontinuous there, so a varpro
   * phase 2 stops ("no progress") where the full-space optimizer keeps descending the channel.
   */
  varpro?: boolean;
  /** Iteration limit of phase 2; 0 skips phase 2. Default 10⁵. */
  maxiterationsOptim?: number;
  /** Wall-clock limit of phase 2, seconds. Default 120. */
  maxtimeOptim?: number;
  /** Stop when the ∞-norm of the (regularised) mean gradient at the best point is ≤ this. Default 1e-15. */
  minGnorm?: number;
  /** Stop when the best mean loss is ≤ this. Default 2e-32. */
  minloss?: number;
  /** Stop after this many loss evaluations without improvement ("converged"). Default 10⁶. */
  patience?: number;
  /** Cubic barrier constant (see `LossOptions.maxnorm`). Default Infinity. */
  maxnorm?: number;
  /** Merge penalty between two neurons. */
  merge?: MergeOption;
  /** Inverse time scale per parameter: dx/dt = −tauinv ⊙ ∇L_sum. A number or P values. Default 1. */
  tauinv?: number | ArrayLike<number>;
  /** Minibatch size of a discrete rule (contiguous blocks of samples). Default: full batch. */
  batchsize?: number;
  /** Sample weights for this run (default: the network's). */
  weights?: ArrayLike<number>;
  /** Loss type (must match the output layer; default chosen by the network). */
  losstype?: LossType;
  /** Called every `progressInterval` seconds. */
  onProgress?(info: ProgressInfo): void;
  /** Seconds between progress reports. Default 5. */
  progressInterval?: number;
  /** Aborts the run cleanly; the result keeps the best point and says "aborted" in its stop reason. */
  signal?: AbortSignal;
  /** 0: silent; 1: a line per progress report and at the end (console). Default 0. */
  verbosity?: number;
  /**
   * Write the state needed to resume (Node only): `{ path, every }` overwrites the JSON file `path`
   * atomically every `every` seconds (default 60; 0 = after every step) and when the run is aborted
   * through `signal`. It holds the current point, ODE time, step size and step-size controller memory
   * (or the discrete rule's iterate, minibatch position and Adam moments), the best point and loss,
   * the phase, iteration and evaluation counters, elapsed times, the trajectory samples so far and the
   * storable options.
   */
  checkpoint?: CheckpointOptions;
  /**
   * Path of a checkpoint to continue from (Node only). `x0` is then ignored; the checkpoint's options
   * are the defaults, options given here override them (e.g. a larger `maxiterationsOde`); the network
   * must have the same layers and parameter count. Phase 1 continues exactly (bitwise for the explicit
   * and Rosenbrock methods and the discrete rules; ESDIRK methods re-evaluate their Jacobian); a
   * checkpoint taken in phase 2 restarts the optimizer from the best point (same iteration count).
   */
  resume?: string;
}

/** Default wall-clock limits of phase 1 and phase 2, seconds (`maxtimeOde`, `maxtimeOptim`). */
export const DEFAULT_MAXTIME_ODE = 180;
export const DEFAULT_MAXTIME_OPTIM = 120;

/**
 * Units of N·P² (samples × parameters²) above which one exact Hessian takes about a second here
 * (P = 401, N = 10⁴: 1.6·10⁹ units in ≈ 0.2 s, bench/RESULTS.md). A WASM call cannot be interrupted,
 * so `maxtime*` and `signal` act between steps: the defaults keep a step's Hessian within seconds.
 */
const HESSIAN_SECOND = 7e9;

/**
 * The ODE method used by default for P parameters and n samples (0 for infinite data): stiff methods
 * with the exact Hessian. Rosenbrock methods pay one Hessian + LU per step; our Hessian costs only
 * ≈ 10–12 gradients at P = 200–400 (bench/RESULTS.md), so that stays cheaper than KenCarp58's Newton
 * iterations (≈ 19–25 gradients per step; the original's default) up to P ≈ 10³. Among them Rodas4
 * (6 stages) beats Rodas5P (8 stages) at the default tolerance 1e-6, measured on teacher–student flows
 * (bench/TRAIN_RESULTS.md and the same problems with other sizes, 5 s each): ODE time reached
 * 6.5e4 vs 1.6e4 (P = 33, N = 10⁴, medians of 3 seeds, and closer to a tight-tolerance reference:
 * 1.2e-11 vs 3.4e-11), 2.6e5 vs 6.5e4 (P = 201, N = 2000), 6.5e3 vs 5.8e3 (P = 401, N = 1000); loss
 * 1e-20 reached in 2.6–3.1 s vs 3.7–4.4 s (P = 17, N = 10⁴); KenCarp58 reaches t ≈ 1.8e3. Above P ≈ 10³,
 * TRBDF2 (Jacobian reuse), and when a P × P Hessian is too large — or too slow (Rodas4 only while
 * one Hessian takes ≲ 1.5 s, N·P² ≤ 10¹⁰; TRBDF2 while ≲ 4 s) — the Jacobian-free rodas4krylov
 * (Hessian-vector products, O(N·P) each, and GMRES). Measured (bench/RESULTS.md, 40 s each, same CPU
 * time): near a teacher (softplus, D = 10, P = 481, N = 5000) it reaches ODE time 0.12 and loss 2e-7
 * where Tsit5 reaches 0.0068 and 3e-5; from a random start of the relu MNIST network, whose kinks
 * limit every method's step by accuracy, not stability, Tsit5 gets further (≈ 4 gradients per
 * Tsit5-step-equivalent less). Gradient flows are run into the stiff end, so the Krylov method wins there.
 */
export function defaultAlg(P: number, n = 0): MethodName {
  const cost = n * P * P;
  if (P <= 1024 && cost <= 1.5 * HESSIAN_SECOND) return "rodas4";
  if (P <= 10_000 && cost <= 4 * HESSIAN_SECOND) return "trbdf2";
  return "rodas4krylov";
}

/**
 * The phase-2 optimizer used by default for P parameters. Newton with a trust region for P ≤ 128
 * (the original uses line-search Newton): measured on teacher–student starts (bench/TRAIN_RESULTS.md)
 * line-search Newton with a modified Cholesky creeps like 1/t where the Hessian is slightly
 * indefinite, while the trust region (and BFGS) reach loss 1e-21 in seconds (as long as one Hessian of the
 * n samples takes ≲ 1.5 s, see {@link defaultAlg}). BFGS (a dense P × P inverse, 134 MB at P = 4096) up
 * to P = 4096; above, Newton–CG (Steihaug trust region on Hessian-vector products: O(P) memory and
 * quadratic convergence at the end, where L-BFGS is only superlinear).
 */
export function defaultOptimSolver(P: number, n = 0): Method {
  if (P <= 128 && n * P * P <= 1.5 * HESSIAN_SECOND) return "newtonTrustRegion";
  if (P <= 4096) return "bfgs";
  return "newtonCG";
}

/** Checks a non-negative number option (Infinity allowed where noted). */
export function nonNegative(v: unknown, name: string, dflt: number, allowInf = true): number {
  if (v === undefined) return dflt;
  if (typeof v !== "number" || Number.isNaN(v) || v < 0 || (!allowInf && !Number.isFinite(v))) {
    throw new MLPGFError("VALUE", `train: ${name} must be a number ≥ 0${allowInf ? "" : " and finite"}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Checks a positive number option. */
export function positive(v: unknown, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== "number" || !(v > 0)) throw new MLPGFError("VALUE", `train: ${name} must be a number > 0, got ${JSON.stringify(v)}`);
  return v;
}

/** Checks a non-negative integer option. */
export function count(v: unknown, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== "number" || !(Number.isInteger(v) || v === Infinity) || v < 0) {
    throw new MLPGFError("VALUE", `train: ${name} must be an integer ≥ 0, got ${JSON.stringify(v)}`);
  }
  return v;
}
