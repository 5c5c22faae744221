// Symmetric eigen-decomposition A = V·diag(λ)·Vᵀ of a dense row-major f64 matrix.
//
//   1. Householder reduction T = QᵀAQ to tridiagonal form (LAPACK dsytd2, lower triangle). The rank-2
//      update of each step is fused with the symmetric matrix-vector product of the next step, so
//      the trailing triangle is streamed once per column.
//   2. Q is formed in place over the stored reflectors (LAPACK dorgtr), NB reflectors at a time
//      applied to contiguous SW-column strips.
//   3. Implicit QL/QR with Wilkinson shifts on T (LAPACK dsteqr), each unreduced block iterated
//      towards its end of smaller diagonal magnitude. The Givens rotations are logged and applied to
//      V in panels of PANEL rows stored column-contiguously, so a rotation of columns (i, i+1) updates
//      two adjacent 64-byte blocks with f64x2, column i is carried in registers along a sweep, and a
//      panel stays in cache while a whole log of sweeps is applied to it.
//   4. Selection sort into ascending order, panels back to row-major.
// A matrix with max|aᵢⱼ| outside [RMIN, RMAX] is scaled first and the eigenvalues unscaled (dsyev).
// No allocation: every buffer is a caller pointer; `work` holds eigSymWorkSize(n) f64.

/** Unit roundoff 2⁻⁵³ (LAPACK dlamch('E')). */
const EPS: f64 = 1.1102230246251565e-16;
/** EPS². */
const EPS2: f64 = EPS * EPS;
/** Smallest normal f64, 2⁻¹⁰²² (dlamch('S')). */
const SAFMIN: f64 = 2.2250738585072014e-308;
/** 1 / SAFMIN = 2¹⁰²². */
const SAFMAX: f64 = 4.49423283715579e+307;
/** √SAFMAX / 3: tridiagonal blocks above this are scaled down (dsteqr). */
const SSFMAX: f64 = 2.2346346549904327e+153;
/** √SAFMIN / EPS²: tridiagonal blocks below this are scaled up (dsteqr). */
const SSFMIN: f64 = 1.210184973390412e-122;
/** √SAFMIN, lower limit of the unscaled branch of dlartg. */
const RTMIN: f64 = 1.4916681462400413e-154;
/** √(SAFMAX / 2), upper limit of the unscaled branch of dlartg. */
const RTMAX: f64 = 4.740375954054589e+153;
/** √(SAFMIN / 2⁻⁵²): matrices with a smaller max|aᵢⱼ| are scaled up (dsyev). */
const RMIN: f64 = 1.0010415475915505e-146;
/** 1 / RMIN: matrices with a larger max|aᵢⱼ| are scaled down (dsyev). */
const RMAX: f64 = 9.989595361011175e+145;
/** QL/QR sweeps allowed per eigenvalue before giving up (dsteqr's MAXIT). */
const MAXIT: i32 = 30;
/** Reflectors per block when forming Q. */
const NB: i32 = 32;
/** Columns per strip when forming Q (8 f64 = four f64x2 = one 64-byte cache line). */
const SW: i32 = 8;
/** Rows per panel in the QL phase. */
const PANEL: i32 = 8;
/** Full-length sweeps the rotation log holds before it is applied. */
const LOG_SWEEPS: i32 = 32;

// Results of rotation (dlartg) and 2×2 eigenproblem (dlaev2), returned through globals.
let rotC: f64 = 0;
let rotS: f64 = 0;
let rotR: f64 = 0;
let eigRt1: f64 = 0;
let eigRt2: f64 = 0;

// @ts-ignore: decorator
@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function st(p: usize, i: i32, x: f64): void {
  store<f64>(p + (<usize>i << 3), x);
}

// @ts-ignore: decorator
@inline function at(A: usize, n: i32, i: i32, j: i32): usize {
  // byte address of A[i, j] in a row-major n×n matrix
  return A + ((<usize>i * <usize>n + <usize>j) << 3);
}

/** n rounded up to even, so that sub-buffers of `work` stay 16-byte aligned. */
// @ts-ignore: decorator
@inline function evenUp(n: i32): i32 {
  return (n + 1) & ~1;
}

/** Length in f64 of the rotation log. */
// @ts-ignore: decorator
@inline function logCapacity(n: i32): i32 {
  return LOG_SWEEPS * (2 * n + 3);
}

/** f64 of scratch that eigSym needs for an n×n matrix. */
export function eigSymWorkSize(n: i32): i32 {
  if (n <= 0) return 0;
  const n2 = evenUp(n);
  // e and τ, then the largest phase: tridiagonalisation 4n; Q strip, reflectors and 8 f64x2
  // coefficients (SW + NB)·n + 16; panel transposition PANEL·n + rotation log
  return 2 * n2 + max(max(4 * n2, (SW + NB) * n2 + 16), PANEL * n2 + logCapacity(n));
}

/** Eigen-decomposition of the symmetric n×n matrix at `a` (row-major f64, read only; only the lower
 *  triangle j ≤ i is read). Writes eigenvalues ascending to `values` (n f64) and the unit eigenvectors
 *  to `vectors` (n×n row-major f64: column j is the eigenvector of values[j]; `vectors` may be `a`).
 *  `work` is scratch of at least eigSymWorkSize(n) f64.
 *  Returns 0 on success, 1 if the iteration did not converge or `a` holds NaN/±Infinity (then
 *  `values` and `vectors` are NaN). */
