import { MLPGFError } from "../errors.js";
import { describe, toVector } from "../api/matrix.js";
import { Net, type LossOptions } from "../api/net.js";
import { METHODS, type MethodName } from "../ode/index.js";
import { minibatchNet } from "./minibatch.js";
import { runDiscretePhase } from "./discretephase.js";
import type { TwiceDifferentiableModel } from "../model.js";
import { TrainObjective, maxAbs } from "./objective.js";
import { runOdePhase } from "./odephase.js";
import { runOptimPhase } from "./optimphase.js";
import { type CheckpointData, Checkpointer, type PhaseState, checkCheckpointOption, readCheckpoint, storableOptions } from "./checkpoint.js";
import { DEFAULT_MAXTIME_ODE, DEFAULT_MAXTIME_OPTIM, type DiscreteRule, type TrainOptions, count, defaultAlg, defaultOptimSolver, nonNegative, positive } from "./options.js";
import type { TrainResult } from "./result.js";
import { type StopRules, isConverged } from "./stop.js";
import { LogSampler, finiteTrajectory } from "./trajectory.js";
import { VariableProjection, checkVarpro } from "./varpro.js";

const OPTIMIZERS = ["newton", "newtonTrustRegion", "newtonCG", "bfgs", "lbfgs"] as const;

/**
 * Trains a network: phase 1 follows the gradient flow dx/dt = −tauinv ⊙ ∇L_sum(x) with an ODE method
 * (stiff ones use the exact Hessian as Jacobian) or runs a discrete rule (`{ descent }`, `{ adam }`);
 * phase 2 starts an optimizer (Newton, trust region, BFGS, L-BFGS) from the best point to land on the
 * critical point to machine precision (with `varpro`, over the hidden parameters, the output layer solved
 * for). `x` of the result is the lowest-loss point seen.
 *
 * With `checkpoint: { path, every }` the run's state is written atomically every `every` seconds and
 * when it is aborted; `resume: path` continues such a run (then `x0` is ignored and the stored options
 * are the defaults of `opts`). See {@link TrainOptions.checkpoint}.
 *
 * @param net - a `Net` (or `NetI`).
 * @param x0 - start parameters (length `net.nparams`).
 * @param opts - see {@link TrainOptions}.
 * @example
 * ```ts
 * const r = await train(net, net.randomParams({ seed: 1 }), { maxtimeOde: 10, maxtimeOptim: 10 });
 * console.log(r.loss, r.gnorm, r.odeStoppedBy, r.optimStoppedBy);
 * ```
 */
