// Cholesky factorisation of a shifted symmetric matrix and triangular solves, row-major f64.
//   A + τI = L·Lᵀ,  L[i,j] = (A[i,j] − Σ_{k<j} L[i,k]·L[j,k]) / L[j,j],  L[j,j] = √(A[j,j] + τ − Σ_{k<j} L[j,k]²)
// Only the lower triangle of A is read. Blocked right-looking: per block of NB columns, factor the
// diagonal block, solve the panel below it, then subtract the panel's rank-NB product from the
// trailing lower triangle. Every sum is a dot product of two contiguous row segments (f64x2, two
// accumulators, scalar tail: any n, any 8-byte alignment).
import { tileNT4x2 } from "./gemm";
import { dot, hsum, madd, subFrom, subScaled } from "./simd";

/** Columns per block: the trailing update is a rank-NB product of panel rows (NB·8 bytes = 512 B each). */
const NB: i32 = 64;
/** Rows per trailing-update tile (each tile also spans two columns: 8 accumulators, 6 loads per step). */
const TILE_ROWS: i32 = 4;

/** Byte address of entry (i, j) of a row-major matrix with n columns at m. */
// @ts-ignore: decorator
@inline function el(m: usize, n: i32, i: i32, j: i32): usize {
  return m + ((<usize>i * <usize>n + <usize>j) << 3);
}

/** L[i, 0..i] = A[i, 0..i] for every row (the lower triangle; the upper triangle of L is scratch). */
function copyLower(n: i32, a: usize, l: usize): void {
  if (a == l) return;
  for (let i = 0; i < n; i++) memory.copy(el(l, n, i, 0), el(a, n, i, 0), <usize>(i + 1) << 3);
}

/**
 * Rows k0 ≤ i < k1 of the diagonal block, whose entries already hold A minus the columns before k0:
 * L[i,j] = (L[i,j] − Σ_{k0≤k<j} L[i,k]·L[j,k]) / L[j,j];  L[i,i] = √(L[i,i] + τ − Σ_{k0≤k<i} L[i,k]²).
 * Returns i + 1 for the first pivot that is not in (minPivot, ∞) (NaN included), else 0.
 */
function factorDiagonal(n: i32, l: usize, k0: i32, k1: i32, shift: f64, minPivot: f64): i32 {
  for (let i = k0; i < k1; i++) {
    const ri = el(l, n, i, k0);
    for (let j = k0; j < i; j++) {
      const p = el(l, n, i, j);
      store<f64>(p, (load<f64>(p) - dot(ri, el(l, n, j, k0), j - k0)) / load<f64>(el(l, n, j, j)));
    }
    const pii = el(l, n, i, i);
    const d = load<f64>(pii) + shift - dot(ri, ri, i - k0);
    if (!(d > minPivot && d < Infinity)) return i + 1;
    store<f64>(pii, Math.sqrt(d));
  }
  return 0;
}

/**
 * Panel below the diagonal block, two rows at a time (they share the loads of row j):
 * L[i,j] = (L[i,j] − Σ_{k0≤k<j} L[i,k]·L[j,k]) / L[j,j] for k1 ≤ i < n, k0 ≤ j < k1.
 */
function solvePanel(n: i32, l: usize, k0: i32, k1: i32): void {
  let i = k1;
  for (; i + 2 <= n; i += 2) panelPair(n, l, i, k0, k1);
  if (i < n) panelRow(n, l, i, k0, k1);
}

/** Rows i and i + 1 of the panel. */
function panelPair(n: i32, l: usize, i: i32, k0: i32, k1: i32): void {
  const r0 = el(l, n, i, k0), r1 = el(l, n, i + 1, k0);
  for (let j = k0; j < k1; j++) {
    const rj = el(l, n, j, k0);
    const bytes = <usize>(j - k0) << 3;
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    let o: usize = 0;
    for (; o + 16 <= bytes; o += 16) {
      const x = v128.load(rj + o);
      s0 = madd(s0, v128.load(r0 + o), x);
      s1 = madd(s1, v128.load(r1 + o), x);
    }
    let t0 = hsum(s0), t1 = hsum(s1);
    if (o < bytes) {
      const x = load<f64>(rj + o);
      t0 += load<f64>(r0 + o) * x;
      t1 += load<f64>(r1 + o) * x;
    }
    const inv = 1.0 / load<f64>(el(l, n, j, j));
    const p0 = r0 + (<usize>(j - k0) << 3), p1 = r1 + (<usize>(j - k0) << 3);
    store<f64>(p0, (load<f64>(p0) - t0) * inv);
    store<f64>(p1, (load<f64>(p1) - t1) * inv);
  }
}

