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
// e^t for t ≤ 0 by table (softplus outside its own table, |x| > 37.5, with log1p below): t = k·ln2/32 + r,
// |r| ≤ ln2/64, k = 32m + j, e^t = 2^m·2^(j/32)·(1 + expm1(r)) with 2^(j/32) = hi + lo from a 32-entry
// table and expm1(r) by its degree-6 Taylor polynomial (truncation ≤ r⁷/7! ≤ 4e−18); ≤ 1 ulp.
//
// log1p on [0, 1] by table: j = round(128e), c_j = 1 + j/128, f = e − j/128 (exact: Sterbenz, or
// f = e for j = 0), log1p(e) = log(c_j) + log1p(τ), τ = f/c_j = f·(1/c_j) with |τ| ≤ 1/256, and
// log1p(τ) = τ − τ²/2 + τ³·P(τ), P the Taylor terms to τ⁴/7 (truncation ≤ τ⁸/8 ≤ 2^−67·τ). No
// division; ≤ 1.5 ulp (the rounding of τ, at small j). The tables (EXP_TAB, LOG1P_TAB, SP_TAB, LN2_32_*) are generated
// by scripts/vmath_tables.py (mpmath) into vmath.tables.generated.ts.
//
// log1p(e^y) for y ∈ [−37.5, 0] (softplus) straight from y, by table: y = −j/32 + d with |d| ≤ 1/64 exact,
// e^y = e_j·(1 + expm1(d)) and log1p(e^y) = log1p(e_j) + log1p(σ_j·expm1(d)), σ_j = e_j/(1 + e_j),
// |σ_j·expm1(d)| ≤ 0.008: two short polynomials and one lookup instead of an exp followed by a log
// (half the dependency chain); ≤ 1.1 ulp. Outside the table (|x| > 37.5, ∞, NaN) the exp and log above.
//
// Constants live in linear memory and are read with a splatting load: V8 materialises every
// v128.const with three instructions at each use and does not hoist them out of loops, whereas
// v128.load64_splat is one (vmovddup).

import { EXP_TAB, INV_LN2_32, LN2_32_HI, LN2_32_LO, LOG1P_TAB, SP_TAB } from "./vmath.tables.generated";

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

/** Address of entry (bits & mask) of a table of 2^shift-byte entries. */
// @ts-ignore: decorator
@inline function entry(table: usize, bits: i64, mask: i32, shift: i32): usize {
  return table + (<usize>(<i32>bits & mask) << shift);
}

/** The f64 at p0 in lane 0 and at p1 in lane 1 (a two-lane gather). */
// @ts-ignore: decorator
@inline function gather(p0: usize, p1: usize): v128 {
  return v128.load64_lane(p1, v128.load64_zero(p0), 1);
}

// expm1(r) ≈ r + r²·(E2 + E3 r + E4 r² + E5 r³ + E6 r⁴), the Taylor coefficients 1/n!.
const E2 = memory.data<f64>([0.5]);
const E3 = memory.data<f64>([0.16666666666666666]);
const E4 = memory.data<f64>([0.041666666666666664]);
const E5 = memory.data<f64>([0.008333333333333333]);
const E6 = memory.data<f64>([0.001388888888888889]);

/** expm1(r) per lane for r within half a table cell (|r| ≤ ln2/64): r + r²·(E2 + E3·r + r²·(E4 + E5·r + E6·r²)). */
// @ts-ignore: decorator
@inline function vExpm1Cell(r: v128): v128 {
  const r2 = f64x2.mul(r, r);
  const q = f64x2.add(f64x2.add(vc(E2), f64x2.mul(r, vc(E3))),
    f64x2.mul(r2, f64x2.add(f64x2.add(vc(E4), f64x2.mul(r, vc(E5))), f64x2.mul(r2, vc(E6)))));
  return f64x2.add(r, f64x2.mul(r2, q));
}

/** log1p(t) − t per lane for t within a table cell: t³·(P3 + P4·t + t²·(P5 + P6·t + P7·t²)) − t²/2. */
// @ts-ignore: decorator
@inline function vLog1pMinusXCell(t: v128): v128 {
  const t2 = f64x2.mul(t, t);
  const p = f64x2.add(f64x2.add(vc(P3), f64x2.mul(t, vc(P4))),
    f64x2.mul(t2, f64x2.add(f64x2.add(vc(P5), f64x2.mul(t, vc(P6))), f64x2.mul(t2, vc(P7)))));
  return f64x2.sub(f64x2.mul(f64x2.mul(t2, t), p), f64x2.mul(vc(HALF), t2));
}

