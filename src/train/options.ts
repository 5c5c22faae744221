import { toVector } from "../api/matrix.js";
import type { LossOptions } from "../api/net.js";
import type { MethodName } from "../ode/index.js";
import type { Method } from "../optim/index.js";
import { optionError, parseOptions } from "../options/parse.js";
import { show } from "../util/show.js";
import { type DiscreteRule, type TrainOptions, TrainOptionsSchema } from "../options/train.js";
import type { TwiceDifferentiableModel } from "../model.js";
import type { StopRules } from "./stop.js";
import { checkVarpro } from "./varpro.js";

export type { CheckpointOptions, DiscreteRule, StoredTrainOptions, TrainOptions } from "../options/train.js";
export type { ProgressInfo, TrainEvaluations } from "./progressinfo.js";

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
 * (Hessian-vector products, O(N·P) each, and GMRES). Measured (bench/RESULTS.md, 40 s runs, 8–9 s
 * of CPU each): near a teacher (softplus, D = 10, P = 481, N = 5000) it reaches ODE time 1.6 and loss
 * 1.4e-7 where Tsit5 reaches 0.011 and 1.8e-5; from a random start of the relu MNIST network, whose
 * kinks limit every method's step by accuracy, not stability, Tsit5 gets further. Gradient flows are
 * run into the stiff end (minima to machine precision), where the Krylov method wins.
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

/** The options of a run, checked against the network and with every default resolved. */
export interface TrainSettings {
  /** The checked options as given (defaults not filled in). */
  opts: TrainOptions;
  lossOpts: LossOptions;
  alg: MethodName | DiscreteRule;
  tauinv: Float64Array;
  odeRules: StopRules;
  optimRules: StopRules;
  maxitOde: number;
  maxitOptim: number;
  optimSolver: Method;
  nTraj: number;
  progressInterval: number;
  verbosity: number;
  maxT: number;
  abstol: number;
  reltol: number;
}

/**
 * Checks `train` options (`opts` as the user gave them, or the merge of a checkpoint's and the
 * user's) with their schema, then against the network and each other, and fills in the defaults.
 * Evaluates the loss at `x0` with the loss options (the network checks those against its layers).
 * Everything that can be wrong with the options is found here, before any training.
 *
 * @throws MLPGFError `OPTION` naming the offending key (unknown keys with the closest valid name).
 */
export function trainSettings(net: TwiceDifferentiableModel, x0: Float64Array, input: unknown): TrainSettings {
  const opts = parseOptions(TrainOptionsSchema, input, "train");
  const P = net.nparams;
  const n = "nsamples" in net && typeof net.nsamples === "number" ? net.nsamples : 0;
  const lossOpts: LossOptions = { maxnorm: opts.maxnorm, merge: opts.merge, weights: opts.weights, losstype: opts.losstype };
  net.loss(x0, lossOpts); // the network checks the loss options against its layers and data (OPTION)
  const alg = opts.alg ?? defaultAlg(P, n);
  if (alg === "euler" && opts.dt === undefined) throw optionError("train", "dt", 'required by alg "euler" (its fixed step size)');
  if (opts.batchsize !== undefined) {
    if (typeof alg === "string")
      throw optionError("train", "batchsize", "applies to a discrete rule ({ descent } or { adam }) only, not to an ODE method");
    if (!(n > 0)) throw optionError("train", "batchsize", "needs a Net with finite data");
    if (opts.batchsize > n)
      throw optionError("train", "batchsize", `expected an integer in 1..${n} (the number of samples), got ${opts.batchsize}`);
  }
  if (opts.varpro) checkVarpro(net, lossOpts);
  const rules = (maxtime: number): StopRules => ({
    maxtime,
    minloss: opts.minloss ?? 2e-32,
    minGnorm: opts.minGnorm ?? 1e-15,
    patience: opts.patience ?? 1_000_000,
    signal: opts.signal,
  });
  return {
    opts,
    lossOpts,
    alg,
    tauinv: resolveTauinv(opts.tauinv, P),
    odeRules: rules(opts.maxtimeOde ?? DEFAULT_MAXTIME_ODE),
    optimRules: rules(opts.maxtimeOptim ?? DEFAULT_MAXTIME_OPTIM),
    maxitOde: opts.maxiterationsOde ?? 1_000_000,
    maxitOptim: opts.maxiterationsOptim ?? 100_000,
    optimSolver: opts.optimSolver ?? defaultOptimSolver(P, n),
    nTraj: opts.nSamplesTrajectory ?? 100,
    progressInterval: opts.progressInterval ?? 5,
    verbosity: opts.verbosity ?? 0,
    maxT: opts.maxT ?? Infinity,
    abstol: opts.abstol ?? 1e-6,
    reltol: opts.reltol ?? 1e-6,
  };
}

/** tauinv as one value per parameter (the schema checked that the values are finite and ≥ 0). */
function resolveTauinv(t: TrainOptions["tauinv"], P: number): Float64Array {
  if (t === undefined) return new Float64Array(P).fill(1);
  if (typeof t === "number") return new Float64Array(P).fill(t);
  if (t.length !== P) throw optionError("train", "tauinv", `expected a number or ${P} values (one per parameter), got ${show(t)}`);
  return toVector(t, "train: tauinv", P);
}
