import type { KernelExports } from "./abi.generated.js";
import type { Engine } from "./kernels.js";

/** Default Gauss–Hermite order of `gaussHermiteNet` (as MLPGradientFlow.jl's NormalIntegral) and 1-D prune threshold. */
export const GH_ORDER = 600;
export const GH_THRESHOLD = 1e-18;
/** Smallest and largest order of a fixed Gauss–Hermite rule for {@link GaussianIntegrals}. */
export const GH_ORDER_MIN = 2;
export const GH_ORDER_MAX = 4000;

/** An activation as the integral kernels take it: kernel id and polynomial coefficients. */
export interface KernelActivation {
  kind: number;
  coef: readonly number[];
}

/**
 * Gaussian integrals of activations in WASM: M = E f(rξ+b), G1 = E f(rξ+b)², G2 = E f₁(h₁)f₂(h₂)
 * with their gradients and Hessians (layouts of `assembly/normalintegrals.ts`): closed forms for
 * relu, normal_cdf and sigmoid2, quadrature otherwise. Without `order`, each integral gets its own
 * rule chosen from the weights and activations (`assembly/quadrule.ts`: trapezoidal in the pair's
 * whitened coordinates, Mehler's series for small |u|; ≈ 1e−13 relative); with `order`, the pruned
 * Gauss–Hermite rule of that order (2-D: node pairs with wᵢwⱼ ≥ min(w)·max(w), as the original's
 * NormalIntegral), whose derivatives are those of its discrete sums.
 */
export class GaussianIntegrals {
  private readonly block: number;
  private readonly rule: number;
  private readonly out: number;
  private readonly scratch: number;
  private readonly coefs = new Map<string, number>();
  private released = false;

  constructor(
    private readonly engine: Engine,
    readonly order: number | undefined = undefined,
    threshold = GH_THRESHOLD,
  ) {
    if (order === undefined) {
      this.block = engine.alloc(8 * (21 + this.k.adaptiveScratch()), "adaptive quadrature scratch");
      this.rule = 0;
      this.out = this.block;
      this.scratch = this.out + 8 * 21;
      return;
    }
    const N = order;
    this.block = engine.alloc(8 * (2 + 2 * N + 21 + 8 * N + 64), "Gauss–Hermite rule");
    this.rule = this.block;
    this.out = this.rule + 8 * (2 + 2 * N);
    this.scratch = this.out + 8 * 21;
    try {
      const n = this.k.gaussRule(N, threshold, 0, this.rule);
      const w = engine.f64(this.rule + 8 * (2 + n), n);
      let lo = Infinity;
      let hi = 0;
      for (const v of w) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      engine.F64[(this.rule >>> 3) + 1] = lo * hi;
    } catch (e) {
      this.release();
      throw e;
    }
  }

  /** M and its (r, b) derivatives: [v, ∂r, ∂b, ∂r∂r, ∂r∂b, ∂b∂b] (first 1/3/6 for derivs 0/1/2). */
  m(f: KernelActivation, r: number, b: number, derivs: number): Float64Array {
    this.k.normalM(f.kind, this.coefPtr(f), f.coef.length, r, b, this.rule, derivs, this.out, this.scratch);
    return this.engine.f64(this.out, 6).slice();
  }

  /** G1 and its (r, b) derivatives, same layout as {@link GaussianIntegrals.m}. */
  g1(f: KernelActivation, r: number, b: number, derivs: number): Float64Array {
    this.k.normalG1(f.kind, this.coefPtr(f), f.coef.length, r, b, this.rule, derivs, this.out, this.scratch);
    return this.engine.f64(this.out, 6).slice();
  }

  /** G2 with gradient and upper-triangular Hessian in (r₁, b₁, r₂, b₂, u): 21 values. */
  g2(f1: KernelActivation, f2: KernelActivation, r1: number, b1: number, r2: number, b2: number, u: number, derivs: number): Float64Array {
    this.k.normalG2(
      f1.kind,
      this.coefPtr(f1),
      f1.coef.length,
      f2.kind,
      this.coefPtr(f2),
      f2.coef.length,
      r1,
      b1,
      r2,
      b2,
      u,
      this.rule,
      derivs,
      this.out,
      this.scratch,
    );
    return this.engine.f64(this.out, 21).slice();
  }

  /** Frees the WASM memory (a second call does nothing). */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.engine.free(this.block);
    for (const p of this.coefs.values()) this.engine.free(p);
    this.coefs.clear();
  }

  /** True after {@link GaussianIntegrals.release}. */
  get isReleased(): boolean {
    return this.released;
  }

  /** {@link GaussianIntegrals.release}. */
  [Symbol.dispose](): void {
    this.release();
  }

  private get k(): KernelExports {
    return this.engine.exports;
  }

  private coefPtr(f: KernelActivation): number {
    if (f.coef.length === 0) return 0;
    const key = f.coef.join(",");
    let p = this.coefs.get(key);
    if (p === undefined) {
      p = this.engine.alloc(8 * f.coef.length, "polynomial coefficients");
      this.engine.f64(p, f.coef.length).set(f.coef);
      this.coefs.set(key, p);
    }
    return p;
  }
}

/** Index of the Hessian entry (p, q) of the 5 variables (r₁, b₁, r₂, b₂, u) in the 21-entry layout. */
export function g2Index(p: number, q: number): number {
  const a = Math.min(p, q);
  const b = Math.max(p, q);
  return 6 + a * 5 - (a * (a - 1)) / 2 + (b - a);
}

/** Nodes and weights (Σw = 1) of the `order`-point Gauss–Hermite rule for N(0, 1), pruned to w ≥ threshold. */
export function gaussHermiteRule(engine: Engine, order = GH_ORDER, threshold = GH_THRESHOLD): { x: Float64Array; w: Float64Array } {
  const p = engine.alloc(16 * order, "Gauss–Hermite nodes");
  try {
    const n = engine.exports.gaussHermite(order, threshold, p, p + 8 * order);
    return { x: engine.f64(p, n).slice(), w: engine.f64(p + 8 * order, n).slice() };
  } finally {
    engine.free(p);
  }
}
