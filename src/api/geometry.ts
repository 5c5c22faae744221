import type { Primitive } from "./chainrule.js";

/** A weight row: its norm r, unit direction ŵ and the parameter indices of its entries. */
export interface Row {
  r: number;
  unit: Float64Array;
  idx: number[];
}

/** The row w (entries at parameter indices idx) as norm and direction. */
export function row(w: Float64Array, idx: number[]): Row {
  let s = 0;
  for (const v of w) s += v * v;
  const r = Math.sqrt(s);
  return { r, unit: w.map((v) => v / r), idx };
}

/** r = |w|:  ∇r = ŵ,  ∇²r = (I − ŵŵᵀ)/r (only with `hessian`). */
export function normPrimitive(w: Row, hessian = true): Primitive {
  if (!hessian) return { idx: w.idx, g: w.unit.slice(), H: null };
  const D = w.unit.length;
  const H = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) H[i * D + j] = ((i === j ? 1 : 0) - w.unit[i] * w.unit[j]) / w.r;
  return { idx: w.idx, g: w.unit.slice(), H };
}

/**
 * v = ŵ·t for a fixed unit vector t:  ∇v = (t − vŵ)/r,  ∇²v = −(ŵgᵀ + gŵᵀ)/r − v(I − ŵŵᵀ)/r².
 * Returns v (clamped to [−1, 1]) and the primitive.
 */
export function fixedCosine(w: Row, t: Float64Array, hessian = true): { v: number; p: Primitive } {
  const D = t.length;
  const v = clampCos(dot(w.unit, t));
  const g = new Float64Array(D);
  for (let i = 0; i < D; i++) g[i] = (t[i] - v * w.unit[i]) / w.r;
  return { v, p: { idx: w.idx, g, H: hessian ? selfBlock(w, g, v) : null } };
}

/**
 * u = ŵᵢ·ŵⱼ of two parameter rows: the gradient over both rows and the Hessian with the cross block
 * ∂²u/∂wᵢ∂wⱼ = (I − ŵᵢŵᵢᵀ − ŵⱼŵⱼᵀ + u ŵᵢŵⱼᵀ)/(rᵢrⱼ).
 */
export function cosine(wi: Row, wj: Row, hessian = true): { u: number; p: Primitive } {
  const D = wi.unit.length;
  const u = clampCos(dot(wi.unit, wj.unit));
  const gi = new Float64Array(D);
  const gj = new Float64Array(D);
  for (let k = 0; k < D; k++) {
    gi[k] = (wj.unit[k] - u * wi.unit[k]) / wi.r;
    gj[k] = (wi.unit[k] - u * wj.unit[k]) / wj.r;
  }
  const n = 2 * D;
  const g = new Float64Array(n);
  g.set(gi);
  g.set(gj, D);
  const idx = [...wi.idx, ...wj.idx];
  if (!hessian) return { u, p: { idx, g, H: null } };
  const H = new Float64Array(n * n);
  const hi = selfBlock(wi, gi, u);
  const hj = selfBlock(wj, gj, u);
  const c = 1 / (wi.r * wj.r);
  for (let a = 0; a < D; a++) {
    for (let b = 0; b < D; b++) {
      H[a * n + b] = hi[a * D + b];
      H[(D + a) * n + D + b] = hj[a * D + b];
      const x = c * ((a === b ? 1 : 0) - wi.unit[a] * wi.unit[b] - wj.unit[a] * wj.unit[b] + u * wi.unit[a] * wj.unit[b]);
      H[a * n + D + b] = x;
      H[(D + b) * n + a] = x;
    }
  }
  return { u, p: { idx, g, H } };
}

/** −(ŵgᵀ + gŵᵀ)/r − v(I − ŵŵᵀ)/r²: the Hessian of ŵ·t in w for fixed t, with g its gradient. */
function selfBlock(w: Row, g: Float64Array, v: number): Float64Array {
  const D = g.length;
  const H = new Float64Array(D * D);
  const r = w.r;
  for (let a = 0; a < D; a++) {
    for (let b = 0; b < D; b++) {
      H[a * D + b] = -(w.unit[a] * g[b] + g[a] * w.unit[b]) / r - (v * ((a === b ? 1 : 0) - w.unit[a] * w.unit[b])) / (r * r);
    }
  }
  return H;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function clampCos(u: number): number {
  return Math.max(-1, Math.min(1, u));
}
