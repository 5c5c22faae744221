import { MLPGFError } from "../errors.js";
import type { DifferentiableModel } from "../model.js";
import { getEngine } from "../engine/kernels.js";
import { disposedError, forgetOwner, releaseWhenCollected } from "../engine/lifetime.js";
import { show } from "../util/show.js";
import type { LayerPlan } from "../engine/plan.js";
import { type Data, Workspace } from "../engine/workspace.js";
import { type LayerSpec, type NormalizedLayer, resolveLayers } from "./layers.js";
import { type Matrix, type MatrixLike, describe, isMatrix, matrix, toMatrix, toVector } from "./matrix.js";
import { type ParamsDict, type RandomParamsOptions, paramsFromDict, paramsToDict, randomParams } from "./params.js";
import { type MergeOption, addRegularizers, addRegularizersHvp, checkMaxnorm, checkMerge } from "./regularizers.js";
import { type LossOptions, LossOptionsSchema } from "../options/loss.js";
import { optionError, parseOptions } from "../options/parse.js";
import { NetOptionsSchema } from "../options/network.js";

/** Options of `new Net(...)`. */
export interface NetOptions {
  /** Layer specs `[width, activation, bias]`, input to output. */
  layers: readonly LayerSpec[];
  /** N × D inputs, one sample per row. */
  input?: MatrixLike;
  /** N × Dout targets, or N integer class labels 0..K−1 for a softmax output. */
  target?: MatrixLike | readonly number[];
  /** N non-negative sample weights (default all 1). */
  weights?: ArrayLike<number>;
  /** Input dimension, needed when no input is given. */
  din?: number;
}

export type { LossOptions, LossType } from "../options/loss.js";

/**
 * A multilayer perceptron on a finite data set: exact loss, gradient and Hessian in WebAssembly.
 *
 * Loss (mse) = Σ_n w_n Σ_o (ŷ_on − y_on)² / N, no ½; nll (softmax output) = −Σ_n w_n log p_{label n} / N.
 * Parameters are a `Float64Array` ordered as in MLPGradientFlow.jl (layer by layer, `[W b]` column-major).
 *
 * @example
 * ```ts
 * await init();
 * const net = new Net({ layers: [[8, "softplus", true], [1, "identity", true]], input, target });
 * const x = net.randomParams({ seed: 1 });
 * const { loss, gradient } = net.lossAndGradient(x);
 * ```
 */
export class Net implements DifferentiableModel {
  /** Number of parameters P. */
  readonly nparams: number;
  /** Input dimension D. */
  readonly din: number;
  /** Output dimension. */
  readonly dout: number;
  /** Number of samples N (0 without data). */
  readonly nsamples: number;
  /** The normalised layer specs (widths resolved), frozen: edit a copy and build a new network. */
  readonly layers: readonly NormalizedLayer[];
  /** @internal engine plan of the layers */
  readonly plans: readonly LayerPlan[];
  private readonly ws: Workspace;
  private readonly data: Data | null;
  private weights: Float64Array | null;
  private readonly softmax: boolean;

  constructor(given: NetOptions) {
    const engine = getEngine();
    if (!given || typeof given !== "object")
      throw new MLPGFError("OPTION", `new Net: expected { layers, input?, target?, weights?, din? }, got ${describe(given)}`);
    // the checked copy: own keys only, each read once
    const opts = parseOptions(NetOptionsSchema, given, "new Net") as NetOptions;
    const lastSpec = Array.isArray(opts.layers) ? opts.layers[opts.layers.length - 1] : undefined;
    const softmaxOut = Array.isArray(lastSpec) && lastSpec[1] === "softmax";
    let data: Data | null = null;
    let din: number;
    let outWidth: number | undefined;
    if (opts.input !== undefined || opts.target !== undefined) {
      if (opts.input === undefined || opts.target === undefined) {
        throw new MLPGFError("SHAPE", "new Net: give both input and target (or neither, with din)");
      }
      const input = toMatrix(opts.input, "input");
      if (input.rows === 0) throw new MLPGFError("SHAPE", "input: zero samples; a network needs at least one sample (one row)");
      if (input.cols === 0) throw new MLPGFError("SHAPE", "input: zero columns; each sample needs at least one feature");
      if (opts.din !== undefined && opts.din !== input.cols) {
        throw new MLPGFError("SHAPE", `din is ${show(opts.din)} but the input has ${input.cols} columns`);
      }
      din = input.cols;
      const declared =
        Array.isArray(lastSpec) && Number.isInteger(lastSpec[0]) && (lastSpec[0] as number) >= 1 ? (lastSpec[0] as number) : undefined;
      const target = readTarget(opts.target, input.rows, softmaxOut, declared);
      outWidth = target.cols;
      const weights = opts.weights === undefined ? null : checkWeights(opts.weights, input.rows, "weights");
      data = { n: input.rows, input: input.data, target: target.data, weights };
    } else {
      if (opts.weights !== undefined) throw new MLPGFError("SHAPE", "weights given without input and target");
      din = checkDin(opts.din);
    }
    const { specs, plans } = resolveLayers(opts.layers, din, outWidth);
    if (plans[plans.length - 1].softmax && plans[plans.length - 1].k < 2)
      throw new MLPGFError(
        "SHAPE",
        `layers: a softmax output needs at least 2 classes, got width ${plans[plans.length - 1].k} (a one-class softmax is the constant 1; give the output width, or use an identity output)`,
      );
    this.layers = specs;
    this.plans = plans;
    this.softmax = plans[plans.length - 1].softmax;
    this.din = din;
    this.dout = plans[plans.length - 1].k;
    this.nsamples = data?.n ?? 0;
    this.data = data;
    this.weights = data?.weights ?? null;
    this.ws = new Workspace(engine, plans, din, data);
    this.nparams = this.ws.nparams;
    releaseWhenCollected(this, this.ws);
  }

