// Vectorised (f64x2) exp, expm1 and log1p for the activation kernels.
//
// exp: x = k·ln2 + r with k = round(x/ln2) and |r| ≤ ln2/2 (Cody–Waite: ln2 = LN2_HI + LN2_LO where
// k·LN2_HI is exact), expm1(r) = r + r²/2 + r³·Q(r) with Q a degree-9 near-minimax polynomial
// (mpmath.chebyfit of (expm1(r) − r − r²/2)/r³ on ±(ln2/2)(1 + 2^−40), 10 terms, rounded to double;
// relative error of expm1 ≤ 0.03 ulp) evaluated by Estrin's scheme, then
//   exp(x) = 2^k·(1 + expm1(r)),   expm1(x) = 2^k·expm1(r) + (2^k − 1)   (x ≤ 0 for expm1).
// 2^k = 2^k1·2^k2 (k1 = ⌊k/2⌋) is built from the exponent bits and applied by two multiplications,
// the first exact, so subnormal results and overflow round correctly without a branch; lanes
// beyond [−746, 710] are set to 0 / ∞ by a mask, NaN propagates. Measured error ≤ 1 ulp.
//
// log1p on [0, 1]: fdlibm's s_log1p.c method (Sun Microsystems notice, see assembly/erf.ts):
// 1 + e = 2^k·(1 + f) with √2/2 ≤ 1 + f < √2, s = f/(2 + f),
// log(1 + f) = f − f²/2 + s·(f²/2 + R(s²)), plus the rounding error c of 1 + e, divided by 1 + e.
//
// Constants live in linear memory and are read with a splatting load: V8 materialises every
// v128.const with three instructions at each use and does not hoist them out of loops, whereas
// v128.load64_splat is one (vmovddup).

/** The f64 (or bit pattern) stored at p, in both lanes. */
// @ts-ignore: decorator
@inline export function vc(p: usize): v128 {
  return v128.load64_splat(p);
}

export const ZERO = memory.data<f64>([0.0]);
export const HALF = memory.data<f64>([0.5]);
export const ONE = memory.data<f64>([1.0]);
export const TWO = memory.data<f64>([2.0]);
export const SIGN_BIT = memory.data<u64>([0x8000000000000000]);

const INV_LN2 = memory.data<f64>([1.4426950408889634]);
const LN2_HI = memory.data<f64>([6.93147180369123816490e-01]); // 0x3FE62E42FEE00000
const LN2_LO = memory.data<f64>([1.90821492927058770002e-10]); // 0x3DEA39EF35793C76
const SHIFT = memory.data<f64>([6755399441055744.0]); // 1.5·2^52: t + SHIFT holds round(t) in its low bits
const SHIFT_BITS = memory.data<u64>([0x4338000000000000]); // bits(SHIFT)
const ONE_BITS = memory.data<u64>([0x3FF0000000000000]); // bits(1.0) = 1023 << 52
const EXP_MIN = memory.data<f64>([-746.0]); // e^t rounds to 0 below
const EXP_MAX = memory.data<f64>([710.0]); // e^t overflows above
const INF = memory.data<f64>([Infinity]);
const MINUS_ONE = memory.data<f64>([-1.0]);

// Q(r) ≈ (expm1(r) − r − r²/2)/r³ on |r| ≤ ln2/2: Q0 + Q1 r + … + Q9 r⁹.
const Q0 = memory.data<f64>([0.16666666666666669]);
const Q1 = memory.data<f64>([0.041666666666666664]);
const Q2 = memory.data<f64>([0.008333333333330065]);
const Q3 = memory.data<f64>([0.0013888888888886554]);
const Q4 = memory.data<f64>([0.00019841269863040545]);
const Q5 = memory.data<f64>([2.4801587317135164e-05]);
const Q6 = memory.data<f64>([2.7557268480310024e-06]);
const Q7 = memory.data<f64>([2.755728298405588e-07]);
const Q8 = memory.data<f64>([2.510037583256132e-08]);
const Q9 = memory.data<f64>([2.091122972975863e-09]);

// fdlibm log1p: R(z) = Lg1 z + Lg2 z² + … + Lg7 z⁷, z = s².
const LG1 = memory.data<f64>([6.666666666666735130e-01]);
const LG2 = memory.data<f64>([3.999999999940941908e-01]);
const LG3 = memory.data<f64>([2.857142874366239149e-01]);
const LG4 = memory.data<f64>([2.222219843214978396e-01]);
const LG5 = memory.data<f64>([1.818357216161805012e-01]);
const LG6 = memory.data<f64>([1.531383769920937332e-01]);
const LG7 = memory.data<f64>([1.479819860511658591e-01]);
const SQRT2_M1 = memory.data<f64>([0.41421353816986084]); // 0x3FDA827A00000000 ≈ √2 − 1