export async function train(net: TwiceDifferentiableModel, x0: ArrayLike<number>, opts: TrainOptions = {}): Promise<TrainResult> {
  let t0 = performance.now();
  if (!net || typeof net.lossAndGradient !== "function" || typeof net.hessian !== "function") {
    throw new MLPGFError("VALUE", `train: expected a Net or NetI, got ${describe(net)}`);
  }
  if (!opts || typeof opts !== "object") throw new MLPGFError("VALUE", `train: options must be an object, got ${describe(opts)}`);
  const P = net.nparams;
  const layers = "layers" in net ? (net as { layers: unknown }).layers : undefined;
  const ckOpt = opts.checkpoint === undefined ? null : checkCheckpointOption(opts.checkpoint);
  let saved: CheckpointData | null = null;
  if (opts.resume !== undefined) {
    saved = await readCheckpoint(opts.resume);
    if (saved.P !== P || JSON.stringify(saved.layers) !== JSON.stringify(layers)) {
      throw new MLPGFError("VALUE", `train: the checkpoint ${JSON.stringify(opts.resume)} is of another network (P = ${saved.P}, layers ${JSON.stringify(saved.layers)})`);
    }
    opts = { ...saved.options, ...opts };
    t0 -= saved.elapsed * 1000;
  }
  const init = saved ? saved.init : toVector(x0, "train: x0", P);
  const lossOpts: LossOptions = { maxnorm: opts.maxnorm, merge: opts.merge, weights: opts.weights, losstype: opts.losstype };
  net.loss(init, lossOpts); // validates the loss options (throws a clear error)
  const tauinv = resolveTauinv(opts.tauinv, P);
  const n = "nsamples" in net && typeof net.nsamples === "number" ? net.nsamples : 0;
  const alg = opts.alg ?? defaultAlg(P, n);
  checkAlg(alg);
  const rules = (maxtime: number): StopRules => ({
    maxtime,
    minloss: nonNegative(opts.minloss, "minloss", 2e-32),
    minGnorm: nonNegative(opts.minGnorm, "minGnorm", 1e-15),
    patience: count(opts.patience, "patience", 1_000_000),
    signal: opts.signal,
  });
  const odeRules = rules(nonNegative(opts.maxtimeOde, "maxtimeOde", DEFAULT_MAXTIME_ODE));
  const optimRules = rules(nonNegative(opts.maxtimeOptim, "maxtimeOptim", DEFAULT_MAXTIME_OPTIM));
  const maxitOde = count(opts.maxiterationsOde, "maxiterationsOde", 1_000_000);
  const maxitOptim = count(opts.maxiterationsOptim, "maxiterationsOptim", 100_000);
  const optimSolver = opts.optimSolver ?? defaultOptimSolver(P, n);
  if (!(OPTIMIZERS as readonly string[]).includes(optimSolver)) {
    throw new MLPGFError("VALUE", `train: optimSolver must be one of ${OPTIMIZERS.join(", ")}, got ${JSON.stringify(optimSolver)}`);
  }
  if (opts.varpro !== undefined && typeof opts.varpro !== "boolean") throw new MLPGFError("VALUE", `train: varpro must be true or false, got ${describe(opts.varpro)}`);
  if (opts.varpro) checkVarpro(net, lossOpts);
  const nTraj = count(opts.nSamplesTrajectory, "nSamplesTrajectory", 100);
  const sampler = saved ? LogSampler.restore(saved.sampler) : new LogSampler(Math.max(2, nTraj));
  const obj = new TrainObjective(net, lossOpts, init, t0, {
    interval: positive(opts.progressInterval, "progressInterval", 5),
    onProgress: opts.onProgress,
    verbosity: opts.verbosity ?? 0,
  });
  if (saved) {
    obj.best = saved.best;
    obj.sinceImprovement = saved.sinceImprovement;
    Object.assign(obj.evaluations, saved.evaluations);
    obj.t = saved.t;
  }
  const weights = opts.weights !== undefined ? toVector(opts.weights, "train: weights") : net instanceof Net ? net.sampleWeights : null;
  /** performance.now() at the start of a phase: earlier when resuming that phase. */
  const phaseStart = (kinds: PhaseState["kind"][]) => performance.now() - (saved && kinds.includes(saved.phase.kind) ? saved.phaseElapsed * 1000 : 0);
  let odeDone: CheckpointData["ode"] = saved?.ode ?? null;
  const stored = storableOptions(opts);
  const checkpointer = ckOpt
    ? new Checkpointer(ckOpt.path, ckOpt.every, (phase, start) => ({
        P,
        layers,
        init,
        options: stored,
        phase,
        best: obj.best,
        sinceImprovement: obj.sinceImprovement,
        evaluations: { ...obj.evaluations },
        t: obj.t,
        sampler: sampler.state(),
        elapsed: obj.elapsed(),
        phaseElapsed: (performance.now() - start) / 1000,
        ode: odeDone,
      }))
    : null;

  // phase 1
  let odeStoppedBy = "";
  let odeIterations = 0;
  const t1 = phaseStart(["ode", "discrete"]);
  const resumePhase = saved?.phase;
  if (odeDone) {
    ({ stoppedBy: odeStoppedBy, iterations: odeIterations } = odeDone);
  } else if (maxitOde > 0) {
    if (typeof alg === "string") {
      const r = await runOdePhase(obj, init, {
        method: alg,
        maxT: positive(opts.maxT, "maxT", Infinity),
        abstol: positive(opts.abstol, "abstol", 1e-6),
        reltol: positive(opts.reltol, "reltol", 1e-6),
        dt: opts.dt === undefined ? undefined : positive(opts.dt, "dt", 0),
        maxiterations: maxitOde,
        tauinv,
        rules: odeRules,
        checkpointer,
        resume: resumePhase?.kind === "ode" ? resumePhase : undefined,
        start: t1,
      }, sampler);
      odeStoppedBy = r.stoppedBy;
      odeIterations = r.steps;
    } else {
      const batchNet = minibatchNet(net, opts.batchsize);
      try {
        const resume = resumePhase?.kind === "discrete" ? resumePhase : undefined;
        const r = await runDiscretePhase(obj, init, { rule: alg, maxiterations: maxitOde, tauinv, batchNet, net, weights, rules: odeRules, checkpointer, resume, start: t1 }, sampler);
        odeStoppedBy = r.stoppedBy;
        odeIterations = r.steps;
      } finally {
        batchNet?.dispose();
      }
    }
  } else {
    obj.evaluate(init, new Float64Array(P));
  }
  await checkpointer?.flush();
  const odeTimeRun = odeDone ? odeDone.timeRun : (performance.now() - t1) / 1000;
  const odeX = odeDone ? odeDone.x : obj.best.x.slice();
  const odeLoss = odeDone ? odeDone.loss : obj.best.loss;
  const lastT = odeDone ? odeDone.lastT : obj.t;
  odeDone = { stoppedBy: odeStoppedBy, iterations: odeIterations, timeRun: odeTimeRun, x: odeX, loss: odeLoss, lastT };

  // phase 2
  let optimStoppedBy = "";
  let optimIterations = 0;
  const t2 = phaseStart(["optim"]);
  const done = obj.best.loss <= optimRules.minloss || obj.best.gnorm <= optimRules.minGnorm;
  if (maxitOptim > 0 && !done && !odeRules.signal?.aborted && Number.isFinite(obj.best.loss)) {
    obj.phase = "optim";
    const before = resumePhase?.kind === "optim" ? resumePhase.iterations : 0;
    const varpro = opts.varpro ? new VariableProjection(net as Net, opts.weights !== undefined ? weights : null) : null;
    try {
      const r = await runOptimPhase(obj, obj.best.x, { method: optimSolver, maxiterations: maxitOptim, rules: optimRules, checkpointer, before, start: t2, varpro });
      optimStoppedBy = r.stoppedBy;
      optimIterations = r.iterations;
    } finally {
      varpro?.dispose();
    }
    await checkpointer?.flush();
  }
  const optimTimeRun = (performance.now() - t2) / 1000;

  // bookkeeping at the best point
  const x = obj.best.x;
  const plain: LossOptions = { weights: opts.weights, losstype: opts.losstype };
  const points = sampler.points();
  if (optimIterations > 0) points.push({ t: lastT + 1, x: x.slice(), wallTime: obj.elapsed() });
  const { trajectory, lossCurve } = finiteTrajectory(points, (p) => net.loss(p, plain));
  const { loss, gradient } = net.lossAndGradient(x, plain);
  const reg = net.lossAndGradient(x, lossOpts);
  const last = optimStoppedBy || odeStoppedBy;
  return {
    loss,
    x,
    init,
    odeX,
    odeLoss,
    gnorm: maxAbs(gradient),
    gnormRegularized: maxAbs(reg.gradient),
    converged: isConverged(last) || (obj.best.loss <= odeRules.minloss),
    odeStoppedBy,
    optimStoppedBy,
    odeIterations,
    optimIterations,
    odeTimeRun,
    optimTimeRun,
    totalTime: (performance.now() - t0) / 1000,
    trajectory,
    lossCurve,
    layers,
    weights,
  };
}

