import { MLPGFError } from "../errors.js";
import { type Engine, PARALLEL_MIN_SAMPLES } from "./kernels.js";
import { SampleSplit } from "./samplesplit.js";
import {
  GROUP_WORDS,
  H,
  HEADER_WORDS,
  HR_DENSE,
  HR_DIAG,
  type KernelExports,
  L,
  LAYER_WORDS,
  LOSS_MSE,
  LOSS_NLL,
} from "./abi.generated.js";
import { type LayerPlan, parameterOffsets, residualKinds } from "./plan.js";

/** Samples per chunk of the forward/backward pass: the per-layer buffers of a chunk stay in cache. */
export const CHUNK = 256;
/** Doubles of one chunk's input block that fit the L2 cache with room to spare (512 KiB). */
const INPUT_BLOCK_DOUBLES = 65_536;
/** Budget for the Hessian scratch, in bytes: it sets the Hessian chunk size. */
const HESSIAN_SCRATCH_BYTES = 32 * 2 ** 20;

/** Training data in the API layout: rows of samples. */
export interface Data {
  n: number;
  /** n × din, row-major. */
  input: Float64Array;
  /** n × dout, row-major (one-hot rows for class labels); may be all zeros for prediction only. */
  target: Float64Array;
  /** n sample weights, or null for all ones. */
  weights: Float64Array | null;
}

/**
 * All WASM memory of one network: descriptor, data (feature-major, padded to a multiple of 4 samples
 * with zero weights), parameters, gradient, per-chunk layer buffers, and (on first use) the Hessian
 * scratch. A call is one boundary crossing: copy x in, run one kernel, copy the result out.
 */