  /** Glorot-distributed weights and zero biases; reproducible for a given `seed`. */
  randomParams(opts: RandomParamsOptions = {}): Float64Array {
    this.checkAlive();
    return randomParams(this.plans, opts);
  }

  /** Outputs for the attached input, or for `input` (N × D): an N × Dout matrix (probabilities for softmax). */
  forward(x: ArrayLike<number>, input?: MatrixLike): Matrix {
    const xv = this.params(x);
    if (input === undefined) {
      this.requireData();
      return checkOutputs(matrix(this.nsamples, this.dout, this.ws.predict(xv)));
    }
    const m = toMatrix(input, "input", { cols: this.din });
    if (m.rows === 0) return matrix(0, this.dout, new Float64Array(0));
    const data: Data = { n: m.rows, input: m.data, target: new Float64Array(m.rows * this.dout), weights: null };
    return checkOutputs(matrix(m.rows, this.dout, this.ws.predict(xv, data)));
  }

  /** Mean loss at x (plus the regularisers of `opts`). */
  loss(x: ArrayLike<number>, opts: LossOptions = {}): number {
    return this.evaluate(x, opts, false).loss;
  }

  /** Gradient of the mean loss at x (same order as x). */
  gradient(x: ArrayLike<number>, opts: LossOptions = {}): Float64Array {
    return this.evaluate(x, opts, true).gradient;
  }

  /** Loss and gradient in one fused pass. */
  lossAndGradient(x: ArrayLike<number>, opts: LossOptions = {}): { loss: number; gradient: Float64Array } {
    return this.evaluate(x, opts, true);
  }

  /** Exact Hessian of the mean loss at x: a symmetric P × P matrix (second-order back-propagation). */
  hessian(x: ArrayLike<number>, opts: LossOptions = {}): Matrix {
    const xv = this.params(x);
    const o = this.options(opts);
    const n = this.nsamples;
    const r = this.withWeights(o.weights, () => this.ws.hessian(xv));
    const H = r.hessian;
    for (let i = 0; i < H.length; i++) H[i] /= n;
    const out = { loss: r.loss / n, hessian: H };
    addRegularizers(this.plans, xv, o.maxnorm, o.merge, out);
    checkResult(out.loss, H, "Hessian");
    return matrix(this.nparams, this.nparams, H);
  }

  /**
   * Exact Hessian-vector product H(x)·v of the mean loss (plus the regularisers of `opts`), without
   * forming H: one forward/backward pass and its directional derivative along v (R-operator), about
   * twice the cost of a gradient, memory O(P). Equal to `hessian(x)`·v up to rounding.
   */
  hvp(x: ArrayLike<number>, v: ArrayLike<number>, opts: LossOptions = {}): Float64Array {
    const xv = this.params(x);
    const vv = toVector(v, "direction v", this.nparams);
    const o = this.options(opts);
    const n = this.nsamples;
    const r = this.withWeights(o.weights, () => this.ws.hvp(xv, vv));
    const hv = r.hv;
    for (let i = 0; i < hv.length; i++) hv[i] /= n;
    addRegularizersHvp(this.plans, xv, vv, o.maxnorm, o.merge, hv);
    checkResult(r.loss, hv, "Hessian-vector product");
    return hv;
  }

  /** The `{ w1, w2, … }` matrices of x (k_l rows × (n_in + bias) columns, bias last). */
  paramsToDict(x: ArrayLike<number>): ParamsDict {
    return paramsToDict(this.plans, this.params(x));
  }

