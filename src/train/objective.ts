import { isMLPGFError } from "../errors.js";
import { isBetterPoint } from "../optim/tierule.js";
import { matVec } from "../optim/vector.js";
import type { LossOptions } from "../api/net.js";
import type { TwiceDifferentiableModel } from "../model.js";
import type { ProgressInfo, TrainEvaluations } from "./progressinfo.js";

/**
 * The best point seen over every evaluation: the lowest (regularised) mean loss, where losses equal
 * to within the rounding level go to the smaller gradient (the optimizers' tie rule, {@link isBetterPoint}).
 */
export interface BestPoint {
  x: Float64Array;
  loss: number;
  /** ∞-norm of the regularised mean gradient at x. */
  gnorm: number;
}

/**
 * The training objective around a network: mean loss + regularisers, its gradient and Hessian,
 * best-point tracking over every evaluation, patience counting, evaluation counts and progress reports.
 * A point with a NaN or ±Infinity entry, and values that overflow to NaN, come back as NaN (the
 * integrators and optimizers then shrink their steps or stop) instead of throwing: the network is
 * called only at finite points of the right length with options checked before training, so the
 * `VALUE` error it raises there can only mean a non-finite result.
 */
export class TrainObjective {
  /** Scale of the summed loss: N for data, 1 for an expectation. */
  readonly n: number;
  readonly P: number;
  best: BestPoint;
  readonly evaluations: TrainEvaluations = { loss: 0, gradient: 0, hessian: 0 };
  /** Loss evaluations since the best point last improved (a lower loss or a smaller gradient). */
  sinceImprovement = 0;
  /** The lowest loss ever evaluated (ties are judged against it; see {@link isBetterPoint}). */
  private lowest = Infinity;
  phase: "ode" | "optim" = "ode";
  /** ODE time or iteration, for progress reports. */
  t = 0;
  private lastReport: number;

  constructor(
    private readonly net: TwiceDifferentiableModel,
    private readonly opts: LossOptions,
    x0: Float64Array,
    private readonly start: number,
    private readonly progress: { interval: number; onProgress?: (i: ProgressInfo) => void; verbosity: number },
  ) {
    this.n = net.nsamples && net.nsamples > 0 ? net.nsamples : 1;
    this.P = net.nparams;
    this.best = { x: x0.slice(), loss: Infinity, gnorm: Infinity };
    this.lastReport = start;
  }

  /** The loss options without sample weights (for a minibatch network, whose weights are its block's). */
  get regularizers(): LossOptions {
    const { weights: _w, ...rest } = this.opts;
    return rest;
  }

  /** Mean loss at x; writes the mean gradient to g. Tracks the best point. */
  evaluate(x: Float64Array, g: Float64Array): number {
    this.evaluations.loss++;
    this.evaluations.gradient++;
    const r = valuesAt(x, () => this.net.lossAndGradient(x, this.opts));
    if (!r) {
      g.fill(NaN);
      return NaN;
    }
    const loss = r.loss;
    g.set(r.gradient);
    const gnorm = maxAbs(g);
    const best = this.best;
    const lowest = Math.min(this.lowest, best.loss);
    if (loss < this.lowest) this.lowest = loss;
    if (isBetterPoint(loss, gnorm, lowest, best.gnorm)) {
      this.sinceImprovement = loss < best.loss || gnorm < best.gnorm ? 0 : this.sinceImprovement + 1;
      this.best = { x: x.slice(), loss, gnorm };
    } else {
      this.sinceImprovement++;
    }
    this.report();
    return loss;
  }

  /** Mean Hessian at x (P × P, row-major). NaN entries if it overflowed. */
  hessian(x: Float64Array): Float64Array {
    this.evaluations.hessian++;
    return valuesAt(x, () => this.net.hessian(x, this.opts).data) ?? new Float64Array(this.P * this.P).fill(NaN);
  }

  /**
   * Mean Hessian times v at x into `out` (NaN entries if it overflowed): the network's own product,
   * or the Hessian times v for a model without one. Counted as a gradient evaluation (same cost order).
   */
  hvp(x: Float64Array, v: Float64Array, out: Float64Array): void {
    this.evaluations.gradient++;
    const net = this.net;
    const Hv = valuesAt(x, () => {
      if (net.hvp) return net.hvp(x, v, this.opts);
      const r = new Float64Array(this.P);
      matVec(r, net.hessian(x, this.opts).data, v);
      return r;
    });
    if (Hv) out.set(Hv);
    else out.fill(NaN);
  }

  /** Seconds since the start of training. */
  elapsed(): number {
    return (performance.now() - this.start) / 1000;
  }

  /** The rejection of a promise that an async `onProgress` returned, thrown at the next report. */
  private callbackFailure: { error: unknown } | null = null;

  /**
   * Throws the rejection of an async `onProgress` that came in after the last report (a rejection
   * that comes after the run has ended is dropped: handled, never an unhandled rejection).
   */
  async settleCallbacks(): Promise<void> {
    await Promise.resolve();
    if (this.callbackFailure) throw this.callbackFailure.error;
  }

  private report(): void {
    if (this.callbackFailure) throw this.callbackFailure.error; // as a synchronous throw of the callback
    const { interval, onProgress, verbosity } = this.progress;
    const now = performance.now();
    if (now - this.lastReport < interval * 1000 || (!onProgress && verbosity < 1)) return;
    this.lastReport = now;
    const info: ProgressInfo = {
      phase: this.phase,
      elapsed: this.elapsed(),
      t: this.t,
      loss: this.best.loss,
      gnorm: this.best.gnorm,
      evaluations: { ...this.evaluations },
    };
    const returned: unknown = onProgress?.(info);
    // an async callback's rejection ends the run like a throw, instead of an unhandled rejection
    if (returned && typeof (returned as PromiseLike<unknown>).then === "function")
      (returned as PromiseLike<unknown>).then(undefined, (error: unknown) => {
        this.callbackFailure ??= { error };
      });
    if (verbosity >= 1) {
      console.log(
        `${new Date().toISOString()}: ${info.phase} t: ${info.t.toPrecision(6)}, evals: (L: ${info.evaluations.loss}, ∇: ${info.evaluations.gradient}, ∇²: ${info.evaluations.hessian}), loss: ${info.loss.toExponential(6)}, gnorm: ${info.gnorm.toExponential(6)}`,
      );
    }
  }
}

/**
 * The result of an evaluation at x, or null when x is not finite (a diverged step: the network is not
 * asked) or the network reports `VALUE` (its loss or derivatives overflowed to NaN: the options and
 * the shape of x were validated when training started, so no other `VALUE` error can come from here).
 */
function valuesAt<T>(x: Float64Array, evaluation: () => T): T | null {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return null;
  try {
    return evaluation();
  } catch (e) {
    if (!isMLPGFError(e, "VALUE")) throw e;
    return null;
  }
}

/** max_i |v_i|. */
export function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (a > m || Number.isNaN(a)) m = a;
  }
  return m;
}
