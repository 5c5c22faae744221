import * as v from "../vendor/valibot.js";
import { METHODS, type MethodName } from "../ode/index.js";
import type { ProgressInfo } from "../train/progressinfo.js";
import { closestName } from "./closest.js";
import { LossOptionsSchema, MergeOptionSchema } from "./loss.js";
import {
  abortSignal,
  bool,
  count,
  filePath,
  fn,
  index,
  nonNegative,
  num,
  oneOf,
  positive,
  positiveFinite,
  positiveInt,
  strict,
  vector,
} from "./schema.js";

/** The phase-2 optimizers of `train`. */
export const OPTIMIZERS = ["newton", "newtonTrustRegion", "newtonCG", "bfgs", "lbfgs"] as const;

/** The ODE method names (`"tsit5"`, `"rodas4"`, …). */
const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

/** Two numbers in [0, 1): Adam's decay rates. */
const betas = v.custom<readonly [number, number]>(
  // indexed reads, not every(): every() skips the holes of a sparse [, 0.9]
  (b) => Array.isArray(b) && b.length === 2 && [b[0], b[1]].every((x) => typeof x === "number" && x >= 0 && x < 1),
  "two numbers in [0, 1) (Adam's β₁, β₂)",
);

/** `{ descent: { eta } }`: plain gradient descent x ← x − η·g. */
const DescentSchema = strict({ descent: strict({ /** Learning rate η. Default 0.1. */ eta: v.optional(positiveFinite) }) });

/** `{ adam: { eta, beta, epsilon } }`: Adam. */
const AdamSchema = strict({
  adam: strict({
    /** Learning rate η. Default 1e-3. */
    eta: v.optional(positiveFinite),
    /** Decay rates (β₁, β₂) of the moment estimates. Default [0.9, 0.999]. */
    beta: v.optional(betas),
    /** ε of the denominator √v̂ + ε. Default 1e-8. */
    epsilon: v.optional(num("a finite number ≥ 0", (x) => x >= 0 && x < Infinity)),
  }),
});

const ALG_EXPECTED = `an ODE method (${METHOD_NAMES.join(", ")}), { descent: { eta } } or { adam: { eta, beta, epsilon } }`;
const odeMethod = oneOf(METHOD_NAMES, "an ODE method:");
const notAnAlg = v.custom<never>(
  () => false,
  (issue) => {
    const keys = issue.input && typeof issue.input === "object" ? Object.keys(issue.input) : [];
    const near = keys.length === 1 ? closestName(keys[0], ["descent", "adam"]) : null;
    return `${ALG_EXPECTED}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ""}`;
  },
);

/** `alg`: a method name or one rule object; each form is checked by its own schema, so errors point inside it. */
const AlgSchema = v.lazy((a: unknown) => {
  if (typeof a === "string") return odeMethod;
  if (a && typeof a === "object" && !Array.isArray(a)) {
    if ("adam" in a) return AdamSchema;
    if ("descent" in a) return DescentSchema;
  }
  return notAnAlg;
});

/** A discrete update rule instead of the ODE: plain gradient descent or Adam with learning rate `eta`. */
export type DiscreteRule = v.InferOutput<typeof DescentSchema> | v.InferOutput<typeof AdamSchema>;

/** Schema of {@link CheckpointOptions}. */
export const CheckpointOptionsSchema = strict({
  /** File to (over)write atomically with the state needed to resume (JSON). Node only. */
  path: filePath,
  /** Seconds between writes (checked after every step or iteration; 0 = after every one). Default 60. */
  every: v.optional(nonNegative),
});

/** The `checkpoint` option of `train`. */
export type CheckpointOptions = v.InferOutput<typeof CheckpointOptionsSchema>;

/**
 * The options of `train` that are plain data (JSON-storable): stored in checkpoints, sent to the
 * workers of `trainMany`, and the `train` section of the CLI's config file.
 */