/** One row i of the panel. */
function panelRow(n: i32, l: usize, i: i32, k0: i32, k1: i32): void {
  const ri = el(l, n, i, k0);
  for (let j = k0; j < k1; j++) {
    const p = el(l, n, i, j);
    store<f64>(p, (load<f64>(p) - dot(ri, el(l, n, j, k0), j - k0)) / load<f64>(el(l, n, j, j)));
  }
}

/**
 * Trailing lower triangle: L[i,j] −= Σ_{k0≤k<k1} L[i,k]·L[j,k] for k1 ≤ j ≤ i < n, in tiles of
 * TILE_ROWS rows × 2 columns. Tiles that straddle the diagonal also write a few entries above it
 * (scratch, never read).
 */
function updateTrailing(n: i32, l: usize, k0: i32, k1: i32): void {
  const len = k1 - k0;
  const rs = <usize>n << 3;
  let i = k1;
  for (; i + TILE_ROWS <= n; i += TILE_ROWS) {
    const a0 = el(l, n, i, k0);
    const jend = i + TILE_ROWS;
    for (let j = k1; j < jend; j += 2) tileNT4x2(a0, rs, el(l, n, j, k0), rs, len, el(l, n, i, j), rs, 8, -1.0);
  }
  for (; i < n; i++) {
    const ri = el(l, n, i, k0);
    for (let j = k1; j <= i; j++) subFrom(el(l, n, i, j), dot(ri, el(l, n, j, k0), len));
  }
}

/**
 * Factors A + shift·I = L·Lᵀ (A: n × n row-major at `a`, lower triangle read; L written to the lower
 * triangle of `l`, which may equal `a`; the upper triangle of `l` is scratch). Returns 0 on success,
 * else j + 1 for the first pivot j whose square L[j,j]² is not in (minPivot, ∞) — the matrix is not
 * (numerically) positive definite, or holds NaN/∞; `l` is then partly overwritten.
 */
export function cholFactor(n: i32, a: usize, l: usize, shift: f64, minPivot: f64): i32 {
  copyLower(n, a, l);
  for (let k0 = 0; k0 < n; k0 += NB) {
    const k1 = min(k0 + NB, n);
    const info = factorDiagonal(n, l, k0, k1, shift, minPivot);
    if (info != 0) return info;
    solvePanel(n, l, k0, k1);
    updateTrailing(n, l, k0, k1);
  }
  return 0;
}

/** Forward substitution L·x = b:  x_i = (b_i − Σ_{k<i} L[i,k]·x_k) / L[i,i]. `x` may equal `b`. */
export function cholSolveLower(n: i32, l: usize, b: usize, x: usize): void {
  for (let i = 0; i < n; i++) {
    const p = x + (<usize>i << 3);
    store<f64>(p, (load<f64>(b + (<usize>i << 3)) - dot(el(l, n, i, 0), x, i)) / load<f64>(el(l, n, i, i)));
  }
}

/** Back substitution Lᵀ·x = b by row sweeps:  x_i = y_i / L[i,i];  y[0..i) −= x_i·L[i, 0..i). `x` may equal `b`. */
export function cholSolveUpper(n: i32, l: usize, b: usize, x: usize): void {
  if (x != b) memory.copy(x, b, <usize>n << 3);
  for (let i = n - 1; i >= 0; i--) {
    const p = x + (<usize>i << 3);
    const xi = load<f64>(p) / load<f64>(el(l, n, i, i));
    store<f64>(p, xi);
    subScaled(x, xi, el(l, n, i, 0), i);
  }
}

/** x = (L·Lᵀ)⁻¹·b: forward then back substitution. `x` may equal `b`. */
export function cholSolve(n: i32, l: usize, b: usize, x: usize): void {
  cholSolveLower(n, l, b, x);
  cholSolveUpper(n, l, x, x);
}

/**
 * w = L⁻¹·e with signs e_i = ±1 chosen greedily so that |w_i| is largest (the LINPACK condition
 * estimate):  w_i = (e_i − s_i) / L[i,i],  s_i = Σ_{k<i} L[i,k]·w_k,  e_i = −sign(s_i).
 * Then z = L⁻ᵀ·w points approximately along the eigenvector of the smallest eigenvalue of L·Lᵀ.
 */
export function cholNullVector(n: i32, l: usize, w: usize): void {
  for (let i = 0; i < n; i++) {
    const s = dot(el(l, n, i, 0), w, i);
    const e = s > 0 ? -1.0 : 1.0;
    store<f64>(w + (<usize>i << 3), (e - s) / load<f64>(el(l, n, i, i)));
  }
}
