import type { Engine } from "./kernels.js";
import type { LayerPlan } from "./plan.js";
import type { SliceEvaluation, SliceReply } from "./sliceprotocol.js";
import type { ThreadPool } from "./threadpool.js";
import { type Data, Workspace } from "./workspace.js";

/** Ids of slices, unique in this thread (workers key their workspaces by them). */
let nextSliceId = 1;

/**
 * One evaluation split over samples: the samples [0, n) are cut into T contiguous slices of nearly
 * equal size, slice 0 is evaluated by the calling thread (in a workspace of its own), slice k ≥ 1 by
 * worker k − 1 of the pool, all at once. The sums over samples Σ_n ℓ_n, their gradients, Hessians and
 * Hessian-vector products are then added in the fixed order slice 0, 1, …, T − 1, so the result does
 * not depend on which thread finishes first; it differs from the one-thread result only by the order
 * of the additions (≤ 1e-14 relative, measured in test/engine.threads.test.ts).
 */
export class SampleSplit {
  /** @internal Evaluations split so far (for tests). */
  static evaluations = 0;
  private readonly local: Workspace;
  private readonly ids: number[] = [];
  private readonly bounds: number[];
  private released = false;

  constructor(
    engine: Engine,
    /** The pool this split runs on. */
    readonly pool: ThreadPool,
    layers: readonly LayerPlan[],
    din: number,
    data: Data,
  ) {
    const T = pool.size + 1;
    this.bounds = Array.from({ length: T + 1 }, (_, k) => Math.round((data.n * k) / T));
    this.local = new Workspace(engine, layers, din, this.slice(data, 0), false);
    try {
      for (let k = 1; k < T; k++) {
        const id = nextSliceId++;
        pool.send(k - 1, { op: "create", id, layers, din, data: this.slice(data, k) });
        this.ids.push(id);
      }
      for (let k = 1; k < T; k++) pool.wait(k - 1);
    } catch (e) {
      this.release();
      throw e;
    }
  }

  /** Σ_n ℓ_n and, with `grad`, its gradient. */
  lossGrad(x: Float64Array, grad: boolean, update: Update): { loss: number; gradient: Float64Array | null } {
    const r = this.run(x, { op: "lossGrad", grad }, update, () => {
      const l = this.local.lossGrad(x, grad);
      return { loss: l.loss, values: l.gradient };
    });
    return { loss: r.loss, gradient: r.values };
  }

  /** Σ_n ℓ_n and its Hessian (P × P, row-major). */
  hessian(x: Float64Array, update: Update): { loss: number; hessian: Float64Array } {
    const r = this.run(x, { op: "hessian" }, update, () => {
      const l = this.local.hessian(x);
      return { loss: l.loss, values: l.hessian };
    });
    return { loss: r.loss, hessian: r.values as Float64Array };
  }

  /** Σ_n ℓ_n and H(x)·v. */
  hvp(x: Float64Array, v: Float64Array, update: Update): { loss: number; hv: Float64Array } {
    const r = this.run(x, { op: "hvp", v }, update, () => {
      const l = this.local.hvp(x, v);
      return { loss: l.loss, values: l.hv };
    });
    return { loss: r.loss, hv: r.values as Float64Array };
  }

  /** Frees the local workspace and asks the workers to free theirs. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.local.release();
    this.ids.forEach((id, k) => this.pool.send(k, { op: "release", id }));
  }

  /** Sends the evaluation to the workers, runs slice 0 here, then adds the slices' results in order. */
  private run(
    x: Float64Array,
    ev: SliceEvaluation,
    update: Update,
    here: () => { loss: number; values: Float64Array | null },
  ): { loss: number; values: Float64Array | null } {
    SampleSplit.evaluations++;
    this.ids.forEach((id, k) => {
      const data = update.data ? this.slice(update.data, k + 1) : undefined;
      const weights =
        update.weights === undefined || update.weights === null
          ? update.weights
          : update.weights.subarray(this.bounds[k + 1], this.bounds[k + 2]);
      this.pool.send(k, { ...ev, id, x, data, weights });
    });
    if (update.data) this.local.replaceData(this.slice(update.data, 0));
    if (update.weights !== undefined)
      this.local.setWeights(update.weights === null ? null : update.weights.subarray(this.bounds[0], this.bounds[1]));
    let error: unknown = null;
    let mine: { loss: number; values: Float64Array | null } = { loss: 0, values: null };
    try {
      mine = here();
    } catch (e) {
      error = e;
    }
    // every reply is collected, also after an error, so that none is left for the next call
    const replies = this.ids.map((_id, k): SliceReply => {
      try {
        return this.pool.wait(k);
      } catch (e) {
        error ??= e;
        return {};
      }
    });
    if (error) throw error;
    let loss = mine.loss;
    const values = mine.values;
    for (const r of replies) {
      loss += r.loss as number;
      if (values && r.values) for (let i = 0; i < values.length; i++) values[i] += r.values[i];
    }
    return { loss, values };
  }

  /** Samples [bounds[k], bounds[k + 1]) of `data`. */
  private slice(data: Data, k: number): Data {
    const [a, b] = [this.bounds[k], this.bounds[k + 1]];
    const din = data.input.length / Math.max(1, data.n);
    const dout = data.target.length / Math.max(1, data.n);
    return {
      n: b - a,
      input: data.input.slice(a * din, b * din),
      target: data.target.slice(a * dout, b * dout),
      weights: data.weights ? data.weights.slice(a, b) : null,
    };
  }
}

/** Changes to send with an evaluation: new data (same size) and/or new sample weights (null = ones). */
export interface Update {
  data?: Data;
  weights?: Float64Array | null;
}