const storableEntries = {
  /** ODE method or a discrete rule. Default by size: see `defaultAlg`. */
  alg: v.optional(AlgSchema),
  /** End of the ODE time interval. Default Infinity. */
  maxT: v.optional(positive),
  /** ODE absolute tolerance. Default 1e-6. */
  abstol: v.optional(positive),
  /** ODE relative tolerance. Default 1e-6. */
  reltol: v.optional(positive),
  /** Fixed (euler, required there) or initial step size of the ODE. */
  dt: v.optional(positiveFinite),
  /** Wall-clock limit of phase 1, seconds. Default 180. */
  maxtimeOde: v.optional(nonNegative),
  /** Step (ODE) or iteration (discrete rule) limit of phase 1; 0 skips phase 1. Default 10⁶. */
  maxiterationsOde: v.optional(count),
  /** Points kept in `trajectory` (log-spaced in time; the start and the end always, so at least 2). Default 100. */
  nSamplesTrajectory: v.optional(num("an integer ≥ 2 (the start and the end are always kept)", (x) => Number.isInteger(x) && x >= 2)),
  /**
   * Phase-2 optimizer. Default: newtonTrustRegion for P ≤ 128, bfgs for P ≤ 4096, newtonCG above.
   * `newtonCG`: a trust region whose subproblem is solved by truncated CG on Hessian-vector products.
   */
  optimSolver: v.optional(oneOf(OPTIMIZERS)),
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
  varpro: v.optional(bool),
  /** Iteration limit of phase 2; 0 skips phase 2. Default 10⁵. */
  maxiterationsOptim: v.optional(count),
  /** Wall-clock limit of phase 2, seconds. Default 120. */
  maxtimeOptim: v.optional(nonNegative),
  /** Stop when the ∞-norm of the (regularised) mean gradient at the best point is ≤ this. Default 1e-15. */
  minGnorm: v.optional(nonNegative),
  /** Stop when the best mean loss is ≤ this. Default 2e-32. */
  minloss: v.optional(nonNegative),
  /** Stop after this many loss evaluations without improvement ("converged"). Default 10⁶. */
  patience: v.optional(count),
  /** Cubic barrier constant (see `LossOptions.maxnorm`). Default Infinity. */
  maxnorm: LossOptionsSchema.entries.maxnorm,
  /** Merge penalty between two neurons. */
  merge: v.optional(MergeOptionSchema),
  /** Inverse time scale per parameter: dx/dt = −tauinv ⊙ ∇L_sum. A number or P values. Default 1. */
  tauinv: v.optional(
    v.union(
      [num("a finite number ≥ 0", (x) => x >= 0 && x < Infinity), vector("", (x) => x >= 0 && x < Infinity)],
      "a finite number ≥ 0 or an array of P such numbers",
    ),
  ),
  /** Minibatch size of a discrete rule (contiguous blocks of samples). Default: full batch. */
  batchsize: v.optional(positiveInt),
  /** Sample weights for this run (default: the network's). */
  weights: LossOptionsSchema.entries.weights,
  /** Loss type (must match the output layer; default chosen by the network). */
  losstype: LossOptionsSchema.entries.losstype,
  /** Seconds between progress reports. Default 5. */
  progressInterval: v.optional(positive),
  /** 0: silent; 1: a line per progress report and at the end (console). Default 0. */
  verbosity: v.optional(index),
};

/** The JSON-storable subset of {@link TrainOptions} (see `storableEntries`). */
export const StoredTrainOptionsSchema = strict(storableEntries);

/** Schema of {@link TrainOptions}. */
export const TrainOptionsSchema = strict({
  ...storableEntries,
  /**
   * Called every `progressInterval` seconds. Your callback's own exception (or the rejection of the
   * promise an async callback returns, at the next report) ends the run and is rethrown unchanged,
   * not wrapped in a MLPGFError: it is your error, with your stack.
   */
  onProgress: v.optional(fn<(info: ProgressInfo) => void>()),
  /** Aborts the run cleanly; the result keeps the best point and says "aborted" in its stop reason. */
  signal: v.optional(abortSignal),
  /**
   * Write the state needed to resume (Node only): `{ path, every }` overwrites the JSON file `path`
   * atomically every `every` seconds (default 60; 0 = after every step) and when the run is aborted
   * through `signal`. It holds the current point, ODE time, step size and step-size controller memory
   * (or the discrete rule's iterate, minibatch position and Adam moments), the best point and loss,
   * the phase, iteration and evaluation counters, elapsed times, the trajectory samples so far and the
   * storable options.
   */
  checkpoint: v.optional(CheckpointOptionsSchema),
  /**
   * Path of a checkpoint to continue from (Node only). `x0` is then ignored; the checkpoint's options
   * are the defaults, options given here override them (e.g. a larger `maxiterationsOde`); the network
   * must have the same layers and parameter count. Phase 1 continues exactly (bitwise for the explicit
   * and Rosenbrock methods and the discrete rules; ESDIRK methods re-evaluate their Jacobian); a
   * checkpoint taken in phase 2 restarts the optimizer from the best point (same iteration count).
   */
  resume: v.optional(filePath),
});

/** Options of `train`; every field is optional. Defaults follow MLPGradientFlow.jl unless noted. */
export type TrainOptions = v.InferOutput<typeof TrainOptionsSchema>;

/** The JSON-storable options of `train` (no callbacks, signal, checkpoint or resume). */
export type StoredTrainOptions = v.InferOutput<typeof StoredTrainOptionsSchema>;

/** The keys of {@link StoredTrainOptions}. */
export const STORED_TRAIN_KEYS = Object.keys(storableEntries) as (keyof StoredTrainOptions)[];

/** The storable part of checked train options (typed arrays copied to Float64Arrays). */
export function storedTrainOptions(opts: TrainOptions): StoredTrainOptions {
  const out: Record<string, unknown> = {};
  for (const k of STORED_TRAIN_KEYS) {
    const x = opts[k];
    if (x !== undefined) out[k] = ArrayBuffer.isView(x) ? Float64Array.from(x as ArrayLike<number>) : x;
  }
  return out as StoredTrainOptions;
}