export class Workspace {
  readonly nparams: number;
  readonly din: number;
  readonly dout: number;
  readonly n: number;
  readonly npad: number;
  private readonly chunk: number;
  /** Largest k_q·k_p over layers p < q (and k_l², for dense residual curvature): one scratch slot. */
  private readonly pairMax: number;
  private readonly kinds: number[];
  private readonly blocks: number[] = [];
  private desc = 0;
  private dataPtr = 0;
  private xPtr = 0;
  private gPtr = 0;
  private hPtr = 0;
  /** v and H·v of {@link Workspace.hvp}, followed by the R-pass layer buffers (allocated on first use). */
  private rPtr = 0;
  /** Scratch and results of {@link Workspace.outputNormalEquations} (allocated on first use). */
  private lsPtr = 0;
  private released = false;
  /** The evaluation split over threads (created on first use when the engine has threads). */
  private split: SampleSplit | null = null;
  /** What changed since the split last saw the data: the samples, or only their weights. */
  private splitStale: "data" | "weights" | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly layers: readonly LayerPlan[],
    din: number,
    data: Data | null,
    /** False for a slice of a split evaluation: it must not split again. Default true. */
    private readonly splittable = true,
  ) {
    this.din = din;
    this.dout = layers[layers.length - 1].k;
    this.nparams = parameterOffsets(layers).nparams;
    this.n = data?.n ?? 0;
    this.npad = roundUp4(this.n);
    this.chunk = Math.max(4, Math.min(chunkFor(din), this.npad || CHUNK));
    this.kinds = residualKinds(layers);
    this.pairMax = pairMax(layers, this.kinds);
    const chunkDoubles = layers.reduce((s, l) => s + (6 * l.k + 1) * this.chunk, 0);
    const dataDoubles = (din + 1 + this.dout + 1) * this.npad;
    engine.allocator.check(8 * (chunkDoubles + dataDoubles + 2 * this.nparams), "the network");
    try {
      this.desc = this.alloc(4 * (HEADER_WORDS + LAYER_WORDS * layers.length), "the network descriptor");
      this.writeDescriptor();
      this.xPtr = this.alloc(8 * 2 * this.nparams, "parameters and gradient");
      this.gPtr = this.xPtr + 8 * this.nparams;
      this.allocChunkBuffers();
      if (data) {
        this.dataPtr = this.alloc(8 * dataDoubles, "the data");
        this.writeData(this.desc, this.dataPtr, data, this.npad);
      }
    } catch (e) {
      this.release();
      throw e;
    }
  }

  /** Replaces the data by another set of the same size (e.g. the next minibatch). */
  replaceData(data: Data): void {
    this.check();
    if (data.n !== this.n) throw new MLPGFError("SHAPE", `replaceData: ${data.n} samples for a workspace of ${this.n}`);
    this.writeData(this.desc, this.dataPtr, data, this.npad);
    if (this.split) this.splitStale = "data";
  }

  /** Replaces the sample weights (null = all ones). */
  setWeights(weights: Float64Array | null): void {
    this.check();
    if (this.split && this.splitStale !== "data") this.splitStale = "weights";
    const F = this.engine.F64;
    const base = this.engine.I32[(this.desc >>> 2) + H.WTS] >>> 3;
    for (let i = 0; i < this.npad; i++) F[base + i] = i < this.n ? (weights ? weights[i] : 1) : 0;
  }

  /** Σ_n ℓ_n and, with `grad`, its gradient (a copy). */
  lossGrad(x: Float64Array, grad: boolean): { loss: number; gradient: Float64Array | null } {
    this.check();
    const split = this.splitter();
    if (split) return split.lossGrad(x, grad, this.takeUpdate());
    this.engine.f64(this.xPtr, this.nparams).set(x);
    const loss = this.k.lossGrad(this.desc, this.xPtr, this.gPtr, grad);
    return { loss, gradient: grad ? this.engine.f64(this.gPtr, this.nparams).slice() : null };
  }

  /** Σ_n ℓ_n and its Hessian (P × P row-major, a copy). */
  hessian(x: Float64Array): { loss: number; hessian: Float64Array } {
    this.check();
    const split = this.splitter();
    if (split) return split.hessian(x, this.takeUpdate());
    this.ensureHessianScratch();
    this.engine.f64(this.xPtr, this.nparams).set(x);
    const loss = this.k.hessian(this.desc, this.xPtr, this.hPtr);
    return { loss, hessian: this.engine.f64(this.hPtr, this.nparams * this.nparams).slice() };
  }

  /**
   * Σ_n ℓ_n and the exact Hessian-vector product H(x)·v (a copy): one forward/backward pass and its
   * directional derivative (R-operator), O(N·P) time and memory O(P + chunk·Σ k_l), without H.
   */
  hvp(x: Float64Array, v: Float64Array): { loss: number; hv: Float64Array } {
    this.check();
    const split = this.splitter();
    if (split) return split.hvp(x, v, this.takeUpdate());
    this.ensureRBuffers();
    const P = this.nparams;
    this.engine.f64(this.xPtr, P).set(x);
    this.engine.f64(this.rPtr, P).set(v);
    const hv = this.rPtr + 8 * roundUp4(P);
    const loss = this.k.hvp(this.desc, this.xPtr, this.rPtr, hv);
    return { loss, hv: this.engine.f64(hv, P).slice() };
  }

  /**
   * The normal equations of the output layer's weights at x (identity output, squared error): G =
   * Φ̃·W·Φ̃ᵀ (m × m, symmetric) and C = Φ̃·W·(Y − Ŷ)ᵀ (m × dout, row-major), Φ̃ the last hidden layer's
   * activations with a ones row when the output layer has a bias (m = its width + 1). Copies.
   */
  outputNormalEquations(x: Float64Array): { m: number; G: Float64Array; C: Float64Array } {
    this.check();
    const L = this.layers.length;
    if (L < 2) throw new MLPGFError("SHAPE", "outputNormalEquations: the network has no hidden layer");
    const m = this.layers[L - 2].k + (this.layers[L - 1].bias ? 1 : 0);
    if (!this.lsPtr) this.lsPtr = this.alloc(8 * m * (this.chunk + m + this.dout), "the output normal equations");
    const G = this.lsPtr + 8 * m * this.chunk;
    const C = G + 8 * m * m;
    this.engine.f64(this.xPtr, this.nparams).set(x);
    this.k.outputNormalEquations(this.desc, this.xPtr, this.lsPtr, G, C);
    const g = this.engine.f64(G, m * m).slice();
    for (let j = 0; j < m; j++) for (let k = j + 1; k < m; k++) g[j * m + k] = g[k * m + j];
    return { m, G: g, C: this.engine.f64(C, m * this.dout).slice() };
  }

  /** Outputs (n × dout, row-major) for the attached data, or for `data` (targets unused). */
  predict(x: Float64Array, data?: Data): Float64Array {
    this.check();
    this.engine.f64(this.xPtr, this.nparams).set(x);
    if (!data) {
      const out = this.alloc(8 * Math.max(1, this.n * this.dout), "the outputs");
      try {
        this.k.predict(this.desc, this.xPtr, out);
        return this.engine.f64(out, this.n * this.dout).slice();
      } finally {
        this.freeBlock(out);
      }
    }
    const npad = roundUp4(data.n);
    const words = HEADER_WORDS + LAYER_WORDS * this.layers.length;
    const desc = this.alloc(4 * words, "a descriptor");
    const buf = this.alloc(8 * ((this.din + 1 + this.dout + 1) * npad + data.n * this.dout), "the input");
    try {
      const I = this.engine.I32;
      I.copyWithin(desc >>> 2, this.desc >>> 2, (this.desc >>> 2) + words);
      I[(desc >>> 2) + H.NSAMPLES] = data.n;
      I[(desc >>> 2) + H.NPAD] = npad;
      this.writeData(desc, buf, data, npad);
      const out = buf + 8 * (this.din + 1 + this.dout + 1) * npad;
      this.k.predict(desc, this.xPtr, out);
      return this.engine.f64(out, data.n * this.dout).slice();
    } finally {
      this.freeBlock(buf);
      this.freeBlock(desc);
    }
  }

  /** Returns every block to the allocator; the workspace is unusable afterwards. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.split?.release();
    this.split = null;
    for (const p of this.blocks) this.engine.free(p);
    this.blocks.length = 0;
  }

  get isReleased(): boolean {
    return this.released;
  }

  /** {@link Workspace.release}. */
  [Symbol.dispose](): void {
    this.release();
  }

  /**
   * The split of this workspace's evaluations over the engine's threads, or null for one thread: when
   * the engine has a thread pool and there are at least PARALLEL_MIN_SAMPLES samples per thread.
   */
  private splitter(): SampleSplit | null {
    const pool = this.engine.pool;
    if (!pool || !this.splittable || this.n < PARALLEL_MIN_SAMPLES * (pool.size + 1)) return null;
    if (this.split && this.split.pool !== pool) {
      this.split.release(); // the thread count changed
      this.split = null;
    }
    if (!this.split) {
      this.split = new SampleSplit(this.engine, pool, this.layers, this.din, this.readData());
      this.splitStale = null;
    }
    return this.split;
  }

  /** What the split must be sent before its next evaluation (see {@link Workspace.splitStale}). */
  private takeUpdate(): { data?: Data; weights?: Float64Array | null } {
    const stale = this.splitStale;
    this.splitStale = null;
    if (stale === "data") return { data: this.readData() };
    if (stale === "weights") return { weights: this.readWeights() };
    return {};
  }

  /** The attached data as it sits in WASM memory, back in the API layout (rows of samples). */
  private readData(): Data {
    const F = this.engine.F64;
    const I = this.engine.I32;
    const { din, dout, n, npad } = this;
    const X = I[(this.desc >>> 2) + H.X] >>> 3;
    const Y = I[(this.desc >>> 2) + H.Y] >>> 3;
    const input = new Float64Array(n * din);
    const target = new Float64Array(n * dout);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < din; j++) input[i * din + j] = F[X + j * npad + i];
      for (let o = 0; o < dout; o++) target[i * dout + o] = F[Y + o * npad + i];
    }
    return { n, input, target, weights: this.readWeights() };
  }

  /** The sample weights as they sit in WASM memory (a copy). */
  private readWeights(): Float64Array {
    const W = this.engine.I32[(this.desc >>> 2) + H.WTS] >>> 3;
    return this.engine.F64.slice(W, W + this.n);
  }

  private get k(): KernelExports {
    return this.engine.exports;
  }

  private check(): void {
    if (this.released) throw new MLPGFError("DISPOSED", "this network was disposed: create a new one");
  }

  private alloc(bytes: number, what: string): number {
    const p = this.engine.alloc(bytes, what);
    this.blocks.push(p);
    return p;
  }

  private freeBlock(p: number): void {
    const i = this.blocks.indexOf(p);
    if (i >= 0) this.blocks.splice(i, 1);
    this.engine.free(p);
  }

  private setWord(desc: number, w: number, v: number): void {
    this.engine.I32[(desc >>> 2) + w] = v;
  }

  private setLayerWord(l: number, w: number, v: number): void {
    this.setWord(this.desc, HEADER_WORDS + l * LAYER_WORDS + w, v);
  }

  private writeDescriptor(): void {
    const { offsets } = parameterOffsets(this.layers);
    const d = this.desc;
    const last = this.layers[this.layers.length - 1];
    const hdr: [number, number][] = [
      [H.LAYERS, this.layers.length],
      [H.NSAMPLES, this.n],
      [H.NPAD, this.npad],
      [H.CHUNK, this.chunk],
      [H.DIN, this.din],
      [H.DOUT, this.dout],
      [H.NPARAMS, this.nparams],
      [H.LOSS, last.softmax ? LOSS_NLL : LOSS_MSE],
    ];
    for (const [w, v] of hdr) this.setWord(d, w, v);
    this.layers.forEach((l, i) => {
      const coefs = l.groups.reduce((s, g) => s + g.coef.length, 0);
      const gp = this.alloc(4 * GROUP_WORDS * l.groups.length + 8 * coefs + 16, "activation groups");
      let cp = gp + roundUp16(4 * GROUP_WORDS * l.groups.length);
      l.groups.forEach((g, j) => {
        this.engine.f64(cp, g.coef.length).set(g.coef);
        const words = [g.start, g.end, g.kind, g.coef.length ? cp : 0, g.coef.length];
        words.forEach((v, w) => this.setWord(gp, j * GROUP_WORDS + w, v));
        cp += 8 * g.coef.length;
      });
      const rec: [number, number][] = [
        [L.K, l.k],
        [L.NIN, l.nin],
        [L.BIAS, l.bias ? 1 : 0],
        [L.POFF, offsets[i]],
        [L.NGROUPS, l.groups.length],
        [L.GROUPS, gp],
        [L.HRKIND, this.kinds[i]],
        [L.SOFTMAX, l.softmax ? 1 : 0],
      ];
      for (const [w, v] of rec) this.setLayerWord(i, w, v);
    });
  }

  private allocChunkBuffers(): void {
    const B = this.chunk;
    const total = this.layers.reduce((s, l) => s + (6 * l.k + 1) * B, 0);
    let p = this.alloc(8 * total, "layer buffers");
    this.layers.forEach((l, i) => {
      const fields: [number, number][] = [
        [L.Z, l.k],
        [L.A, l.k + 1],
        [L.A1, l.k],
        [L.A2, l.k],
        [L.DELTA, l.k],
        [L.E, l.k],
      ];
      for (const [w, rows] of fields) {
        this.setLayerWord(i, w, p);
        p += 8 * rows * B;
      }
    });
  }

  /** Reserves the Hessian output and scratch; the Hessian chunk keeps the scratch near its budget. */
  private ensureHessianScratch(): void {
    if (this.hPtr) return;
    const P = this.nparams;
    const perSample =
      P * this.dout +
      this.layers.reduce((s, l, i) => s + l.k + (this.kinds[i] === HR_DENSE ? l.k * l.k : this.kinds[i] === HR_DIAG ? l.k : 0), 0) +
      3 * this.pairMax +
      1;
    const hb = Math.max(4, Math.min(this.chunk, Math.floor(HESSIAN_SCRATCH_BYTES / (8 * perSample) / 4) * 4));
    const bytes = 8 * (P * P + perSample * hb);
    this.engine.allocator.check(bytes, `the ${P} × ${P} Hessian`);
    this.hPtr = this.alloc(8 * P * P, `the ${P} × ${P} Hessian`);
    let p = this.alloc(8 * perSample * hb, "Hessian scratch");
    const d = this.desc;
    this.setWord(d, H.HCHUNK, hb);
    this.setWord(d, H.JAC, p);
    p += 8 * P * this.dout * hb;
    this.layers.forEach((l, i) => {
      this.setLayerWord(i, L.GD, p);
      p += 8 * l.k * hb;
      const hr = this.kinds[i] === HR_DENSE ? l.k * l.k : this.kinds[i] === HR_DIAG ? l.k : 0;
      this.setLayerWord(i, L.HR, p);
      p += 8 * hr * hb;
    });
    const kk = this.pairMax * hb;
    this.setWord(d, H.JA, p);
    this.setWord(d, H.JB, p + 8 * kk);
    this.setWord(d, H.TMP, p + 16 * kk);
    this.setWord(d, H.Q, p + 24 * kk);
  }

  /** Reserves v, H·v and the R{z}, R{a}, R{δ} buffers (k × chunk each) of every layer. */
  private ensureRBuffers(): void {
    if (this.rPtr) return;
    const B = this.chunk;
    const P = roundUp4(this.nparams);
    const perLayer = this.layers.map((l) => 3 * l.k * B);
    this.rPtr = this.alloc(8 * (2 * P + perLayer.reduce((s, n) => s + n, 0)), "Hessian-vector product buffers");
    let p = this.rPtr + 16 * P;
    this.layers.forEach((l, i) => {
      for (const w of [L.RZ, L.RA, L.RD]) {
        this.setLayerWord(i, w, p);
        p += 8 * l.k * B;
      }
    });
  }

  /** Writes data feature-major into `buf` ((din+1) × npad inputs with a ones row, dout × npad targets, weights). */
  private writeData(desc: number, buf: number, data: Data, npad: number): void {
    const F = this.engine.F64;
    const { din, dout } = this;
    const X = buf >>> 3;
    const Y = X + (din + 1) * npad;
    const W = Y + dout * npad;
    F.fill(0, X, W + npad);
    for (let n = 0; n < data.n; n++) {
      for (let j = 0; j < din; j++) F[X + j * npad + n] = data.input[n * din + j];
      for (let o = 0; o < dout; o++) F[Y + o * npad + n] = data.target[n * dout + o];
      F[W + n] = data.weights ? data.weights[n] : 1;
    }
    F.fill(1, X + din * npad, X + (din + 1) * npad);
    this.setWord(desc, H.X, buf);
    this.setWord(desc, H.Y, buf + 8 * (din + 1) * npad);
    this.setWord(desc, H.WTS, buf + 8 * (din + 1 + dout) * npad);
  }
}

function pairMax(layers: readonly LayerPlan[], kinds: number[]): number {
  let m = 1;
  layers.forEach((l, q) => {
    if (kinds[q] === HR_DENSE) m = Math.max(m, l.k * l.k);
    for (let p = 0; p < q; p++) m = Math.max(m, l.k * layers[p].k);
  });
  return m;
}

/**
 * Samples per chunk for input dimension din: {@link CHUNK}, fewer for wide inputs so that the chunk's
 * input block ((din + 1) × chunk f64) stays within {@link INPUT_BLOCK_DOUBLES} and is reused from the
 * L2 cache by every row block of the first layer's products (784 inputs: 80 samples; measured at
 * 784-100-10, N = 2000: 69 → 59 ms CPU time per gradient with 64 instead of 256).
 */
function chunkFor(din: number): number {
  return Math.max(32, Math.min(CHUNK, Math.floor(INPUT_BLOCK_DOUBLES / (din + 1) / 4) * 4));
}

function roundUp4(n: number): number {
  return Math.ceil(n / 4) * 4;
}

function roundUp16(n: number): number {
  return Math.ceil(n / 16) * 16;
}