export function eigSym(n: i32, a: usize, values: usize, vectors: usize, work: usize): i32 {
  if (n <= 0) return 0;
  const size = <usize>n * <usize>n;
  if (vectors != a) memory.copy(vectors, a, size << 3);
  const anrm = maxAbsLower(n, vectors);
  if (!isFinite(anrm)) return fail(n, values, vectors);
  if (n == 1) {
    st(values, 0, load<f64>(vectors));
    store<f64>(vectors, 1.0);
    return 0;
  }
  let sigma = 1.0;
  if (anrm > 0 && anrm < RMIN) sigma = RMIN / anrm;
  else if (anrm > RMAX) sigma = RMAX / anrm;
  if (sigma != 1.0) scaleLower(n, vectors, sigma);

  const n2 = evenUp(n);
  const e = work;
  const tau = work + (<usize>n2 << 3);
  const scr = work + (<usize>(2 * n2) << 3);
  tridiagonalise(n, vectors, values, e, tau, scr);
  formQ(n, vectors, tau, scr);
  toPanels(n, vectors, scr);
  const log = scr + (<usize>(PANEL * n2) << 3);
  if (tridiagonalEigen(n, values, e, vectors, log, logCapacity(n)) != 0) return fail(n, values, vectors);
  sortAscending(n, values, vectors);
  fromPanels(n, vectors, scr);
  if (sigma != 1.0) {
    const inv = 1.0 / sigma;
    for (let i = 0; i < n; i++) st(values, i, ld(values, i) * inv);
  }
  return 0;
}

/** Failure exit: NaN results, status 1. */
function fail(n: i32, values: usize, vectors: usize): i32 {
  for (let i = 0; i < n; i++) st(values, i, NaN);
  const size = n * n;
  for (let i = 0; i < size; i++) st(vectors, i, NaN);
  return 1;
}

/** max |aᵢⱼ| over the lower triangle (NaN if any entry is NaN, ∞ if any is infinite). */
function maxAbsLower(n: i32, A: usize): f64 {
  let m = 0.0;
  let bad = 0.0;
  for (let i = 0; i < n; i++) {
    const row = at(A, n, i, 0);
    for (let j = 0; j <= i; j++) {
      const x = ld(row, j);
      m = max(m, abs(x));
      bad += x - x; // 0 for finite x, NaN otherwise
    }
  }
  return m + bad;
}

/** Multiplies the lower triangle by s. */
function scaleLower(n: i32, A: usize, s: f64): void {
  for (let i = 0; i < n; i++) {
    const row = at(A, n, i, 0);
    for (let j = 0; j <= i; j++) st(row, j, ld(row, j) * s);
  }
}

/** x[i0..i1) = 0. */
function zero(x: usize, i0: i32, i1: i32): void {
  if (i1 > i0) memory.fill(x + (<usize>i0 << 3), 0, <usize>(i1 - i0) << 3);
}

// ---------------------------------------------------------------------------------------------
// 1. Householder tridiagonalisation

/** Reduces the lower triangle of A to tridiagonal (d, e) with reflectors H_k = I − τ_k·u_k·u_kᵀ
 *  (dsytd2, lower); u_k (u_k[k+1] = 1 implicit) is left in column k below the subdiagonal. */
function tridiagonalise(n: i32, A: usize, d: usize, e: usize, tau: usize, scr: usize): void {
  const vec = <usize>evenUp(n) << 3;
  let uPrev = scr; // pending rank-2 update A ← A − u·wᵀ − w·uᵀ of the previous step
  let wPrev = scr + vec;
  let u = scr + 2 * vec;
  let p = scr + 3 * vec;
  zero(uPrev, 0, n);
  zero(wPrev, 0, n);
  for (let k = 0; k < n - 2; k++) {
    updateColumn(A, n, k, uPrev, wPrev);
    st(d, k, load<f64>(at(A, n, k, k)));
    const t = householder(A, n, k, e);
    st(tau, k, t);
    gatherReflector(A, n, k, t, u);
    zero(p, k + 1, n);
    for (let i = k + 1; i < n; i++) {
      const row = at(A, n, i, 0);
      const ui = ld(u, i);
      const upi = ld(uPrev, i);
      const wpi = ld(wPrev, i);
      const dot = rank2SymvRow(row, k + 1, i, uPrev, wPrev, upi, wpi, u, ui, p);
      const aii = ld(row, i) - 2.0 * upi * wpi;
      st(row, i, aii);
      st(p, i, ld(p, i) + dot + aii * ui);
    }
    rank2Vector(p, u, t, k + 1, n);
    let s = uPrev; uPrev = u; u = s;
    s = wPrev; wPrev = p; p = s;
  }
  updateColumn(A, n, n - 2, uPrev, wPrev);
  updateColumn(A, n, n - 1, uPrev, wPrev);
  st(d, n - 2, load<f64>(at(A, n, n - 2, n - 2)));
  st(e, n - 2, load<f64>(at(A, n, n - 1, n - 2)));
  st(d, n - 1, load<f64>(at(A, n, n - 1, n - 1)));
}

/** Applies the pending update A ← A − u·wᵀ − w·uᵀ to column k, rows k…n−1. */
function updateColumn(A: usize, n: i32, k: i32, u: usize, w: usize): void {
  const uk = ld(u, k);
  const wk = ld(w, k);
  for (let i = k; i < n; i++) {
    const q = at(A, n, i, k);
    store<f64>(q, load<f64>(q) - (ld(u, i) * wk + ld(w, i) * uk));
  }
}

