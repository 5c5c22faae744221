import { MLPGFError } from "../errors.js";
import type { DifferentiableModel } from "../model.js";
import { GaussianIntegrals, type KernelActivation, g2Index } from "../engine/gaussian.js";
import { getEngine } from "../engine/kernels.js";
import { disposedError, forgetOwner, releaseWhenCollected } from "../engine/lifetime.js";
import type { LayerPlan } from "../engine/plan.js";
import { ChainRule, parameter } from "./chainrule.js";
import { type Row, cosine, fixedCosine, normPrimitive, row } from "./geometry.js";
import { type LayerSpec, type NormalizedLayer, resolveLayers } from "./layers.js";
import { type Matrix, describe, matrix, toVector } from "./matrix.js";
import { type LossOptions, LossOptionsSchema } from "../options/loss.js";
import { type NetIOptions, NetIOptionsSchema } from "../options/neti.js";
import { optionError, parseOptions } from "../options/parse.js";
import { type RandomParamsOptions, randomParams } from "./params.js";
import { addRegularizers, checkMaxnorm, checkMerge } from "./regularizers.js";
import type { TeacherNet } from "./teacher.js";
import { matVec } from "../optim/vector.js";

export type { NetIOptions } from "../options/neti.js";

/** One hidden layer with scalar linear output, unpacked from a parameter vector. */
interface Unpacked {
  rows: Row[];
  b: Float64Array;
  a: Float64Array;
  c: number;
}

/**
 * A one-hidden-layer student trained on x ~ N(0, I_D) in the limit of infinite data:
 * L = E[(student(x) − teacher(x))²] (no ½, no 1/N). Same methods as `Net`; values are expectations.
 *
 * The expectation reduces to 1-D and 2-D Gaussian integrals of the activations over the norms
 * rᵢ = |wᵢ|, biases bᵢ and cosines uᵢⱼ between weight rows; gradient and Hessian follow by the chain
 * rule. Closed forms for relu, normal_cdf and sigmoid2 (same-activation pairs), quadrature otherwise
 * (see {@link NetIOptions.quadratureOrder}). A hidden weight row of norm 0 is a singular point of this parametrisation.
 *
 * The constructor copies the teacher's parameters and layers: the `NetI` keeps working after
 * `teacher.dispose()` (and disposing the `NetI` leaves the teacher alive).
 */
export class NetI implements DifferentiableModel {
  /** Number of student parameters. */
  readonly nparams: number;
  /** Input dimension D. */
  readonly din: number;
  /** Output dimension (1). */
  readonly dout = 1;
  /** Normalised student layers. */
  readonly layers: readonly NormalizedLayer[];
  /** @internal engine plan of the student layers. */
  readonly plans: readonly LayerPlan[];
  /** The teacher. */
  readonly teacher: TeacherNet;
  private readonly f: KernelActivation;
  private readonly ft: KernelActivation;
  private readonly t: Unpacked;
  private readonly tSelf: number;
  private readonly tMean: number;
  private readonly integrals: GaussianIntegrals;

  constructor(teacher: TeacherNet, given: NetIOptions) {
    const engine = getEngine();
    if (!teacher || !(teacher.params instanceof Float64Array) || !Array.isArray(teacher.layers)) {
      throw new MLPGFError("VALUE", `new NetI: the first argument must be a TeacherNet, got ${describe(teacher)}`);
    }
    const opts = parseOptions(NetIOptionsSchema, given, "new NetI");
    this.teacher = teacher;
    this.din = teacher.din;
    const tl = resolveLayers(teacher.layers, teacher.din);
    checkShape(tl.plans, "the teacher");
    const sl = resolveLayers(opts.layers, teacher.din);
    checkShape(sl.plans, "the student");
    this.layers = sl.specs;
    this.plans = sl.plans;
    this.f = kernelOf(sl.plans[0]);
    this.ft = kernelOf(tl.plans[0]);
    this.nparams = sl.plans[0].k * (this.din + (sl.plans[0].bias ? 1 : 0)) + sl.plans[0].k + (sl.plans[1].bias ? 1 : 0);
    this.t = unpack(tl.plans, teacher.params, this.din);
    const integrals = new GaussianIntegrals(engine, opts.quadratureOrder);
    try {
      const { self, mean } = teacherMoments(integrals, this.ft, this.t);
      this.tSelf = self;
      this.tMean = mean;
    } catch (e) {
      integrals.release(); // a failed constructor keeps no WASM memory
      throw e;
    }
    this.integrals = integrals;
    releaseWhenCollected(this, integrals);
  }