  /** The parameter vector of a `{ w1, w2, … }` dictionary. */
  paramsFromDict(dict: Record<string, MatrixLike>): Float64Array {
    this.checkAlive();
    return paramsFromDict(this.plans, dict);
  }

  /**
   * @internal Loads samples [start, start + nsamples) of `source` (same layers, more samples) as this
   * network's data, with their own sample weights (or `weights` of the source's length): minibatches.
   */
  loadBlock(source: Net, start: number, weights?: Float64Array | null): void {
    this.checkAlive();
    const src = source.data;
    const n = this.nsamples;
    if (!src || start < 0 || start + n > src.n || source.din !== this.din || source.dout !== this.dout) {
      throw new MLPGFError(
        "SHAPE",
        `loadBlock: samples ${start}..${start + n - 1} are not in a compatible network of ${src?.n ?? 0} samples`,
      );
    }
    const w = weights ?? src.weights;
    const block: Data = {
      n,
      input: src.input.subarray(start * this.din, (start + n) * this.din),
      target: src.target.subarray(start * this.dout, (start + n) * this.dout),
      weights: w ? w.subarray(start, start + n) : null,
    };
    this.ws.replaceData(block);
    this.weights = block.weights ? block.weights.slice() : null;
  }

  /** @internal The attached data (row-major input N × D and target N × Dout, weights), or null: to rebuild the network elsewhere. */
  get dataset(): Data | null {
    return this.data ? { ...this.data, weights: this.weights } : null;
  }

  /** @internal The sample weights of the attached data (null = all ones). */
  get sampleWeights(): Float64Array | null {
    return this.weights;
  }

  /**
   * @internal A new network on the same data (inputs, targets, sample weights) with other layers.
   * It owns its own WASM memory: the caller disposes it.
   */
  withLayers(layers: readonly LayerSpec[]): Net {
    this.checkAlive();
    const d = this.data;
    if (!d) return new Net({ layers, din: this.din });
    const input = matrix(d.n, this.din, d.input);
    const target = matrix(d.n, this.dout, d.target);
    return new Net({ layers, input, target, weights: this.weights ?? undefined });
  }

  /**
   * @internal The normal equations of the output layer's weights at x for variable projection (see
   * `Workspace.outputNormalEquations`), with the sample weights `weights` (null: the network's).
   * Needs at least one hidden layer and an identity output (checked by the caller).
   */
  outputNormalEquations(x: Float64Array, weights: Float64Array | null): { m: number; G: Float64Array; C: Float64Array } {
    this.requireData();
    return this.withWeights(weights, () => this.ws.outputNormalEquations(this.params(x)));
  }

  /** Frees the WASM memory of this network; using it afterwards throws `DISPOSED`. */
  dispose(): void {
    forgetOwner(this);
    this.ws.release();
  }

  /** {@link Net.dispose}, for `using net = new Net(...)`. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** True after {@link Net.dispose}. */
  get disposed(): boolean {
    return this.ws.isReleased;
  }

  private evaluate(x: ArrayLike<number>, opts: LossOptions, grad: true): { loss: number; gradient: Float64Array };
  private evaluate(x: ArrayLike<number>, opts: LossOptions, grad: false): { loss: number; gradient: null };
  private evaluate(x: ArrayLike<number>, opts: LossOptions, grad: boolean): { loss: number; gradient: Float64Array | null } {
    const xv = this.params(x);
    const o = this.options(opts);
    const n = this.nsamples;
    const r = this.withWeights(o.weights, () => this.ws.lossGrad(xv, grad));
    const g = r.gradient;
    if (g) for (let i = 0; i < g.length; i++) g[i] /= n;
    const out = { loss: r.loss / n, gradient: g };
    addRegularizers(this.plans, xv, o.maxnorm, o.merge, out);
    checkResult(out.loss, g, "gradient");
    return out;
  }

  private options(given: LossOptions): { maxnorm: number; merge: MergeOption | null; weights: Float64Array | null } {
    this.requireData();
    const opts = parseOptions(LossOptionsSchema, given, "loss options");
    const lt = opts.losstype;
    if (lt === "mse" && this.softmax)
      throw optionError("loss options", "losstype", '"mse" with a softmax output is not supported: use "nll" (the default for softmax)');
    if (lt === "nll" && !this.softmax) throw optionError("loss options", "losstype", '"nll" needs a softmax output layer');
    if (opts.weights !== undefined && opts.weights.length !== this.nsamples)
      throw optionError("loss options", "weights", `expected ${this.nsamples} sample weights, got ${opts.weights.length}`);
    return {
      maxnorm: checkMaxnorm(opts.maxnorm),
      merge: checkMerge(opts.merge, this.plans),
      weights: opts.weights === undefined ? null : checkWeights(opts.weights, this.nsamples, "weights option"),
    };
  }