/** e^t per lane for t ≤ 0 (≤ 1 ulp; 0 below −746, subnormal results rounded once), by the 2^(j/32) table. */
// @ts-ignore: decorator
@inline export function vExpNegTab(t: v128): v128 {
  const ks = f64x2.add(f64x2.mul(t, vc(INV_LN2_32)), vc(SHIFT)); // low bits: k = round(32t/ln2)
  const k = f64x2.sub(ks, vc(SHIFT));
  const r = f64x2.sub(f64x2.sub(t, f64x2.mul(k, vc(LN2_32_HI))), f64x2.mul(k, vc(LN2_32_LO)));
  const p0 = entry(EXP_TAB, i64x2.extract_lane(ks, 0), 31, 4), p1 = entry(EXP_TAB, i64x2.extract_lane(ks, 1), 31, 4);
  const th = gather(p0, p1), tl = gather(p0 + 8, p1 + 8);
  const p = vExpm1Cell(r);
  const v = f64x2.add(th, f64x2.add(tl, f64x2.mul(th, p))); // 2^(j/32)·(1 + expm1(r))
  // 2^m (m = k >> 5 ≤ 0) as 2^m1·2^m2 with m1 = m >> 1: both normal, the second product rounds once
  const m = i64x2.shr_s(i64x2.sub(ks, vc(SHIFT_BITS)), 5);
  const m1 = i64x2.shr_s(m, 1);
  const s1 = i64x2.add(i64x2.shl(m1, 52), vc(ONE_BITS));
  const s2 = i64x2.add(i64x2.shl(i64x2.sub(m, m1), 52), vc(ONE_BITS));
  return v128.andnot(f64x2.mul(f64x2.mul(v, s1), s2), vExpUnder(t));
}

const C128 = memory.data<f64>([128.0]);
const INV128 = memory.data<f64>([0.0078125]);
// log1p(τ) ≈ τ − τ²/2 + τ³·(P3 + P4 τ + P5 τ² + P6 τ³ + P7 τ⁴), the Taylor coefficients (−1)^(n+1)/n.
const P3 = memory.data<f64>([0.3333333333333333]);
const P4 = memory.data<f64>([-0.25]);
const P5 = memory.data<f64>([0.2]);
const P6 = memory.data<f64>([-0.16666666666666666]);
const P7 = memory.data<f64>([0.14285714285714285]);

/** log1p(e) per lane for e ∈ [0, 1] (≤ 1.5 ulp), by the table of log(1 + j/128). */
// @ts-ignore: decorator
@inline export function vLog1pUnit(e: v128): v128 {
  const t = f64x2.add(f64x2.mul(e, vc(C128)), vc(SHIFT)); // low bits: j = round(128e)
  const f = f64x2.sub(e, f64x2.mul(f64x2.sub(t, vc(SHIFT)), vc(INV128)));
  const p0 = entry(LOG1P_TAB, i64x2.extract_lane(t, 0), 0xFF, 5), p1 = entry(LOG1P_TAB, i64x2.extract_lane(t, 1), 0xFF, 5);
  const invc = gather(p0, p1), hi = gather(p0 + 8, p1 + 8), lo = gather(p0 + 16, p1 + 16);
  const tau = f64x2.mul(f, invc);
  const r = vLog1pMinusXCell(tau);
  return f64x2.add(hi, f64x2.add(tau, f64x2.add(lo, r))); // log(c_j) + log1p(τ)
}

const SP_MAX = memory.data<f64>([37.5]); // the table's end: j = 32·37.5 = 1200
const C32 = memory.data<f64>([32.0]);
const INV32 = memory.data<f64>([0.03125]);

/** True when every lane of ax = |x| is within the softplus table (false for NaN). */
// @ts-ignore: decorator
@inline export function vSoftplusInTable(ax: v128): bool {
  return i64x2.all_true(f64x2.le(ax, vc(SP_MAX)));
}

/** e^(−ax) of the last {@link vLog1pExpNeg} call. */
export let vLog1pExpNegE: v128 = i64x2.splat(0);

/** log1p(e^(−ax)) per lane for ax ∈ [0, 37.5] (≤ 1.1 ulp), and e^(−ax) into vLog1pExpNegE. */
// @ts-ignore: decorator
@inline export function vLog1pExpNeg(ax: v128): v128 {
  const t = f64x2.add(f64x2.mul(ax, vc(C32)), vc(SHIFT)); // low bits: j = round(32·ax)
  const d = f64x2.sub(f64x2.mul(f64x2.sub(t, vc(SHIFT)), vc(INV32)), ax); // −ax − (−j/32), exact
  const p0 = entry(SP_TAB, i64x2.extract_lane(t, 0), 0x7FF, 5), p1 = entry(SP_TAB, i64x2.extract_lane(t, 1), 0x7FF, 5);
  const ej = gather(p0, p1), sj = gather(p0 + 8, p1 + 8), lh = gather(p0 + 16, p1 + 16), ll = gather(p0 + 24, p1 + 24);
  const ed = vExpm1Cell(d);
  vLog1pExpNegE = f64x2.add(ej, f64x2.mul(ej, ed));
  const w = f64x2.mul(sj, ed);
  const r = vLog1pMinusXCell(w);
  return f64x2.add(lh, f64x2.add(ll, f64x2.add(w, r)));
}