  /** @internal The Gauss–Hermite order of the quadrature, undefined for the adaptive rule (to rebuild the network elsewhere). */
  get quadratureOrder(): number | undefined {
    this.checkAlive();
    return this.integrals.order;
  }

  /** Glorot weights and zero biases for the student. */
  randomParams(opts: RandomParamsOptions = {}): Float64Array {
    this.checkAlive();
    return randomParams(this.plans, opts);
  }

  /** E[(student − teacher)²] at x (plus the regularisers of `opts`). */
  loss(x: ArrayLike<number>, opts: LossOptions = {}): number {
    return this.evaluate(x, opts, 0).loss;
  }

  /** Gradient of the expected loss. */
  gradient(x: ArrayLike<number>, opts: LossOptions = {}): Float64Array {
    return this.evaluate(x, opts, 1).gradient!;
  }

  /** Loss and gradient together. */
  lossAndGradient(x: ArrayLike<number>, opts: LossOptions = {}): { loss: number; gradient: Float64Array } {
    const r = this.evaluate(x, opts, 1);
    return { loss: r.loss, gradient: r.gradient! };
  }

  /** Exact Hessian of the expected loss (P × P, symmetric). */
  hessian(x: ArrayLike<number>, opts: LossOptions = {}): Matrix {
    const r = this.evaluate(x, opts, 2);
    const H = r.hessian!;
    const P = this.nparams;
    for (let i = 0; i < P; i++) {
      for (let j = 0; j < i; j++) {
        const v = 0.5 * (H[i * P + j] + H[j * P + i]);
        H[i * P + j] = v;
        H[j * P + i] = v;
      }
    }
    return matrix(P, P, H);
  }

  /**
   * H(x)·v of the expected loss. NetI has no directional-derivative pass through its Gaussian
   * integrals: this forms the Hessian (P × P) and multiplies, so it costs a Hessian. Networks on
   * infinite data are small (one hidden layer, P in the hundreds), where that is cheap.
   */
  hvp(x: ArrayLike<number>, v: ArrayLike<number>, opts: LossOptions = {}): Float64Array {
    this.checkAlive();
    const P = this.nparams;
    const vv = toVector(v, "direction v", P);
    const out = new Float64Array(P);
    matVec(out, this.hessian(x, opts).data, vv);
    return out;
  }

  /**
   * @internal A new student with other layers, the same teacher and quadrature order. It owns its
   * own WASM memory (the quadrature rule): the caller disposes it.
   */
  withLayers(layers: readonly LayerSpec[]): NetI {
    this.checkAlive();
    return new NetI(this.teacher, { layers, quadratureOrder: this.quadratureOrder });
  }

  /** Frees the WASM memory of the quadrature rule (the teacher is not disposed); every method throws `DISPOSED` afterwards. */
  dispose(): void {
    forgetOwner(this);
    this.integrals.release();
  }

  /** True after {@link NetI.dispose}. */
  get disposed(): boolean {
    return this.integrals.isReleased;
  }

  /** {@link NetI.dispose}, for `using net = new NetI(...)`. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Throws `DISPOSED` after {@link NetI.dispose}. */
  private checkAlive(): void {
    if (this.integrals.isReleased) throw disposedError("this NetI");
  }

