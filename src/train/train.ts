import { MLPGFError } from "../errors.js";
import { describe, toVector } from "../api/matrix.js";
import { Net, type LossOptions } from "../api/net.js";
import { minibatchNet } from "./minibatch.js";
import { runDiscretePhase } from "./discretephase.js";
import type { TwiceDifferentiableModel } from "../model.js";
import { TrainObjective, maxAbs } from "./objective.js";
import { runOdePhase } from "./odephase.js";
import { runOptimPhase } from "./optimphase.js";
import { checkWritable } from "../io/atomic.js";
import { type CheckpointData, Checkpointer, type PhaseState, checkpointTarget, readCheckpoint } from "./checkpoint.js";
import { parseOptions } from "../options/parse.js";
import { TrainOptionsSchema, storedTrainOptions } from "../options/train.js";
import { type TrainOptions, trainSettings } from "./options.js";
import type { TrainResult } from "./result.js";
import { type TrainStop, isConverged } from "./stop.js";
import { LogSampler, finiteTrajectory } from "./trajectory.js";
import { VariableProjection } from "./varpro.js";

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
  const given = parseOptions(TrainOptionsSchema, opts, "train");
  const P = net.nparams;
  const layers = "layers" in net ? (net as { layers: unknown }).layers : undefined;
  const ckOpt = given.checkpoint === undefined ? null : checkpointTarget(given.checkpoint);
  if (ckOpt) await checkWritable(ckOpt.path, "train: checkpoint.path"); // now, not after the first `every` seconds
  let saved: CheckpointData | null = null;
  let merged: TrainOptions = given;
  if (given.resume !== undefined) {
    saved = await readCheckpoint(given.resume);
    if (saved.P !== P || JSON.stringify(saved.layers) !== JSON.stringify(layers)) {
      throw new MLPGFError(
        "VALUE",
        `train: the checkpoint ${JSON.stringify(given.resume)} is of another network (P = ${saved.P}, layers ${JSON.stringify(saved.layers)})`,
      );
    }
    merged = { ...saved.options, ...dropUndefined(given) };
    t0 -= saved.elapsed * 1000;
  }
  const init = saved ? saved.init : toVector(x0, "train: x0", P);
  const settings = trainSettings(net, init, merged);
  opts = settings.opts;
  const { lossOpts, tauinv, alg, odeRules, optimRules, maxitOde, maxitOptim, optimSolver } = settings;
  const sampler = saved ? LogSampler.restore(saved.sampler) : new LogSampler(settings.nTraj);
  const obj = new TrainObjective(net, lossOpts, init, t0, {
    interval: settings.progressInterval,
    onProgress: opts.onProgress,
    verbosity: settings.verbosity,
  });
  if (saved) {
    obj.best = saved.best;
    obj.sinceImprovement = saved.sinceImprovement;
    Object.assign(obj.evaluations, { loss: saved.evaluations.gradient }, saved.evaluations);
    obj.t = saved.t;
  }
  const weights = opts.weights !== undefined ? toVector(opts.weights, "train: weights") : net instanceof Net ? net.sampleWeights : null;
  /** performance.now() at the start of a phase: earlier when resuming that phase. */
  const phaseStart = (kinds: PhaseState["kind"][]) =>
    performance.now() - (saved && kinds.includes(saved.phase.kind) ? saved.phaseElapsed * 1000 : 0);
  let odeDone: CheckpointData["ode"] = saved?.ode ?? null;
  const stored = storedTrainOptions(opts);
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
  let odeStop: TrainStop | null = null;
  let odeIterations = 0;
  const t1 = phaseStart(["ode", "discrete"]);
  const resumePhase = saved?.phase;
  if (odeDone) {
    ({ stop: odeStop, iterations: odeIterations } = odeDone);
  } else if (maxitOde > 0) {
    if (typeof alg === "string") {
      const r = await runOdePhase(
        obj,
        init,
        {
          method: alg,
          maxT: settings.maxT,
          abstol: settings.abstol,
          reltol: settings.reltol,
          dt: opts.dt,
          maxiterations: maxitOde,
          tauinv,
          rules: odeRules,
          checkpointer,
          resume: resumePhase?.kind === "ode" ? resumePhase : undefined,
          start: t1,
        },
        sampler,
      );
      odeStop = r.stoppedBy;
      odeIterations = r.steps;
    } else {
      const batchNet = minibatchNet(net, opts.batchsize);
      try {
        const resume = resumePhase?.kind === "discrete" ? resumePhase : undefined;
        const r = await runDiscretePhase(
          obj,
          init,
          { rule: alg, maxiterations: maxitOde, tauinv, batchNet, net, weights, rules: odeRules, checkpointer, resume, start: t1 },
          sampler,
        );
        odeStop = r.stoppedBy;
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
  odeDone = { stop: odeStop, iterations: odeIterations, timeRun: odeTimeRun, x: odeX, loss: odeLoss, lastT };

  // phase 2
  let optimStop: TrainStop | null = null;
  let optimIterations = 0;
  const t2 = phaseStart(["optim"]);
  const done = obj.best.loss <= optimRules.minloss || obj.best.gnorm <= optimRules.minGnorm;
  if (maxitOptim > 0 && !done && !odeRules.signal?.aborted && Number.isFinite(obj.best.loss)) {
    obj.phase = "optim";
    const before = resumePhase?.kind === "optim" ? resumePhase.iterations : 0;
    const varpro = opts.varpro ? new VariableProjection(net as Net, opts.weights !== undefined ? weights : null) : null;
    try {
      const r = await runOptimPhase(obj, obj.best.x, {
        method: optimSolver,
        maxiterations: maxitOptim,
        rules: optimRules,
        checkpointer,
        before,
        start: t2,
        varpro,
      });
      optimStop = r.stoppedBy;
      optimIterations = r.iterations;
    } finally {
      varpro?.dispose();
    }
    await checkpointer?.flush();
  }
  const optimTimeRun = (performance.now() - t2) / 1000;

  await obj.settleCallbacks(); // an async onProgress that rejected during the last steps

  // bookkeeping at the best point
  const x = obj.best.x;
  const plain: LossOptions = { weights: opts.weights, losstype: opts.losstype };
  const points = sampler.points();
  if (optimIterations > 0) points.push({ t: lastT + 1, x: x.slice(), wallTime: obj.elapsed() });
  const { trajectory, lossCurve } = finiteTrajectory(points, (p) => net.loss(p, plain));
  const { loss, gradient } = net.lossAndGradient(x, plain);
  const reg = net.lossAndGradient(x, lossOpts);
  const last = optimStop ?? odeStop;
  return {
    loss,
    x,
    init,
    odeX,
    odeLoss,
    gnorm: maxAbs(gradient),
    gnormRegularized: maxAbs(reg.gradient),
    converged: isConverged(last?.kind) || obj.best.loss <= odeRules.minloss,
    odeStoppedBy: odeStop?.message ?? "",
    optimStoppedBy: optimStop?.message ?? "",
    odeStop,
    optimStop,
    evaluations: { ...obj.evaluations },
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

/** The object without its undefined entries (so that they do not override a checkpoint's options). */
function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as Partial<T>;
}
