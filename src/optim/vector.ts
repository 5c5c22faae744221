// Small dense-vector helpers of the optimizers (plain loops over Float64Array, no allocation).

/** Σ a[i]·b[i]. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** ‖a‖₂. */
export function norm2(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

/**
 * a/‖a‖₂ without overflow or underflow: a is scaled by 1/max|aᵢ| first (‖a‖₂ of [1e308, 1e308]
 * overflows, of [1e-200, 0] underflows). Null for the zero vector. a must be finite.
 */
export function unitVector(a: Float64Array): Float64Array | null {
  const m = normInf(a);
  if (m === 0) return null;
  const u = a.map((v) => v / m);
  const n = norm2(u);
  for (let i = 0; i < u.length; i++) u[i] /= n;
  return u;
}

/** ‖a‖∞ (NaN if a holds NaN). */
export function normInf(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (!(v <= m)) m = v;
  }
  return m;
}

/** True when every entry is finite. */
export function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** out = x + α·d. */
export function addScaled(out: Float64Array, x: Float64Array, alpha: number, d: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = x[i] + alpha * d[i];
}

/** out = a − b. */
export function sub(out: Float64Array, a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] - b[i];
}

/** out = H·v for an n × n row-major H. */
export function matVec(out: Float64Array, H: Float64Array, v: Float64Array): void {
  const n = v.length;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const r = i * n;
    for (let j = 0; j < n; j++) s += H[r + j] * v[j];
    out[i] = s;
  }
}

/** True when a and b hold the same values. */
export function sameValues(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