  private evaluate(
    x: ArrayLike<number>,
    given: LossOptions,
    derivs: number,
  ): { loss: number; gradient: Float64Array | null; hessian: Float64Array | null } {
    this.checkAlive();
    const xv = toVector(x, "parameters x", this.nparams);
    const opts = parseOptions(LossOptionsSchema, given, "NetI loss options");
    if (opts.weights !== undefined) throw optionError("NetI loss options", "weights", "does not apply: NetI has no samples");
    if (opts.losstype !== undefined && opts.losstype !== "mse")
      throw optionError("NetI loss options", "losstype", 'expected "mse" (the only loss of NetI), got "nll"');
    const maxnorm = checkMaxnorm(opts.maxnorm);
    const merge = checkMerge(opts.merge, this.plans);
    const s = unpack(this.plans, xv, this.din);
    const k = s.a.length;
    const P = this.nparams;
    const acc = new ChainRule(P, derivs);
    const hidden = this.plans[0];
    const off2 = k * (this.din + (hidden.bias ? 1 : 0));
    const A = Array.from({ length: k }, (_, i) => parameter(off2 + i));
    const Bp = Array.from({ length: k }, (_, i) => (hidden.bias ? parameter(this.din * k + i) : null));
    const C = this.plans[1].bias ? parameter(off2 + k) : null;
    const R = s.rows.map((w) => (derivs > 0 ? normPrimitive(w, derivs > 1) : null));
    const delta = s.c - this.t.c;
    const f = this.f;
    // Σᵢ aᵢ²·G1ᵢ + 2Δ·aᵢ·Mᵢ   in (aᵢ, rᵢ, bᵢ, c)
    for (let i = 0; i < k; i++) {
      const a = s.a[i];
      const G = this.integrals.g1(f, s.rows[i].r, s.b[i], derivs);
      const M = this.integrals.m(f, s.rows[i].r, s.b[i], derivs);
      const tg = [2 * a * G[0] + 2 * delta * M[0], a * a * G[1] + 2 * delta * a * M[1], a * a * G[2] + 2 * delta * a * M[2], 2 * a * M[0]];
      const ar = 2 * a * G[1] + 2 * delta * M[1];
      const ab = 2 * a * G[2] + 2 * delta * M[2];
      const rr = a * a * G[3] + 2 * delta * a * M[3];
      const rb = a * a * G[4] + 2 * delta * a * M[4];
      const bb = a * a * G[5] + 2 * delta * a * M[5];
      const tH = [2 * G[0], ar, ab, 2 * M[0], ar, rr, rb, 2 * a * M[1], ab, rb, bb, 2 * a * M[2], 2 * M[0], 2 * a * M[1], 2 * a * M[2], 0];
      acc.add(a * a * G[0] + 2 * delta * a * M[0], [A[i], R[i], Bp[i], C], tg, tH);
    }
    // 2·Σ_{i<j} aᵢaⱼ·G2(i, j, uᵢⱼ)   in (aᵢ, aⱼ, rᵢ, bᵢ, rⱼ, bⱼ, uᵢⱼ)
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        const cu = cosine(s.rows[i], s.rows[j], derivs > 1);
        const G = this.integrals.g2(f, f, s.rows[i].r, s.b[i], s.rows[j].r, s.b[j], cu.u, derivs);
        const c2 = 2 * s.a[i] * s.a[j];
        const { tg, tH } = pairTerm(G, c2, [2 * s.a[j], 2 * s.a[i]], 2);
        acc.add(c2 * G[0], [A[i], A[j], R[i], Bp[i], R[j], Bp[j], derivs > 0 ? cu.p : null], tg, tH);
      }
    }
    // −2·Σᵢⱼ aᵢa*ⱼ·G2(i, j*, vᵢⱼ)   in (aᵢ, rᵢ, bᵢ, vᵢⱼ)
    const T = this.t;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < T.a.length; j++) {
        const cv = fixedCosine(s.rows[i], T.rows[j].unit, derivs > 1);
        const G = this.integrals.g2(f, this.ft, s.rows[i].r, s.b[i], T.rows[j].r, T.b[j], cv.v, derivs);
        const c2 = -2 * s.a[i] * T.a[j];
        const vars = [0, 1, 4]; // r₁, b₁, u of the G2 layout
        const tg = [-2 * T.a[j] * G[0], ...vars.map((p) => c2 * G[1 + p])];
        const tH = new Float64Array(16);
        vars.forEach((p, a) => {
          tH[(1 + a) * 4] = tH[1 + a] = -2 * T.a[j] * G[1 + p];
          vars.forEach((q, b) => (tH[(1 + a) * 4 + 1 + b] = c2 * G[g2Index(p, q)]));
        });
        acc.add(c2 * G[0], [A[i], R[i], Bp[i], derivs > 0 ? cv.p : null], tg, tH);
      }
    }
    // Δ² − 2Δ·C* + E t²   in c
    acc.add(delta * delta - 2 * delta * this.tMean + this.tSelf, [C], [2 * delta - 2 * this.tMean], [2]);
    const out = { loss: acc.loss, gradient: acc.gradient, hessian: acc.hessian };
    addRegularizers(this.plans, xv, maxnorm, merge, out);
    if (Number.isNaN(out.loss) || out.gradient?.some(Number.isNaN) || out.hessian?.some(Number.isNaN)) {
      throw new MLPGFError(
        "VALUE",
        "NetI: NaN at these parameters (a hidden weight row of norm 0 is a singular point of the parametrisation)",
      );
    }
    return out;
  }
}