/** Householder reflector (dlarfg) mapping (α, x) = A[k+1…n−1, k] to (β, 0): sets e[k] = β,
 *  overwrites x with u[k+2…] and returns τ (0 when x = 0). */
function householder(A: usize, n: i32, k: i32, e: usize): f64 {
  const alpha = load<f64>(at(A, n, k + 1, k));
  let scale = abs(alpha);
  for (let i = k + 2; i < n; i++) scale = max(scale, abs(load<f64>(at(A, n, i, k))));
  let sx = 0.0;
  if (scale > 0) {
    for (let i = k + 2; i < n; i++) {
      const t = load<f64>(at(A, n, i, k)) / scale;
      sx += t * t;
    }
  }
  if (sx == 0) {
    st(e, k, alpha);
    return 0;
  }
  const ta = alpha / scale;
  const beta = -copysign(scale * sqrt(ta * ta + sx), alpha);
  const den = alpha - beta;
  for (let i = k + 2; i < n; i++) {
    const q = at(A, n, i, k);
    store<f64>(q, load<f64>(q) / den);
  }
  st(e, k, beta);
  return (beta - alpha) / beta;
}

/** Copies reflector k into the contiguous vector u[k+1…n−1] (all zero when τ = 0). */
function gatherReflector(A: usize, n: i32, k: i32, t: f64, u: usize): void {
  if (t == 0) {
    zero(u, k + 1, n);
    return;
  }
  st(u, k + 1, 1.0);
  for (let i = k + 2; i < n; i++) st(u, i, load<f64>(at(A, n, i, k)));
}

/** Row i of the trailing triangle, columns j0…i−1: aᵢⱼ −= uPᵢ·wPⱼ + wPᵢ·uPⱼ, then pⱼ += aᵢⱼ·uᵢ;
 *  returns Σⱼ aᵢⱼ·uⱼ (fused rank-2 update and symmetric matrix-vector product). */
function rank2SymvRow(
  row: usize, j0: i32, j1: i32, uP: usize, wP: usize, upi: f64, wpi: f64, u: usize, ui: f64, p: usize,
): f64 {
  const vup = f64x2.splat(upi);
  const vwp = f64x2.splat(wpi);
  const vu = f64x2.splat(ui);
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let j = j0;
  for (; j + 4 <= j1; j += 4) {
    const o = <usize>j << 3;
    let a0 = v128.load(row + o);
    let a1 = v128.load(row + o, 16);
    a0 = f64x2.sub(a0, f64x2.add(f64x2.mul(vup, v128.load(wP + o)), f64x2.mul(vwp, v128.load(uP + o))));
    a1 = f64x2.sub(a1, f64x2.add(f64x2.mul(vup, v128.load(wP + o, 16)), f64x2.mul(vwp, v128.load(uP + o, 16))));
    v128.store(row + o, a0);
    v128.store(row + o, a1, 16);
    acc0 = f64x2.add(acc0, f64x2.mul(a0, v128.load(u + o)));
    acc1 = f64x2.add(acc1, f64x2.mul(a1, v128.load(u + o, 16)));
    v128.store(p + o, f64x2.add(v128.load(p + o), f64x2.mul(a0, vu)));
    v128.store(p + o, f64x2.add(v128.load(p + o, 16), f64x2.mul(a1, vu)), 16);
  }
  acc0 = f64x2.add(acc0, acc1);
  let dot = f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1);
  for (; j < j1; j++) {
    const a = ld(row, j) - (upi * ld(wP, j) + wpi * ld(uP, j));
    st(row, j, a);
    dot += a * ld(u, j);
    st(p, j, ld(p, j) + a * ui);
  }
  return dot;
}

/** Turns p = A·u into w = τ·p − (τ²/2)(pᵀu)·u on [j0, n), the vector of the rank-2 update. */
function rank2Vector(p: usize, u: usize, tau: f64, j0: i32, n: i32): void {
  let pu = 0.0;
  for (let j = j0; j < n; j++) {
    const x = tau * ld(p, j);
    st(p, j, x);
    pu += x * ld(u, j);
  }
  const k = 0.5 * tau * pu;
  for (let j = j0; j < n; j++) st(p, j, ld(p, j) - k * ld(u, j));
}

// ---------------------------------------------------------------------------------------------
// 2. Forming Q

/** Overwrites A (reflectors in the lower triangle) with Q = H_0·H_1⋯H_{n−3} (dorgtr, lower),
 *  processing the reflectors in blocks of NB from the last one, each block applied strip by strip. */
function formQ(n: i32, Q: usize, tau: usize, scr: usize): void {
  const nr = n - 2;
  for (let i = 0; i < n; i++) zero(at(Q, n, i, 0), i + 1, n);
  store<f64>(at(Q, n, n - 1, n - 1), 1.0);
  const S = scr;
  const U = scr + (<usize>(SW * evenUp(n)) << 3);
  const K = U + (<usize>(NB * evenUp(n)) << 3);
  for (let kb = nr > 0 ? ((nr - 1) / NB) * NB : -1; kb >= 0; kb -= NB) {
    const nb = min(NB, nr - kb);
    const row0 = kb + 1;
    const m = n - row0;
    const taus = tau + (<usize>kb << 3);
    gatherReflectors(n, Q, kb, nb, m, U);
    for (let c0 = row0 + nb; c0 < n; c0 += SW) {
      const w = min(SW, n - c0);
      gatherStrip(n, Q, row0, c0, w, m, S);
      reflectStrip(S, U, K, taus, nb, m);
      scatterStrip(n, Q, row0, c0, w, m, S);
    }
    for (let c = 0; c < nb; c += SW) {
      const w = min(SW, nb - c);
      identityStrip(S, c, m);
      reflectStrip(S, U, K, taus, nb, m);
      scatterStrip(n, Q, row0, row0 + c, w, m, S);
    }
  }
  store<f64>(Q, 1.0);
  for (let i = 1; i < n; i++) store<f64>(at(Q, n, i, 0), 0.0);
}