  private withWeights<T>(weights: Float64Array | null, f: () => T): T {
    if (!weights) return f();
    this.ws.setWeights(weights);
    try {
      return f();
    } finally {
      this.ws.setWeights(this.weights);
    }
  }

  private params(x: ArrayLike<number>): Float64Array {
    this.checkAlive();
    return toVector(x, "parameters x", this.nparams);
  }

  /** Throws `DISPOSED` after {@link Net.dispose}. */
  private checkAlive(): void {
    if (this.ws.isReleased) throw disposedError("this network");
  }

  private requireData(): void {
    if (this.nsamples === 0) throw new MLPGFError("SHAPE", "this network has no data: construct it with input and target");
  }
}

function checkDin(din: unknown): number {
  if (typeof din !== "number" || !Number.isInteger(din) || din < 1) {
    throw new MLPGFError(
      "SHAPE",
      `new Net: give input and target, or din (a positive integer) for a network without data; got din = ${show(din)}`,
    );
  }
  return din;
}

function checkWeights(w: ArrayLike<number>, n: number, name: string): Float64Array {
  const v = toVector(w, name, n);
  const neg = v.findIndex((x) => x < 0);
  if (neg >= 0) throw new MLPGFError("VALUE", `${name}: entry ${neg} is ${v[neg]}; sample weights must be ≥ 0`);
  return v;
}

/** Target as an N × K matrix; integer labels (softmax output) become one-hot rows. */
function readTarget(t: unknown, n: number, softmax: boolean, declared?: number): { cols: number; data: Float64Array } {
  const isLabels = (Array.isArray(t) && (t.length === 0 || typeof t[0] === "number")) || (ArrayBuffer.isView(t) && !isMatrix(t));
  if (!isLabels) {
    const m = toMatrix(t, "target", { rows: n });
    // a softmax output's targets are class probabilities (one-hot rows): a regression target is a mistake
    const negative = softmax ? m.data.findIndex((v) => v < 0) : -1;
    if (negative >= 0)
      throw new MLPGFError(
        "VALUE",
        `target: entry at row ${Math.floor(negative / m.cols)} is ${m.data[negative]}; the targets of a softmax output are class probabilities (≥ 0) or labels`,
      );
    return { cols: m.cols, data: m.data };
  }
  if (!softmax)
    throw new MLPGFError("SHAPE", "target: class labels (a flat array) need a softmax output layer; give an N × Dout matrix otherwise");
  const labels = toVector(t, "target labels", n);
  const bad = labels.findIndex((c) => !Number.isInteger(c) || c < 0 || (declared !== undefined && c >= declared));
  if (bad >= 0) {
    const range = declared === undefined ? "integers ≥ 0" : `integers in 0..${declared - 1}`;
    throw new MLPGFError("VALUE", `target labels: entry ${bad} is ${labels[bad]}; labels must be ${range}`);
  }
  // a loop, not Math.max(...labels): spreading 130,000 labels overflows the call stack
  let k = declared ?? 0;
  if (declared === undefined) for (const c of labels) k = Math.max(k, c + 1);
  if (n * k > MAX_ONE_HOT) {
    throw new MLPGFError(
      "MEMORY",
      `target labels: ${n} samples × ${k} classes (largest label ${k - 1}) of one-hot targets exceed the WASM memory (4 GiB)`,
    );
  }
  const data = new Float64Array(n * k);
  labels.forEach((c, i) => (data[i * k + c] = 1));
  return { cols: k, data };
}

/** Most one-hot target values: 4 GiB of WASM memory holds 2²⁹ float64 values. */
const MAX_ONE_HOT = 2 ** 29;

/** No silent NaN in `forward` either: the check of {@link checkResult} on the outputs. */
function checkOutputs(out: Matrix): Matrix {
  const i = out.data.findIndex(Number.isNaN);
  if (i >= 0) {
    throw new MLPGFError(
      "VALUE",
      `forward: the output has NaN entries at these parameters (first in row ${Math.floor(i / out.cols)}): an activation overflowed (parameters too large?)`,
    );
  }
  return out;
}

/** No silent NaN: a NaN result means the parameters overflowed an activation. */
function checkResult(loss: number, values: Float64Array | null, what: string): void {
  if (Number.isNaN(loss))
    throw new MLPGFError("VALUE", "the loss is NaN at these parameters: an activation overflowed (parameters too large?)");
  if (!values) return;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) {
      throw new MLPGFError(
        "VALUE",
        `the ${what} has NaN entries at these parameters (first at index ${i}): an activation overflowed (parameters too large?)`,
      );
    }
  }
}
