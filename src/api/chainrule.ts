/**
 * A scalar "primitive" of the parameters (a norm, a cosine, a single parameter) with its gradient
 * and Hessian restricted to the parameter indices it depends on.
 */
export interface Primitive {
  /** Parameter indices it depends on. */
  idx: number[];
  /** ∂p/∂x over idx. */
  g: Float64Array;
  /** ∂²p/∂x² over idx × idx (row-major), or null when p is linear. */
  H: Float64Array | null;
}

/** The primitive x[i] itself. */
export function parameter(i: number): Primitive {
  return { idx: [i], g: Float64Array.of(1), H: null };
}

/**
 * Accumulates the gradient and Hessian of a sum of terms T(p₁, …, p_m) of primitives by the chain
 * rule:  ∇L += Σ_a ∂T/∂p_a ∇p_a,   ∇²L += Σ_ab ∂²T/∂p_a∂p_b ∇p_a ∇p_bᵀ + Σ_a ∂T/∂p_a ∇²p_a.
 * A `null` primitive is a constant (its derivatives are skipped).
 */
export class ChainRule {
  loss = 0;
  readonly gradient: Float64Array | null;
  readonly hessian: Float64Array | null;

  constructor(
    private readonly P: number,
    derivs: number,
  ) {
    this.gradient = derivs >= 1 ? new Float64Array(P) : null;
    this.hessian = derivs >= 2 ? new Float64Array(P * P) : null;
  }

  /** Adds a term with value v, gradient tg (m) and Hessian tH (m × m, row-major) in the primitives ps. */
  add(v: number, ps: readonly (Primitive | null)[], tg: ArrayLike<number>, tH: ArrayLike<number>): void {
    this.loss += v;
    const G = this.gradient;
    if (!G) return;
    const m = ps.length;
    for (let a = 0; a < m; a++) {
      const p = ps[a];
      if (!p || tg[a] === 0) continue;
      for (let k = 0; k < p.idx.length; k++) G[p.idx[k]] += tg[a] * p.g[k];
    }
    const H = this.hessian;
    if (!H) return;
    const P = this.P;
    for (let a = 0; a < m; a++) {
      const pa = ps[a];
      if (!pa) continue;
      for (let b = 0; b < m; b++) {
        const pb = ps[b];
        const h = tH[a * m + b];
        if (!pb || h === 0) continue;
        for (let k = 0; k < pa.idx.length; k++) {
          const row = pa.idx[k] * P;
          const s = h * pa.g[k];
          for (let l = 0; l < pb.idx.length; l++) H[row + pb.idx[l]] += s * pb.g[l];
        }
      }
      if (pa.H && tg[a] !== 0) {
        const n = pa.idx.length;
        for (let k = 0; k < n; k++) {
          const row = pa.idx[k] * P;
          for (let l = 0; l < n; l++) H[row + pa.idx[l]] += tg[a] * pa.H[k * n + l];
        }
      }
    }
  }
}