/** U[t·m + r] = u_{kb+t}[kb+1+r] for r < m, t < nb: the block's reflectors as contiguous vectors. */
function gatherReflectors(n: i32, Q: usize, kb: i32, nb: i32, m: i32, U: usize): void {
  for (let t = 0; t < nb; t++) {
    const u = U + (<usize>(t * m) << 3);
    zero(u, 0, t);
    st(u, t, 1.0);
    for (let r = t + 1; r < m; r++) st(u, r, load<f64>(at(Q, n, kb + 1 + r, kb + t)));
  }
}

/** S (m×SW) = Q[row0…row0+m−1, c0…c0+w−1], zero-padded to SW columns. */
function gatherStrip(n: i32, Q: usize, row0: i32, c0: i32, w: i32, m: i32, S: usize): void {
  for (let r = 0; r < m; r++) {
    const src = at(Q, n, row0 + r, c0);
    const dst = S + (<usize>(r * SW) << 3);
    if (w == SW) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
      v128.store(dst, v128.load(src, 32), 32);
      v128.store(dst, v128.load(src, 48), 48);
    } else {
      for (let c = 0; c < w; c++) st(dst, c, ld(src, c));
      for (let c = w; c < SW; c++) st(dst, c, 0.0);
    }
  }
}

/** Q[row0…row0+m−1, c0…c0+w−1] = first w columns of S. */
function scatterStrip(n: i32, Q: usize, row0: i32, c0: i32, w: i32, m: i32, S: usize): void {
  for (let r = 0; r < m; r++) {
    const dst = at(Q, n, row0 + r, c0);
    const src = S + (<usize>(r * SW) << 3);
    if (w == SW) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
      v128.store(dst, v128.load(src, 32), 32);
      v128.store(dst, v128.load(src, 48), 48);
    } else {
      for (let c = 0; c < w; c++) st(dst, c, ld(src, c));
    }
  }
}

/** S (m×SW) = columns c0…c0+SW−1 of the m×m identity. */
function identityStrip(S: usize, c0: i32, m: i32): void {
  memory.fill(S, 0, <usize>(m * SW) << 3);
  for (let c = 0; c < min(SW, m - c0); c++) st(S, (c0 + c) * SW + c, 1.0);
}

/** S ← H_0⋯H_{nb−1}·S for the m×SW strip, H_t = I − τ_t·u_t·u_tᵀ with u_t = U[t·m…] (zero above
 *  row t); reflectors go two at a time, the last (odd) one alone. */
function reflectStrip(S: usize, U: usize, K: usize, taus: usize, nb: i32, m: i32): void {
  let t = nb - 1;
  for (; t >= 1; t -= 2) {
    const ub = U + (<usize>(t * m) << 3);
    const ua = ub - (<usize>m << 3);
    reflectStripPair(S, ua, ub, K, ld(taus, t - 1), ld(taus, t), t - 1, m);
  }
  if (t == 0) reflectStripPair(S, U, U, K, 0.0, ld(taus, 0), 0, m);
}

/** S ← (I − τa·ua·uaᵀ)(I − τb·ub·ubᵀ)·S for the m×SW strip (ua, ub zero above row r0): one pass for
 *  ya = uaᵀS, yb = ubᵀS, one for S −= ub·(τb·yb) + ua·τa·(ya − (uaᵀub)·τb·yb). */
