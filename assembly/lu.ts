// Dense LU factorisation with partial pivoting, P·A = L·U, of an n×n row-major f64 matrix in place
// (L unit lower below the diagonal, U on and above it), and the solve of P·A·x = b.
// Right-looking and blocked: a panel of PANEL columns is factored with rank-1 updates, then the
// trailing matrix gets one rank-PANEL update by an f64x2 register-tiled product. Row swaps exchange
// whole contiguous rows, so L, U and the trailing matrix are permuted at once (LAPACK's dgetrf).
import { dot, madd, splat, subScaled } from "./simd";

/** Columns per panel: the trailing update is a rank-PANEL product. */
const PANEL: i32 = 48;
/** Columns of the trailing matrix updated per sweep, so that a block of U stays in cache. */
const COLBLOCK: i32 = 256;

/** Address of element (i, j) of a row-major matrix with n columns. */
// @ts-ignore: decorator
@inline function at(a: usize, n: i32, i: i32, j: i32): usize {
  return a + ((<usize>i * <usize>n + <usize>j) << 3);
}

/** Exchanges rows i and p (n values each). */
function swapRows(a: usize, n: i32, i: i32, p: i32): void {
  const x = at(a, n, i, 0), y = at(a, n, p, 0);
  const bytes = <usize>n << 3;
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) {
    const t = v128.load(x + o);
    v128.store(x + o, v128.load(y + o));
    v128.store(y + o, t);
  }
  if (o < bytes) {
    const t = load<f64>(x + o);
    store<f64>(x + o, load<f64>(y + o));
    store<f64>(y + o, t);
  }
}

/** Row of the largest |A[i, j]| over i ≥ j (the first one on ties). */
function pivotRow(a: usize, n: i32, j: i32): i32 {
  let p = j;
  let best = abs(load<f64>(at(a, n, j, j)));
  for (let i = j + 1; i < n; i++) {
    const v = abs(load<f64>(at(a, n, i, j)));
    if (v > best) {
      best = v;
      p = i;
    }
  }
  return p;
}

/**
 * Factors the panel of columns [k0, k1) over rows k0..n−1 with partial pivoting; swaps whole rows.
 * Returns 0, or 1 + the first column whose pivot is exactly zero (that column is left unscaled).
 */
function factorPanel(a: usize, n: i32, piv: usize, k0: i32, k1: i32): i32 {
  let info = 0;
  for (let j = k0; j < k1; j++) {
    const p = pivotRow(a, n, j);
    store<i32>(piv + (<usize>j << 2), p);
    if (p != j) swapRows(a, n, j, p);
    const d = load<f64>(at(a, n, j, j));
    if (d == 0) {
      if (info == 0) info = j + 1;
      continue;
    }
    // l_ij = A[i,j] / A[j,j];  A[i, j+1:k1] −= l_ij · A[j, j+1:k1]  (i > j)
    const urow = at(a, n, j, j + 1);
    const len = k1 - j - 1;
    for (let i = j + 1; i < n; i++) {
      const pij = at(a, n, i, j);
      const l = load<f64>(pij) / d;
      store<f64>(pij, l);
      if (l != 0 && len > 0) subScaled(pij + 8, l, urow, len);
    }
  }
  return info;
}

/** U12 = L11⁻¹·A12: rows k0..k1−1, columns k1..n−1, L11 unit lower (forward substitution by rows). */
function solvePanelRows(a: usize, n: i32, k0: i32, k1: i32): void {
  const len = n - k1;
  if (len <= 0) return;
  for (let i = k0 + 1; i < k1; i++) {
    const yi = at(a, n, i, k1);
    for (let j = k0; j < i; j++) {
      const l = load<f64>(at(a, n, i, j));
      if (l != 0) subScaled(yi, l, at(a, n, j, k1), len);
    }
  }
}

/**
 * C −= L·U on a block: C[i, c] −= Σ_p L[i, p]·U[p, c] for i < rows, c < cols, p < depth;
 * all three are sub-blocks of one row-major matrix with row stride n (bytes: n·8).
 * 4×4 register tiles (8 f64x2 accumulators), then 1×4 rows, then 2- and 1-wide columns.
 */
function updateBlock(C: usize, L: usize, U: usize, n: i32, rows: i32, cols: i32, depth: i32): void {
  const rs = <usize>n << 3;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const c0 = C + <usize>i * rs;
    const l0 = L + <usize>i * rs;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s10 = f64x2.splat(0), s11 = f64x2.splat(0);
      let s20 = f64x2.splat(0), s21 = f64x2.splat(0), s30 = f64x2.splat(0), s31 = f64x2.splat(0);
      let up = U + (<usize>c << 3);
      let lp = l0;
      for (let p = 0; p < depth; p++) {
        const u0 = v128.load(up), u1 = v128.load(up, 16);
        const w0 = splat(lp), w1 = splat(lp + rs), w2 = splat(lp + 2 * rs), w3 = splat(lp + 3 * rs);
        s00 = madd(s00, w0, u0); s01 = madd(s01, w0, u1);
        s10 = madd(s10, w1, u0); s11 = madd(s11, w1, u1);
        s20 = madd(s20, w2, u0); s21 = madd(s21, w2, u1);
        s30 = madd(s30, w3, u0); s31 = madd(s31, w3, u1);
        up += rs;
        lp += 8;
      }
      const q = c0 + (<usize>c << 3);
      subStore(q, s00); subStore(q + 16, s01);
      subStore(q + rs, s10); subStore(q + rs + 16, s11);
      subStore(q + 2 * rs, s20); subStore(q + 2 * rs + 16, s21);
      subStore(q + 3 * rs, s30); subStore(q + 3 * rs + 16, s31);
    }
    for (let r = 0; r < 4; r++) updateTail(c0 + <usize>r * rs, l0 + <usize>r * rs, U, rs, c, cols, depth);
  }
  for (; i < rows; i++) {
    const ci = C + <usize>i * rs;
    const li = L + <usize>i * rs;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
      let up = U + (<usize>c << 3);
      let lp = li;
      for (let p = 0; p < depth; p++) {
        const w = splat(lp);
        s0 = madd(s0, w, v128.load(up));
        s1 = madd(s1, w, v128.load(up, 16));
        up += rs;
        lp += 8;
      }
      const q = ci + (<usize>c << 3);
      subStore(q, s0);
      subStore(q + 16, s1);
    }
    updateTail(ci, li, U, rs, c, cols, depth);
  }
}