/** round(t/ln2) + 1.5·2^52 per lane (the low mantissa bits hold k = round(t/ln2)). */
// @ts-ignore: decorator
@inline export function vExpShift(t: v128): v128 {
  return f64x2.add(f64x2.mul(t, vc(INV_LN2)), vc(SHIFT));
}

/** r = t − k·ln2 from ks = vExpShift(t); t − k·LN2_HI is exact. */
// @ts-ignore: decorator
@inline export function vExpReduce(t: v128, ks: v128): v128 {
  const k = f64x2.sub(ks, vc(SHIFT));
  return f64x2.sub(f64x2.sub(t, f64x2.mul(k, vc(LN2_HI))), f64x2.mul(k, vc(LN2_LO)));
}

/**
 * r = (hi + lo) − k·ln2 from ks = vExpShift(hi + lo), for an argument given as hi + lo with |lo| < 1.
 * hi − k·LN2_HI must be exact: it is when k = 0 or hi is a multiple of 2^−52 (then so is the
 * difference, which is < 2 in magnitude), as in both callers (−xh²/2 with xh of 26 bits, |xh| > 0.8;
 * −z² − 0.5625 with z of 21 bits, z > 1).
 */
// @ts-ignore: decorator
@inline export function vExpReduce2(hi: v128, lo: v128, ks: v128): v128 {
  const k = f64x2.sub(ks, vc(SHIFT));
  const r = f64x2.sub(hi, f64x2.mul(k, vc(LN2_HI)));
  return f64x2.add(r, f64x2.sub(lo, f64x2.mul(k, vc(LN2_LO))));
}

/** expm1(r) = r + r²/2 + r³·Q(r) for |r| ≤ ln2/2 (Estrin's scheme for Q). */
// @ts-ignore: decorator
@inline export function vExpm1Poly(r: v128): v128 {
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const q01 = f64x2.add(vc(Q0), f64x2.mul(r, vc(Q1)));
  const q23 = f64x2.add(vc(Q2), f64x2.mul(r, vc(Q3)));
  const q45 = f64x2.add(vc(Q4), f64x2.mul(r, vc(Q5)));
  const q67 = f64x2.add(vc(Q6), f64x2.mul(r, vc(Q7)));
  const q89 = f64x2.add(vc(Q8), f64x2.mul(r, vc(Q9)));
  const q03 = f64x2.add(q01, f64x2.mul(r2, q23));
  const q47 = f64x2.add(q45, f64x2.mul(r2, q67));
  const q = f64x2.add(f64x2.add(q03, f64x2.mul(r4, q47)), f64x2.mul(r8, q89));
  return f64x2.add(r, f64x2.mul(r2, f64x2.add(vc(HALF), f64x2.mul(r, q))));
}

/** k1 << 52 with k1 = ⌊k/2⌋, k = round(t/ln2) from ks = vExpShift(t). */
// @ts-ignore: decorator
@inline export function vExpK1(ks: v128): v128 {
  return i64x2.shl(i64x2.shr_s(i64x2.sub(ks, vc(SHIFT_BITS)), 1), 52);
}

/** 2^k1 from k1 << 52. */
// @ts-ignore: decorator
@inline export function vExpS1(k1: v128): v128 {
  return i64x2.add(k1, vc(ONE_BITS));
}

/** 2^k2 with k2 = k − k1, from ks and k1 << 52 (k << 52 = bits(ks) << 52). */
// @ts-ignore: decorator
@inline export function vExpS2(ks: v128, k1: v128): v128 {
  return i64x2.add(i64x2.sub(i64x2.shl(ks, 52), k1), vc(ONE_BITS));
}

/** Lanes where e^t underflows to 0 (t < −746); false for NaN. */
// @ts-ignore: decorator
@inline export function vExpUnder(t: v128): v128 {
  return f64x2.lt(t, vc(EXP_MIN));
}

/**
 * e^(hi + lo) per lane for hi + lo ≤ 0 (any size), with hi, lo as in vExpReduce2 (≤ 1 ulp).
 * (1 + p)·2^k1 is exact and ·2^k2 rounds once, so subnormal results are right; lanes with
 * hi + lo < −746 are set to 0.
 */