function reflectStripPair(S: usize, ua: usize, ub: usize, k: usize, taua: f64, taub: f64, r0: i32, m: i32): void {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let a2 = f64x2.splat(0);
  let a3 = f64x2.splat(0);
  let b0 = f64x2.splat(0);
  let b1 = f64x2.splat(0);
  let b2 = f64x2.splat(0);
  let b3 = f64x2.splat(0);
  for (let r = r0; r < m; r++) {
    const s = S + (<usize>(r * SW) << 3);
    const va = f64x2.splat(ld(ua, r));
    const vb = f64x2.splat(ld(ub, r));
    const s0 = v128.load(s);
    const s1 = v128.load(s, 16);
    const s2 = v128.load(s, 32);
    const s3 = v128.load(s, 48);
    a0 = f64x2.add(a0, f64x2.mul(va, s0));
    a1 = f64x2.add(a1, f64x2.mul(va, s1));
    a2 = f64x2.add(a2, f64x2.mul(va, s2));
    a3 = f64x2.add(a3, f64x2.mul(va, s3));
    b0 = f64x2.add(b0, f64x2.mul(vb, s0));
    b1 = f64x2.add(b1, f64x2.mul(vb, s1));
    b2 = f64x2.add(b2, f64x2.mul(vb, s2));
    b3 = f64x2.add(b3, f64x2.mul(vb, s3));
  }
  // b ← −τb·yb;  a ← −τa·(ya + uab·b), stored at k: kept in registers they would spill in the loop
  const ntb = f64x2.splat(-taub);
  b0 = f64x2.mul(b0, ntb);
  b1 = f64x2.mul(b1, ntb);
  b2 = f64x2.mul(b2, ntb);
  b3 = f64x2.mul(b3, ntb);
  const nta = f64x2.splat(-taua);
  let uab = 0.0;
  for (let r = r0; r < m; r++) uab += ld(ua, r) * ld(ub, r);
  const vab = f64x2.splat(uab);
  v128.store(k, b0, 0);
  v128.store(k, b1, 16);
  v128.store(k, b2, 32);
  v128.store(k, b3, 48);
  v128.store(k, f64x2.mul(f64x2.add(a0, f64x2.mul(vab, b0)), nta), 64);
  v128.store(k, f64x2.mul(f64x2.add(a1, f64x2.mul(vab, b1)), nta), 80);
  v128.store(k, f64x2.mul(f64x2.add(a2, f64x2.mul(vab, b2)), nta), 96);
  v128.store(k, f64x2.mul(f64x2.add(a3, f64x2.mul(vab, b3)), nta), 112);
  for (let r = r0; r < m; r++) {
    const s = S + (<usize>(r * SW) << 3);
    const va = f64x2.splat(ld(ua, r));
    const vb = f64x2.splat(ld(ub, r));
    v128.store(s, f64x2.add(v128.load(s), f64x2.add(f64x2.mul(v128.load(k, 0), vb), f64x2.mul(v128.load(k, 64), va))));
    v128.store(s, f64x2.add(v128.load(s, 16), f64x2.add(f64x2.mul(v128.load(k, 16), vb), f64x2.mul(v128.load(k, 80), va))), 16);
    v128.store(s, f64x2.add(v128.load(s, 32), f64x2.add(f64x2.mul(v128.load(k, 32), vb), f64x2.mul(v128.load(k, 96), va))), 32);
    v128.store(s, f64x2.add(v128.load(s, 48), f64x2.add(f64x2.mul(v128.load(k, 48), vb), f64x2.mul(v128.load(k, 112), va))), 48);
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Panels and the QL/QR iteration

/** Rows [g, g+h) of the row-major matrix become an n×h panel in place (column i = h contiguous f64). */
function toPanels(n: i32, V: usize, scr: usize): void {
  for (let g = 0; g < n; g += PANEL) {
    const h = min(PANEL, n - g);
    const base = at(V, n, g, 0);
    memory.copy(scr, base, <usize>(h * n) << 3);
    for (let i = 0; i < n; i++) {
      const dst = base + (<usize>(i * h) << 3);
      for (let r = 0; r < h; r++) st(dst, r, ld(scr, r * n + i));
    }
  }
}

/** Inverse of toPanels. */
function fromPanels(n: i32, V: usize, scr: usize): void {
  for (let g = 0; g < n; g += PANEL) {
    const h = min(PANEL, n - g);
    const base = at(V, n, g, 0);
    memory.copy(scr, base, <usize>(h * n) << 3);
    for (let i = 0; i < n; i++) {
      const src = scr + (<usize>(i * h) << 3);
      for (let r = 0; r < h; r++) st(base, r * n + i, ld(src, r));
    }
  }
}

/** f64 in use in the rotation log. */
let logLen: i32 = 0;
/** QL/QR sweeps so far. */
let sweeps: i32 = 0;

/** Implicit QL/QR with Wilkinson shifts on (d, e) (dsteqr, compz = 'V'): each unreduced block is
 *  iterated towards its end of smaller diagonal magnitude; the rotations are logged and applied to
 *  the panels of V. Returns 0, or 1 after MAXIT·n sweeps without convergence. */
function tridiagonalEigen(n: i32, d: usize, e: usize, V: usize, log: usize, cap: i32): i32 {
  const maxSweeps = MAXIT * n;
  sweeps = 0;
  logLen = 0;
  let l1 = 0;
  while (l1 < n) {
    if (l1 > 0) st(e, l1 - 1, 0.0);
    // split off an unreduced block [l, lend]
    let m = l1;
    for (; m < n - 1; m++) {
      const tst = abs(ld(e, m));
      if (tst == 0) break;
      if (tst <= sqrt(abs(ld(d, m))) * sqrt(abs(ld(d, m + 1))) * EPS) {
        st(e, m, 0.0);
        break;
      }
    }
    const l = l1;
    const lend = m;
    l1 = m + 1;
    if (lend == l) continue;
    const anorm = maxAbsTridiagonal(d, e, l, lend);
    if (anorm == 0) continue;
    let scale = 1.0;
    if (anorm > SSFMAX) scale = SSFMAX / anorm;
    else if (anorm < SSFMIN) scale = SSFMIN / anorm;
    if (scale != 1.0) scaleTridiagonal(d, e, l, lend, scale);
    const failed = abs(ld(d, lend)) < abs(ld(d, l))
      ? qrBlock(n, d, e, V, log, cap, lend, l, maxSweeps)
      : qlBlock(n, d, e, V, log, cap, l, lend, maxSweeps);
    if (scale != 1.0) scaleTridiagonal(d, e, l, lend, 1.0 / scale);
    if (failed) return 1;
  }
  applyLog(n, V, log, logLen);
  return 0;
}

/** QL iteration on the block [l, lend], deflating at the top; false on success. */
function qlBlock(n: i32, d: usize, e: usize, V: usize, log: usize, cap: i32, l: i32, lend: i32, maxSweeps: i32): bool {
  while (l <= lend) {
    // look for a small subdiagonal element e[m], l ≤ m < lend
    let m = l;
    for (; m < lend; m++) {
      const em = ld(e, m);
      if (em * em <= EPS2 * abs(ld(d, m)) * abs(ld(d, m + 1)) + SAFMIN) break;
    }
    if (m < lend) st(e, m, 0.0);
    if (m == l) {
      l++; // d[l] is an eigenvalue
    } else if (m == l + 1) {
      solve2x2(n, d, e, V, log, cap, l);
      l += 2;
    } else {
      if (sweeps == maxSweeps) return true;
      sweeps++;
      qlSweep(d, e, l, m, logSweep(n, V, log, cap, l, m, false));
    }
  }
  return false;
}

/** QR iteration on the block [lend, l] (lend < l), deflating at the bottom; false on success. */
function qrBlock(n: i32, d: usize, e: usize, V: usize, log: usize, cap: i32, l: i32, lend: i32, maxSweeps: i32): bool {
  while (l >= lend) {
    // look for a small superdiagonal element e[m−1], lend < m ≤ l
    let m = l;
    for (; m > lend; m--) {
      const em = ld(e, m - 1);
      if (em * em <= EPS2 * abs(ld(d, m)) * abs(ld(d, m - 1)) + SAFMIN) break;
    }
    if (m > lend) st(e, m - 1, 0.0);
    if (m == l) {
      l--; // d[l] is an eigenvalue
    } else if (m == l - 1) {
      solve2x2(n, d, e, V, log, cap, l - 1);
      l -= 2;
    } else {
      if (sweeps == maxSweeps) return true;
      sweeps++;
      qrSweep(d, e, m, l, logSweep(n, V, log, cap, m, l, true));
    }
  }
  return false;
}

/** Diagonalises the 2×2 block at rows (i, i+1) directly (dlaev2) and logs its rotation. */
function solve2x2(n: i32, d: usize, e: usize, V: usize, log: usize, cap: i32, i: i32): void {
  eigen2x2(ld(d, i), ld(e, i), ld(d, i + 1), logSweep(n, V, log, cap, i, i + 1, false));
  st(d, i, eigRt1);
  st(d, i + 1, eigRt2);
  st(e, i, 0.0);
}

/** Appends a sweep header (lo, hi, forward) for rotations of columns (i, i+1), lo ≤ i < hi, to the
 *  log, applying and emptying the log first when it is full; returns where the 2(hi−lo) f64 of
 *  rotations (c, s) go. */
function logSweep(n: i32, V: usize, log: usize, cap: i32, lo: i32, hi: i32, forward: bool): usize {
  const need = 3 + 2 * (hi - lo);
  if (logLen + need > cap) {
    applyLog(n, V, log, logLen);
    logLen = 0;
  }
  st(log, logLen, <f64>lo);
  st(log, logLen + 1, <f64>hi);
  st(log, logLen + 2, forward ? 1.0 : 0.0);
  const rot = log + (<usize>(logLen + 3) << 3);
  logLen += need;
  return rot;
}

/** max(|d[l…lend]|, |e[l…lend−1]|). */
function maxAbsTridiagonal(d: usize, e: usize, l: i32, lend: i32): f64 {
  let m = abs(ld(d, lend));
  for (let i = l; i < lend; i++) m = max(m, max(abs(ld(d, i)), abs(ld(e, i))));
  return m;
}

/** d[l…lend] and e[l…lend−1] times s. */
function scaleTridiagonal(d: usize, e: usize, l: i32, lend: i32, s: f64): void {
  for (let i = l; i <= lend; i++) st(d, i, ld(d, i) * s);
  for (let i = l; i < lend; i++) st(e, i, ld(e, i) * s);
}

/** One implicit QL sweep on rows l…m with the Wilkinson shift of the leading 2×2 block; writes the
 *  rotations (c, s) for i = m−1 … l to `rot` (2(m−l) f64). */
function qlSweep(d: usize, e: usize, l: i32, m: i32, rot: usize): void {
  let p = ld(d, l);
  let g = (ld(d, l + 1) - p) / (2.0 * ld(e, l));
  let r = Math.hypot(g, 1.0);
  g = ld(d, m) - p + ld(e, l) / (g + (g >= 0 ? r : -r));
  let s = 1.0;
  let c = 1.0;
  p = 0.0;
  for (let i = m - 1; i >= l; i--) {
    const f = s * ld(e, i);
    const b = c * ld(e, i);
    givens(g, f);
    c = rotC;
    s = rotS;
    if (i != m - 1) st(e, i + 1, rotR);
    g = ld(d, i + 1) - p;
    r = (ld(d, i) - g) * s + 2.0 * c * b;
    p = s * r;
    st(d, i + 1, g + p);
    g = c * r - b;
    store<f64>(rot, c);
    store<f64>(rot, -s, 8);
    rot += 16;
  }
  st(d, l, ld(d, l) - p);
  st(e, l, g);
}

/** One implicit QR sweep on rows m…l with the Wilkinson shift of the trailing 2×2 block; writes the
 *  rotations (c, s) for i = m … l−1 to `rot` (2(l−m) f64). */
function qrSweep(d: usize, e: usize, m: i32, l: i32, rot: usize): void {
  let p = ld(d, l);
  let g = (ld(d, l - 1) - p) / (2.0 * ld(e, l - 1));
  let r = Math.hypot(g, 1.0);
  g = ld(d, m) - p + ld(e, l - 1) / (g + (g >= 0 ? r : -r));
  let s = 1.0;
  let c = 1.0;
  p = 0.0;
  for (let i = m; i < l; i++) {
    const f = s * ld(e, i);
    const b = c * ld(e, i);
    givens(g, f);
    c = rotC;
    s = rotS;
    if (i != m) st(e, i - 1, rotR);
    g = ld(d, i) - p;
    r = (ld(d, i + 1) - g) * s + 2.0 * c * b;
    p = s * r;
    st(d, i, g + p);
    g = c * r - b;
    store<f64>(rot, c);
    store<f64>(rot, s, 8);
    rot += 16;
  }
  st(d, l, ld(d, l) - p);
  st(e, l - 1, g);
}

/** Plane rotation (dlartg): c·f + s·g = r, −s·f + c·g = 0, c ≥ 0; result in rotC, rotS, rotR. */
function givens(f: f64, g: f64): void {
  const f1 = abs(f);
  const g1 = abs(g);
  if (g == 0) {
    rotC = 1; rotS = 0; rotR = f;
  } else if (f == 0) {
    rotC = 0; rotS = copysign(1.0, g); rotR = g1;
  } else if (f1 > RTMIN && f1 < RTMAX && g1 > RTMIN && g1 < RTMAX) {
    const d = sqrt(f * f + g * g);
    rotC = f1 / d;
    rotR = copysign(d, f);
    rotS = g / rotR;
  } else {
    const u = min(SAFMAX, max(SAFMIN, max(f1, g1)));
    const fs = f / u;
    const gs = g / u;
    const d = sqrt(fs * fs + gs * gs);
    rotC = abs(fs) / d;
    const r = copysign(d, f);
    rotS = gs / r;
    rotR = r * u;
  }
}

/** Eigen-decomposition of [[a, b], [b, c]] (dlaev2): eigRt1 (larger |·|), eigRt2, and the rotation
 *  (cs, sn) = unit eigenvector of eigRt1, written to `rot`. */
function eigen2x2(a: f64, b: f64, c: f64, rot: usize): void {
  const sm = a + c;
  const df = a - c;
  const adf = abs(df);
  const tb = b + b;
  const ab = abs(tb);
  const acmx = abs(a) > abs(c) ? a : c;
  const acmn = abs(a) > abs(c) ? c : a;
  let rt: f64;
  if (adf > ab) rt = adf * sqrt(1.0 + (ab / adf) * (ab / adf));
  else if (adf < ab) rt = ab * sqrt(1.0 + (adf / ab) * (adf / ab));
  else rt = ab * 1.4142135623730951;
  let sgn1: i32;
  if (sm < 0) {
    eigRt1 = 0.5 * (sm - rt);
    sgn1 = -1;
    eigRt2 = (acmx / eigRt1) * acmn - (b / eigRt1) * b;
  } else if (sm > 0) {
    eigRt1 = 0.5 * (sm + rt);
    sgn1 = 1;
    eigRt2 = (acmx / eigRt1) * acmn - (b / eigRt1) * b;
  } else {
    eigRt1 = 0.5 * rt;
    eigRt2 = -0.5 * rt;
    sgn1 = 1;
  }
  let sgn2: i32;
  let cs: f64;
  if (df >= 0) {
    cs = df + rt;
    sgn2 = 1;
  } else {
    cs = df - rt;
    sgn2 = -1;
  }
  let cs1: f64;
  let sn1: f64;
  if (abs(cs) > ab) {
    const ct = -tb / cs;
    sn1 = 1.0 / sqrt(1.0 + ct * ct);
    cs1 = ct * sn1;
  } else if (ab == 0) {
    cs1 = 1;
    sn1 = 0;
  } else {
    const tn = -cs / tb;
    cs1 = 1.0 / sqrt(1.0 + tn * tn);
    sn1 = tn * cs1;
  }
  if (sgn1 == sgn2) {
    const tn = cs1;
    cs1 = -sn1;
    sn1 = tn;
  }
  store<f64>(rot, cs1);
  store<f64>(rot, sn1, 8);
}

/** Applies every logged sweep, in order, to each panel of V. */
function applyLog(n: i32, V: usize, log: usize, len: i32): void {
  if (len == 0) return;
  for (let g = 0; g < n; g += PANEL) {
    const h = min(PANEL, n - g);
    const panel = at(V, n, g, 0);
    let pos = 0;
    while (pos < len) {
      const lo = <i32>ld(log, pos);
      const hi = <i32>ld(log, pos + 1);
      const forward = ld(log, pos + 2) != 0;
      const rot = log + (<usize>(pos + 3) << 3);
      if (h < PANEL) sweepNarrowPanel(panel, h, lo, hi, forward, rot);
      else if (forward) sweepPanelForward(panel, lo, hi, rot);
      else sweepPanelBackward(panel, lo, hi, rot);
      pos += 3 + 2 * (hi - lo);
    }
  }
}

/** Rotations (c, s) of columns (i, i+1), i = hi−1 … lo, on a PANEL-row panel (dlasr 'R','V','B'):
 *  zᵢ₊₁ ← c·zᵢ₊₁ − s·zᵢ, zᵢ ← s·zᵢ₊₁ + c·zᵢ, carrying column i in registers down the sweep. */
function sweepPanelBackward(panel: usize, lo: i32, hi: i32, rot: usize): void {
  let q = panel + (<usize>hi << 6);
  let z0 = v128.load(q);
  let z1 = v128.load(q, 16);
  let z2 = v128.load(q, 32);
  let z3 = v128.load(q, 48);
  for (let i = hi - 1; i >= lo; i--) {
    const c = f64x2.splat(load<f64>(rot));
    const s = f64x2.splat(load<f64>(rot, 8));
    rot += 16;
    const p = q - 64;
    const x0 = v128.load(p);
    const x1 = v128.load(p, 16);
    const x2 = v128.load(p, 32);
    const x3 = v128.load(p, 48);
    v128.store(q, f64x2.sub(f64x2.mul(c, z0), f64x2.mul(s, x0)));
    v128.store(q, f64x2.sub(f64x2.mul(c, z1), f64x2.mul(s, x1)), 16);
    v128.store(q, f64x2.sub(f64x2.mul(c, z2), f64x2.mul(s, x2)), 32);
    v128.store(q, f64x2.sub(f64x2.mul(c, z3), f64x2.mul(s, x3)), 48);
    z0 = f64x2.add(f64x2.mul(s, z0), f64x2.mul(c, x0));
    z1 = f64x2.add(f64x2.mul(s, z1), f64x2.mul(c, x1));
    z2 = f64x2.add(f64x2.mul(s, z2), f64x2.mul(c, x2));
    z3 = f64x2.add(f64x2.mul(s, z3), f64x2.mul(c, x3));
    q = p;
  }
  v128.store(q, z0);
  v128.store(q, z1, 16);
  v128.store(q, z2, 32);
  v128.store(q, z3, 48);
}

/** The same rotations in the order i = lo … hi−1 (dlasr 'R','V','F'), carrying column i+1 up the sweep. */
function sweepPanelForward(panel: usize, lo: i32, hi: i32, rot: usize): void {
  let q = panel + (<usize>lo << 6);
  let z0 = v128.load(q);
  let z1 = v128.load(q, 16);
  let z2 = v128.load(q, 32);
  let z3 = v128.load(q, 48);
  for (let i = lo; i < hi; i++) {
    const c = f64x2.splat(load<f64>(rot));
    const s = f64x2.splat(load<f64>(rot, 8));
    rot += 16;
    const p = q + 64;
    const y0 = v128.load(p);
    const y1 = v128.load(p, 16);
    const y2 = v128.load(p, 32);
    const y3 = v128.load(p, 48);
    v128.store(q, f64x2.add(f64x2.mul(s, y0), f64x2.mul(c, z0)));
    v128.store(q, f64x2.add(f64x2.mul(s, y1), f64x2.mul(c, z1)), 16);
    v128.store(q, f64x2.add(f64x2.mul(s, y2), f64x2.mul(c, z2)), 32);
    v128.store(q, f64x2.add(f64x2.mul(s, y3), f64x2.mul(c, z3)), 48);
    z0 = f64x2.sub(f64x2.mul(c, y0), f64x2.mul(s, z0));
    z1 = f64x2.sub(f64x2.mul(c, y1), f64x2.mul(s, z1));
    z2 = f64x2.sub(f64x2.mul(c, y2), f64x2.mul(s, z2));
    z3 = f64x2.sub(f64x2.mul(c, y3), f64x2.mul(s, z3));
    q = p;
  }
  v128.store(q, z0);
  v128.store(q, z1, 16);
  v128.store(q, z2, 32);
  v128.store(q, z3, 48);
}

/** Both sweep directions, scalar, for the last panel of h < PANEL rows. */
function sweepNarrowPanel(panel: usize, h: i32, lo: i32, hi: i32, forward: bool, rot: usize): void {
  for (let r = 0; r < h; r++) {
    let q = rot;
    if (forward) {
      let z = ld(panel, lo * h + r);
      for (let i = lo; i < hi; i++) {
        const c = load<f64>(q);
        const s = load<f64>(q, 8);
        q += 16;
        const y = ld(panel, (i + 1) * h + r);
        st(panel, i * h + r, s * y + c * z);
        z = c * y - s * z;
      }
      st(panel, hi * h + r, z);
    } else {
      let z = ld(panel, hi * h + r);
      for (let i = hi - 1; i >= lo; i--) {
        const c = load<f64>(q);
        const s = load<f64>(q, 8);
        q += 16;
        const x = ld(panel, i * h + r);
        st(panel, (i + 1) * h + r, c * z - s * x);
        z = s * z + c * x;
      }
      st(panel, lo * h + r, z);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Ordering

/** Selection sort of d ascending, permuting the columns of the panelled V alike. */
function sortAscending(n: i32, d: usize, V: usize): void {
  for (let j = 0; j < n - 1; j++) {
    let k = j;
    let p = ld(d, j);
    for (let i = j + 1; i < n; i++) {
      const x = ld(d, i);
      if (x < p) {
        k = i;
        p = x;
      }
    }
    if (k != j) {
      st(d, k, ld(d, j));
      st(d, j, p);
      swapColumns(n, V, j, k);
    }
  }
}

/** Swaps columns j and k of the panelled V. */
function swapColumns(n: i32, V: usize, j: i32, k: i32): void {
  for (let g = 0; g < n; g += PANEL) {
    const h = min(PANEL, n - g);
    const panel = at(V, n, g, 0);
    for (let r = 0; r < h; r++) {
      const x = ld(panel, j * h + r);
      st(panel, j * h + r, ld(panel, k * h + r));
      st(panel, k * h + r, x);
    }
  }
}