/** tauinv as one value per parameter (finite, ≥ 0). */
function resolveTauinv(t: TrainOptions["tauinv"], P: number): Float64Array {
  if (t === undefined) return new Float64Array(P).fill(1);
  if (typeof t === "number") {
    if (!(t >= 0 && Number.isFinite(t))) throw new MLPGFError("VALUE", `train: tauinv must be a finite number ≥ 0, got ${t}`);
    return new Float64Array(P).fill(t);
  }
  const v = toVector(t, "train: tauinv", P);
  const bad = v.findIndex((a) => a < 0);
  if (bad >= 0) throw new MLPGFError("VALUE", `train: tauinv entry ${bad} is ${v[bad]}; inverse time scales must be ≥ 0`);
  return v;
}

function checkAlg(alg: MethodName | DiscreteRule): void {
  if (typeof alg === "string") {
    if (!Object.hasOwn(METHODS, alg)) throw new MLPGFError("VALUE", `train: unknown alg ${JSON.stringify(alg)}; use one of ${Object.keys(METHODS).join(", ")}, { descent: { eta } } or { adam: { eta } }`);
    return;
  }
  if (!alg || typeof alg !== "object" || !("descent" in alg || "adam" in alg)) {
    throw new MLPGFError("VALUE", `train: alg must be an ODE method name, { descent: { eta } } or { adam: { eta } }, got ${JSON.stringify(alg)}`);
  }
}