/** Columns c0..cols−1 (fewer than 4) of one row of {@link updateBlock}: c[c] −= Σ_p l[p]·U[p, c]. */
function updateTail(crow: usize, lrow: usize, U: usize, rs: usize, c0: i32, cols: i32, depth: i32): void {
  let c = c0;
  if (c + 2 <= cols) {
    let s = f64x2.splat(0);
    let up = U + (<usize>c << 3);
    for (let p = 0; p < depth; p++) {
      s = madd(s, splat(lrow + (<usize>p << 3)), v128.load(up));
      up += rs;
    }
    subStore(crow + (<usize>c << 3), s);
    c += 2;
  }
  if (c < cols) {
    let s = 0.0;
    let up = U + (<usize>c << 3);
    for (let p = 0; p < depth; p++) {
      s += load<f64>(lrow + (<usize>p << 3)) * load<f64>(up);
      up += rs;
    }
    const q = crow + (<usize>c << 3);
    store<f64>(q, load<f64>(q) - s);
  }
}

/** *p −= v (two lanes). */
// @ts-ignore: decorator
@inline function subStore(p: usize, v: v128): void {
  v128.store(p, f64x2.sub(v128.load(p), v));
}

/**
 * LU factorisation with partial pivoting of the n×n row-major matrix at `a`, in place:
 * P·A = L·U with L unit lower (below the diagonal) and U upper (on and above it). piv[j] (i32) is
 * the row exchanged with row j at step j. Returns 0, or 1 + the first column with an exactly zero
 * pivot (the factorisation is completed, but U is singular and {@link luSolve} divides by zero).
 */
export function luFactor(n: i32, a: usize, piv: usize): i32 {
  let info = 0;
  for (let k0 = 0; k0 < n; k0 += PANEL) {
    const k1 = min(k0 + PANEL, n);
    const pinfo = factorPanel(a, n, piv, k0, k1);
    if (info == 0) info = pinfo;
    if (k1 >= n) break;
    solvePanelRows(a, n, k0, k1);
    // A22 −= L21·U12:  A[i, c] −= Σ_{p∈[k0,k1)} A[i, p]·A[p, c]  (i, c ≥ k1)
    for (let c = k1; c < n; c += COLBLOCK) {
      const cols = min(COLBLOCK, n - c);
      updateBlock(at(a, n, k1, c), at(a, n, k1, k0), at(a, n, k0, c), n, n - k1, cols, k1 - k0);
    }
  }
  return info;
}

/** Solves P·A·x = b in place at `b` with the factors of {@link luFactor}: b ← U⁻¹·L⁻¹·P·b. */
export function luSolve(n: i32, a: usize, piv: usize, b: usize): void {
  for (let k = 0; k < n; k++) {
    const p = load<i32>(piv + (<usize>k << 2));
    if (p != k) {
      const bk = b + (<usize>k << 3), bp = b + (<usize>p << 3);
      const t = load<f64>(bk);
      store<f64>(bk, load<f64>(bp));
      store<f64>(bp, t);
    }
  }
  // y_i = b_i − Σ_{j<i} L[i,j]·y_j
  for (let i = 1; i < n; i++) {
    const bi = b + (<usize>i << 3);
    store<f64>(bi, load<f64>(bi) - dot(at(a, n, i, 0), b, i));
  }
  // x_i = (y_i − Σ_{j>i} U[i,j]·x_j) / U[i,i]
  for (let i = n - 1; i >= 0; i--) {
    const bi = b + (<usize>i << 3);
    const s = dot(at(a, n, i, i + 1), bi + 8, n - 1 - i);
    store<f64>(bi, (load<f64>(bi) - s) / load<f64>(at(a, n, i, i)));
  }
}

/** A = c·I − J for n×n row-major matrices at `a` and `j` (the matrix of an implicit step). */
export function luShift(n: i32, j: usize, a: usize, c: f64): void {
  const nn = <usize>n * <usize>n;
  const bytes = nn << 3;
  const zero = f64x2.splat(0);
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) v128.store(a + o, f64x2.sub(zero, v128.load(j + o)));
  if (o < bytes) store<f64>(a + o, -load<f64>(j + o));
  for (let i = 0; i < n; i++) {
    const p = at(a, n, i, i);
    store<f64>(p, c + load<f64>(p));
  }
}