/**
 * Term c₂·G2 in (a₁, a₂, r₁, b₁, r₂, b₂, u) where ∂/∂aₖ of the term is da[k]·G2 and ∂²/∂a₁∂a₂ = daa·G2.
 */
function pairTerm(G: Float64Array, c2: number, da: [number, number], daa: number): { tg: number[]; tH: Float64Array } {
  const m = 7;
  const tg = [da[0] * G[0], da[1] * G[0], ...[0, 1, 2, 3, 4].map((p) => c2 * G[1 + p])];
  const tH = new Float64Array(m * m);
  tH[1] = tH[m] = daa * G[0];
  for (let p = 0; p < 5; p++) {
    for (let a = 0; a < 2; a++) tH[a * m + 2 + p] = tH[(2 + p) * m + a] = da[a] * G[1 + p];
    for (let q = 0; q < 5; q++) tH[(2 + p) * m + 2 + q] = c2 * G[g2Index(p, q)];
  }
  return { tg, tH };
}

function checkShape(plans: readonly LayerPlan[], who: string): void {
  const ok = plans.length === 2 && plans[1].k === 1 && plans[1].groups.length === 1 && plans[1].groups[0].kind === 0 && !plans[1].softmax;
  if (!ok)
    throw new MLPGFError(
      "SHAPE",
      `NetI: ${who} must have one hidden layer and one linear output: [[k, activation, bias], [1, "identity", bias]]`,
    );
  const h = plans[0];
  if (h.softmax) throw new MLPGFError("ACTIVATION", `NetI: ${who}'s hidden layer cannot be softmax`);
  if (h.groups.length !== 1)
    throw new MLPGFError("ACTIVATION", `NetI: ${who}'s hidden layer must have one activation (per-neuron activations are not supported)`);
}

function kernelOf(p: LayerPlan): KernelActivation {
  return { kind: p.groups[0].kind, coef: p.groups[0].coef };
}

/** Rows wᵢ, biases bᵢ, output weights aᵢ and output bias c of a parameter vector (Julia layout). */
function unpack(plans: readonly LayerPlan[], x: Float64Array, D: number): Unpacked {
  const k = plans[0].k;
  const rows = Array.from({ length: k }, (_, i) => {
    const idx = Array.from({ length: D }, (_, d) => d * k + i);
    return row(
      Float64Array.from(idx, (p) => x[p]),
      idx,
    );
  });
  const b = new Float64Array(k);
  if (plans[0].bias) for (let i = 0; i < k; i++) b[i] = x[D * k + i];
  const off2 = k * (D + (plans[0].bias ? 1 : 0));
  const a = x.slice(off2, off2 + k);
  const c = plans[1].bias ? x[off2 + k] : 0;
  return { rows, b, a, c };
}

/**
 * The teacher's self energy Σᵢⱼ aᵢaⱼ E[f(hᵢ)f(hⱼ)] and mean Σᵢ aᵢ E f(hᵢ) (computed for every teacher:
 * the original skipped the mean without hidden biases).
 */
function teacherMoments(integrals: GaussianIntegrals, ft: KernelActivation, T: Unpacked): { self: number; mean: number } {
  let self = 0;
  let mean = 0;
  for (let i = 0; i < T.a.length; i++) {
    self += T.a[i] * T.a[i] * integrals.g1(ft, T.rows[i].r, T.b[i], 0)[0];
    mean += T.a[i] * integrals.m(ft, T.rows[i].r, T.b[i], 0)[0];
    for (let j = i + 1; j < T.a.length; j++) {
      const u = cosine(T.rows[i], T.rows[j], false).u;
      self += 2 * T.a[i] * T.a[j] * integrals.g2(ft, ft, T.rows[i].r, T.b[i], T.rows[j].r, T.b[j], u, 0)[0];
    }
  }
  return { self, mean };
}