// @ts-ignore: decorator
@inline export function vExpNeg2(hi: v128, lo: v128): v128 {
  const t = f64x2.add(hi, lo);
  const ks = vExpShift(t);
  const p = vExpm1Poly(vExpReduce2(hi, lo, ks));
  const k1 = vExpK1(ks);
  const e = f64x2.mul(f64x2.mul(f64x2.add(vc(ONE), p), vExpS1(k1)), vExpS2(ks, k1));
  return v128.andnot(e, vExpUnder(t));
}

/** eˣ per lane (≤ 1 ulp), for any x: 0 below −746, ∞ above 710, NaN stays NaN. */
// @ts-ignore: decorator
@inline export function vExp(x: v128): v128 {
  const ks = vExpShift(x);
  const p = vExpm1Poly(vExpReduce(x, ks));
  const k1 = vExpK1(ks);
  const e = f64x2.mul(f64x2.mul(f64x2.add(vc(ONE), p), vExpS1(k1)), vExpS2(ks, k1));
  return v128.bitselect(vc(INF), v128.andnot(e, vExpUnder(x)), f64x2.gt(x, vc(EXP_MAX)));
}

/** expm1 of the last vExpBoth argument (its second result). */
export let vExpBothM1: v128 = i64x2.splat(0);

/**
 * e^t per lane, and expm1(t) = 2^k·p + (2^k − 1) into vExpBothM1, from one range reduction, for
 * t ≤ 0 (≤ 1 ulp each; 0 and −1 below −746, NaN stays NaN).
 */
// @ts-ignore: decorator
@inline export function vExpBoth(t: v128): v128 {
  const ks = vExpShift(t);
  const p = vExpm1Poly(vExpReduce(t, ks));
  const k1 = vExpK1(ks);
  const s1 = vExpS1(k1);
  const s2 = vExpS2(ks, k1);
  const under = vExpUnder(t);
  const s = f64x2.mul(s1, s2); // 2^k, rounded if subnormal (then expm1 = −1 anyway)
  vExpBothM1 = v128.bitselect(vc(MINUS_ONE), f64x2.add(f64x2.mul(s, p), f64x2.sub(s, vc(ONE))), under);
  return v128.andnot(f64x2.mul(f64x2.mul(f64x2.add(vc(ONE), p), s1), s2), under);
}

/**
 * log1p(e) per lane for e ∈ [0, 1], given r = 1/(1 + e) (fdlibm log1p, ≤ 1 ulp).
 * Lanes with e < √2 − 1 use f = e (k = 0); the others 1 + e = 2(1 + f), k = 1, f = (1 + e)/2 − 1
 * (exact), plus the rounding error of 1 + e: c/(1 + e) = (e − ((1 + e) − 1))·r.
 */
// @ts-ignore: decorator
@inline export function vLog1pUnit(e: v128, r: v128): v128 {
  const u = f64x2.add(vc(ONE), e);
  const big = f64x2.ge(e, vc(SQRT2_M1));
  const f = v128.bitselect(f64x2.sub(f64x2.mul(vc(HALF), u), vc(ONE)), e, big);
  const c = v128.and(f64x2.mul(f64x2.sub(e, f64x2.sub(u, vc(ONE))), r), big);
  const k = v128.and(vc(ONE), big);
  const hfsq = f64x2.mul(vc(HALF), f64x2.mul(f, f));
  const s = f64x2.div(f, f64x2.add(vc(TWO), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const w2 = f64x2.mul(w, w);
  // R = z·(Lg1 + Lg3 w + Lg5 w² + Lg7 w³) + w·(Lg2 + Lg4 w + Lg6 w²), w = z², by Estrin
  const t1 = f64x2.mul(w, f64x2.add(f64x2.add(vc(LG2), f64x2.mul(w, vc(LG4))), f64x2.mul(w2, vc(LG6))));
  const t2 = f64x2.mul(z, f64x2.add(f64x2.add(vc(LG1), f64x2.mul(w, vc(LG3))),
    f64x2.mul(w2, f64x2.add(vc(LG5), f64x2.mul(w, vc(LG7))))));
  // s·(hfsq + R) + (k·ln2_lo + c) − hfsq + f + k·ln2_hi, in fdlibm's order
  let y = f64x2.add(f64x2.mul(s, f64x2.add(hfsq, f64x2.add(t2, t1))), f64x2.add(f64x2.mul(k, vc(LN2_LO)), c));
  y = f64x2.add(f64x2.sub(y, hfsq), f);
  return f64x2.add(y, f64x2.mul(k, vc(LN2_HI)));
}
