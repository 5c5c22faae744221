// Dense matrix products on f64 rows that are contiguous over samples, f64x2 SIMD with register
// tiles. Column counts (samples) are multiples of 4: the workspace pads the data with zero-weight
// samples, so no scalar remainder loop is needed over samples.
import { addTo, dot, hsum, madd, splat } from "./simd";

/**
 * Y = M·X:  Y[i,n] = Σ_m M[i,m]·X[m,n] for i < rows, n < nb (nb % 4 == 0).
 * M[i,m] is at M + 8·(i·mrs + m·mcs) (any layout); X rows have stride xs, Y rows stride nb.
 */
export function gemmNN(M: usize, mrs: i32, mcs: i32, rows: i32, inner: i32, X: usize, xs: i32, Y: usize, nb: i32): void {
  const dr = <usize>mrs << 3;
  const dc = <usize>mcs << 3;
  const xstride = <usize>xs << 3;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const mrow = M + <usize>i * dr;
    const y = Y + (<usize>i * <usize>nb << 3);
    for (let n = 0; n < nb; n += 4) {
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
      let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
      let xp = X + (<usize>n << 3);
      let mp = mrow;
      for (let m = 0; m < inner; m++) {
        const x0 = v128.load(xp), x1 = v128.load(xp, 16);
        const w0 = splat(mp), w1 = splat(mp + dr), w2 = splat(mp + 2 * dr), w3 = splat(mp + 3 * dr);
        c00 = madd(c00, w0, x0); c01 = madd(c01, w0, x1);
        c10 = madd(c10, w1, x0); c11 = madd(c11, w1, x1);
        c20 = madd(c20, w2, x0); c21 = madd(c21, w2, x1);
        c30 = madd(c30, w3, x0); c31 = madd(c31, w3, x1);
        xp += xstride;
        mp += dc;
      }
      const yn = y + (<usize>n << 3);
      const ys = <usize>nb << 3;
      v128.store(yn, c00); v128.store(yn, c01, 16);
      v128.store(yn + ys, c10); v128.store(yn + ys, c11, 16);
      v128.store(yn + 2 * ys, c20); v128.store(yn + 2 * ys, c21, 16);
      v128.store(yn + 3 * ys, c30); v128.store(yn + 3 * ys, c31, 16);
    }
  }
  for (; i < rows; i++) {
    const mrow = M + <usize>i * dr;
    const y = Y + (<usize>i * <usize>nb << 3);
    for (let n = 0; n < nb; n += 4) {
      let c0 = f64x2.splat(0), c1 = f64x2.splat(0);
      let xp = X + (<usize>n << 3);
      let mp = mrow;
      for (let m = 0; m < inner; m++) {
        const w = splat(mp);
        c0 = madd(c0, w, v128.load(xp));
        c1 = madd(c1, w, v128.load(xp, 16));
        xp += xstride;
        mp += dc;
      }
      v128.store(y + (<usize>n << 3), c0);
      v128.store(y + (<usize>n << 3), c1, 16);
    }
  }
}

/**
 * C += A·Bᵀ:  C[r,c] += Σ_n A[r,n]·B[c,n] for r < ra, c < rb, n < len (len % 2 == 0).
 * A and B rows are contiguous with strides as and bs; C[r,c] is at C + 8·(r·crs + c·ccs).
 * With `lower`, only tiles that touch r ≥ c are computed (A = B gives a symmetric rank-len update).
 */
export function gemmNTAcc(A: usize, as_: i32, ra: i32, B: usize, bs: i32, rb: i32, len: i32, C: usize, crs: i32, ccs: i32, lower: bool): void {
  const sa = <usize>as_ << 3;
  const sb = <usize>bs << 3;
  const cr = <usize>crs << 3;
  const cc = <usize>ccs << 3;
  let r = 0;
  for (; r + 4 <= ra; r += 4) {
    const a0 = A + <usize>r * sa;
    const cend = lower ? min(r + 4, rb) : rb;
    let c = 0;
    for (; c + 2 <= cend; c += 2) {
      tileNT4x2(a0, sa, B + <usize>c * sb, sb, len, C + <usize>r * cr + <usize>c * cc, cr, cc, 1.0);
    }
    for (; c < cend; c++) {
      const b0 = B + <usize>c * sb;
      for (let q = 0; q < 4; q++) {
        const p = C + <usize>(r + q) * cr + <usize>c * cc;
        addTo(p, dot(A + <usize>(r + q) * sa, b0, len));
      }
    }
  }
  for (; r < ra; r++) {
    const cend = lower ? min(r + 1, rb) : rb;
    const a0 = A + <usize>r * sa;
    for (let c = 0; c < cend; c++) {
      addTo(C + <usize>r * cr + <usize>c * cc, dot(a0, B + <usize>c * sb, len));
    }
  }
}

/**
 * The register tile of {@link gemmNTAcc} and of the Cholesky update:
 * C[r,c] += sign·Σ_{k<len} A[r,k]·B[c,k] for r < 4, c < 2 and any len (an odd last k is scalar).
 * A rows at a0 + r·sa, B rows at b0 + c·sb (byte strides), C[r,c] at c0 + r·cr + c·cc.
 */
// @ts-ignore: decorator
@inline export function tileNT4x2(a0: usize, sa: usize, b0: usize, sb: usize, len: i32, c0: usize, cr: usize, cc: usize, sign: f64): void {
  const a1 = a0 + sa, a2 = a1 + sa, a3 = a2 + sa, b1 = b0 + sb;
  let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s10 = f64x2.splat(0), s11 = f64x2.splat(0);
  let s20 = f64x2.splat(0), s21 = f64x2.splat(0), s30 = f64x2.splat(0), s31 = f64x2.splat(0);
  const bytes = <usize>len << 3;
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) {
    const x0 = v128.load(b0 + o), x1 = v128.load(b1 + o);
    const y0 = v128.load(a0 + o), y1 = v128.load(a1 + o), y2 = v128.load(a2 + o), y3 = v128.load(a3 + o);
    s00 = madd(s00, y0, x0); s01 = madd(s01, y0, x1);
    s10 = madd(s10, y1, x0); s11 = madd(s11, y1, x1);
    s20 = madd(s20, y2, x0); s21 = madd(s21, y2, x1);
    s30 = madd(s30, y3, x0); s31 = madd(s31, y3, x1);
  }
  let t00 = hsum(s00), t01 = hsum(s01), t10 = hsum(s10), t11 = hsum(s11);
  let t20 = hsum(s20), t21 = hsum(s21), t30 = hsum(s30), t31 = hsum(s31);
  if (o < bytes) {
    const x0 = load<f64>(b0 + o), x1 = load<f64>(b1 + o);
    const y0 = load<f64>(a0 + o), y1 = load<f64>(a1 + o), y2 = load<f64>(a2 + o), y3 = load<f64>(a3 + o);
    t00 += y0 * x0; t01 += y0 * x1; t10 += y1 * x0; t11 += y1 * x1;
    t20 += y2 * x0; t21 += y2 * x1; t30 += y3 * x0; t31 += y3 * x1;
  }
  addTo(c0, sign * t00); addTo(c0 + cc, sign * t01);
  addTo(c0 + cr, sign * t10); addTo(c0 + cr + cc, sign * t11);
  addTo(c0 + 2 * cr, sign * t20); addTo(c0 + 2 * cr + cc, sign * t21);
  addTo(c0 + 3 * cr, sign * t30); addTo(c0 + 3 * cr + cc, sign * t31);
}
