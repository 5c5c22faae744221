import type { LossOptions, Net } from "../api/net.js";
import { isMLPGFError } from "../errors.js";
import { Adam, Descent, type Rule } from "../optim/index.js";
import { macrotask } from "../util/steps.js";
import type { Checkpointer, PhaseState } from "./checkpoint.js";
import type { TwiceDifferentiableModel } from "../model.js";
import type { TrainObjective } from "./objective.js";
import type { DiscreteRule } from "./options.js";
import { type StopRules, type TrainStop, stop, stopReason } from "./stop.js";
import type { LogSampler } from "./trajectory.js";

/** Settings of a discrete-rule phase (gradient descent or Adam, optionally on minibatches). */
export interface DiscretePhase {
  rule: DiscreteRule;
  maxiterations: number;
  tauinv: Float64Array;
  /** A network with `batchsize` samples that blocks of the data are loaded into, or null (full batch). */
  batchNet: Net | null;
  /** The full network (source of the blocks) and its per-sample weights for this run. */
  net: TwiceDifferentiableModel;
  weights: Float64Array | null;
  rules: StopRules;
  checkpointer: Checkpointer | null;
  /** Continue from a checkpoint of this phase (bitwise: iterate, block and Adam moments restored). */
  resume?: Extract<PhaseState, { kind: "discrete" }>;
  /** performance.now() at the phase start (earlier than now when resuming). */
  start: number;
}

/** Stop reason of a discrete rule whose iterates overflowed. */
export const DIVERGED = "diverged: non-finite loss or gradient";
const diverged = (): TrainStop => stop("diverged", DIVERGED);

/** Milliseconds between turns of the event loop. */
const SLICE_MS = 50;

/** The update rule of a `{ descent }` or `{ adam }` option. */
export function makeRule(r: DiscreteRule): Rule {
  return "adam" in r ? new Adam(r.adam) : new Descent(r.descent);
}

/**
 * Iterates x ← x − Δ(tauinv ⊙ ḡ) with ḡ the mean gradient of the full data or of the next contiguous
 * block of `batchsize` samples (wrapping to the first sample when fewer remain). With minibatches the
 * full loss (and best point) is evaluated at the start of every epoch; without, at every iterate.
 * A non-finite loss or gradient (the rule diverged: a step too large) stops the phase with
 * {@link DIVERGED}; the best point stays finite and the diverged iterates never enter the result's
 * trajectory or loss curve.
 */
export async function runDiscretePhase(
  obj: TrainObjective,
  x0: Float64Array,
  s: DiscretePhase,
  sampler: LogSampler,
): Promise<{ steps: number; stoppedBy: TrainStop }> {
  const P = obj.P;
  const rule = makeRule(s.rule);
  const R = s.resume;
  const x = (R?.x ?? x0).slice();
  if (R?.rule && rule instanceof Adam) rule.restore(R.rule as unknown as ReturnType<Adam["state"]>);
  const g = new Float64Array(P);
  const G = new Float64Array(P);
  const N = obj.n;
  const B = s.batchNet?.nsamples ?? N;
  const start = s.start;
  const ck = s.checkpointer;
  let lastYield = performance.now();
  let block = R?.block ?? 0;
  if (!R) sampler.offer(0, x, obj.elapsed());
  for (let it = (R?.it ?? 0) + 1; ; it++) {
    if (!s.batchNet) {
      if (!Number.isFinite(obj.evaluate(x, g)) || !allFinite(g)) return { steps: it - 1, stoppedBy: diverged() };
    } else {
      if (block === 0 && !Number.isFinite(obj.evaluate(x, g))) return { steps: it - 1, stoppedBy: diverged() };
      s.batchNet.loadBlock(s.net as Net, block, s.weights);
      block = block + 2 * B <= N ? block + B : 0;
      obj.evaluations.gradient++;
      if (!batchGradient(s.batchNet, x, obj.regularizers, g)) return { steps: it - 1, stoppedBy: diverged() };
    }
    for (let i = 0; i < P; i++) G[i] = s.tauinv[i] * g[i];
    rule.step(x, G);
    obj.t = it;
    sampler.offer(it, x, obj.elapsed());
    if (it >= s.maxiterations) return { steps: it, stoppedBy: stop("maxiterations", `maxiterations ≥ ${s.maxiterations}`) };
    const reason = stopReason(obj, s.rules, start);
    ck?.offer(
      () => ({ kind: "discrete", x: x.slice(), it, block, rule: rule instanceof Adam ? rule.state() : null }),
      start,
      reason?.kind === "aborted",
    );
    if (reason) return { steps: it, stoppedBy: reason };
    const write = ck?.flush();
    if (write) await write;
    if (performance.now() - lastYield >= SLICE_MS) {
      await macrotask();
      lastYield = performance.now();
    }
  }
}

/** The minibatch gradient at x into g; false when x or the gradient is not finite (the rule diverged). */
function batchGradient(net: Net, x: Float64Array, opts: LossOptions, g: Float64Array): boolean {
  if (!allFinite(x)) return false;
  try {
    g.set(net.gradient(x, opts));
  } catch (e) {
    if (isMLPGFError(e, "VALUE")) return false; // NaN: an activation overflowed
    throw e;
  }
  return allFinite(g);
}

function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}
