import { type LayerPlan, parameterOffsets } from "../engine/plan.js";
import { show } from "../util/show.js";
import { toVector } from "./matrix.js";
import type { MergeOption } from "../options/loss.js";
import { optionError } from "../options/parse.js";

export type { MergeOption } from "../options/loss.js";

/**
 * weightnorm(x) = Σ xᵢ² / (2P): half the mean squared parameter.
 * @throws MLPGFError `SHAPE`/`VALUE` unless x is an array or typed array of finite numbers.
 */
export function weightnorm(x: ArrayLike<number>): number {
  return weightnormOf(toVector(x, "weightnorm: x"));
}

/** {@link weightnorm} of a vector known to be finite (no checks, no copy). */
export function weightnormOf(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return x.length ? s / (2 * x.length) : 0;
}

/** Checks a maxnorm constant: a number ≥ 0 or Infinity (off). */
export function checkMaxnorm(c: unknown): number {
  if (c === undefined) return Infinity;
  if (typeof c !== "number" || Number.isNaN(c) || c < 0)
    throw optionError("loss options", "maxnorm", `expected a number ≥ 0 (Infinity = off), got ${show(c)}`);
  return c;
}

/** Checks a merge option against the layers. */
export function checkMerge(m: unknown, plans: readonly LayerPlan[]): MergeOption | null {
  if (m === undefined || m === null) return null;
  const o = m as MergeOption;
  const ok = typeof o === "object" && Number.isInteger(o.layer) && o.layer >= 0 && o.layer < plans.length;
  if (!ok) throw optionError("loss options", "merge.layer", `expected a layer index in 0..${plans.length - 1}, got ${show(o?.layer)}`);
  const k = plans[o.layer].k;
  const [i, j] = Array.isArray(o.pair) ? o.pair : [NaN, NaN];
  if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j < 0 || i >= k || j >= k || i === j) {
    throw optionError("loss options", "merge.pair", `expected two different neuron indices in 0..${k - 1}, got ${show(o.pair)}`);
  }
  if (typeof o.lambda !== "number" || !Number.isFinite(o.lambda))
    throw optionError("loss options", "merge.lambda", `expected a finite number, got ${show(o.lambda)}`);
  return o;
}

/**
 * Adds the regularisers (mean-loss scale) to a loss, gradient and/or Hessian:
 * maxnorm R = (nx − c)³/3 for nx = weightnorm(x) > c, and the merge penalty.
 */
export function addRegularizers(
  plans: readonly LayerPlan[],
  x: Float64Array,
  maxnorm: number,
  merge: MergeOption | null,
  out: { loss: number; gradient?: Float64Array | null; hessian?: Float64Array | null },
): void {
  const P = x.length;
  const nx = weightnormOf(x);
  if (nx > maxnorm) {
    const e = nx - maxnorm;
    out.loss += (e * e * e) / 3;
    const g = out.gradient;
    if (g) for (let i = 0; i < P; i++) g[i] += (e * e * x[i]) / P; // ∇R = (nx − c)²·x/P
    const H = out.hessian;
    if (H) {
      // ∇²R = 2(nx − c)·x xᵀ/P² + (nx − c)²/P·I
      const a = (2 * e) / (P * P);
      for (let i = 0; i < P; i++) {
        for (let j = 0; j < P; j++) H[i * P + j] += a * x[i] * x[j];
        H[i * P + i] += (e * e) / P;
      }
    }
  }
  if (merge) {
    const l = plans[merge.layer];
    const off = parameterOffsets(plans).offsets[merge.layer];
    const [i, j] = merge.pair;
    const lam = merge.lambda;
    for (let c = 0; c < l.nin + (l.bias ? 1 : 0); c++) {
      const pi = off + c * l.k + i;
      const pj = off + c * l.k + j;
      const diff = x[pi] - x[pj];
      out.loss += (lam / 2) * diff * diff;
      if (out.gradient) {
        out.gradient[pi] += lam * diff;
        out.gradient[pj] -= lam * diff;
      }
      if (out.hessian) {
        out.hessian[pi * P + pi] += lam;
        out.hessian[pj * P + pj] += lam;
        out.hessian[pi * P + pj] -= lam;
        out.hessian[pj * P + pi] -= lam;
      }
    }
  }
}

/**
 * Adds the regularisers' Hessian-vector product (mean-loss scale) to hv, without their Hessian:
 * maxnorm ∇²R·v = 2(nx − c)·x·(xᵀv)/P² + (nx − c)²·v/P for nx > c; merge λ·(v_i − v_j) on i, its negative on j.
 */
export function addRegularizersHvp(
  plans: readonly LayerPlan[],
  x: Float64Array,
  v: Float64Array,
  maxnorm: number,
  merge: MergeOption | null,
  hv: Float64Array,
): void {
  const P = x.length;
  const nx = weightnorm(x);
  if (nx > maxnorm) {
    const e = nx - maxnorm;
    let xv = 0;
    for (let i = 0; i < P; i++) xv += x[i] * v[i];
    const a = (2 * e * xv) / (P * P);
    for (let i = 0; i < P; i++) hv[i] += a * x[i] + ((e * e) / P) * v[i];
  }
  if (merge) {
    const l = plans[merge.layer];
    const off = parameterOffsets(plans).offsets[merge.layer];
    const [i, j] = merge.pair;
    for (let c = 0; c < l.nin + (l.bias ? 1 : 0); c++) {
      const pi = off + c * l.k + i;
      const pj = off + c * l.k + j;
      const d = merge.lambda * (v[pi] - v[pj]);
      hv[pi] += d;
      hv[pj] -= d;
    }
  }
}
