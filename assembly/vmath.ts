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
// e^t for t ≤ 0 by table (the softplus kernel): t = k·ln2/32 + r, |r| ≤ ln2/64, k = 32m + j,
// e^t = 2^m·2^(j/32)·(1 + expm1(r)) with 2^(j/32) = hi + lo from a 32-entry table and expm1(r) by its
// degree-6 Taylor polynomial (truncation ≤ r⁷/7! ≤ 4e−18); ≤ 1 ulp. Shorter dependency chain than the
// degree-12 polynomial of exp: the activation loops are latency-bound.
//
// log1p on [0, 1] by table: j = round(128e), c_j = 1 + j/128, f = e − j/128 (exact: Sterbenz, or
// f = e for j = 0), log1p(e) = log(c_j) + log1p(τ), τ = f/c_j = f·(1/c_j) with |τ| ≤ 1/256, and
// log1p(τ) = τ − τ²/2 + τ³·P(τ), P the Taylor terms to τ⁴/7 (truncation ≤ τ⁸/8 ≤ 2^−67·τ). No
// division; ≤ 1.5 ulp (the rounding of τ, at small j). Tables from scripts/vmath_tables.py (mpmath).
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

// 2^(j/32) = EXP_TAB[2j] + EXP_TAB[2j + 1], j = 0..31.
const EXP_TAB = memory.data<f64>([
  1.0, 0.0,
  1.0218971486541166, 5.109225028973444e-17,
  1.0442737824274138, 8.551889705537965e-17,
  1.0671404006768237, -7.899853966841582e-17,
  1.0905077326652577, -3.046782079812471e-17,
  1.1143867425958924, 1.0410278456845571e-16,
  1.1387886347566916, 8.912812676025408e-17,
  1.1637248587775775, 3.8292048369240935e-17,
  1.189207115002721, 3.982015231465646e-17,
  1.215247359980469, -7.712630692681488e-17,
  1.241857812073484, 4.658027591836937e-17,
  1.2690509571917332, 2.667932131342186e-18,
  1.2968395546510096, 2.5382502794888315e-17,
  1.3252366431597413, -2.8587312100388614e-17,
  1.3542555469368927, 7.70094837980299e-17,
  1.383909881963832, -6.770511658794786e-17,
  1.4142135623730951, -9.667293313452913e-17,
  1.4451808069770467, -3.0237581349939873e-17,
  1.4768261459394993, -3.483994556892796e-17,
  1.5091644275934228, -1.016455327754295e-16,
  1.5422108254079407, 7.949834809697621e-17,
  1.5759808451078865, -1.0136916471278304e-17,
  1.6104903319492543, 2.4707192569797888e-17,
  1.645755478153965, -1.0125679913674773e-16,
  1.681792830507429, 8.199010020581497e-17,
  1.718619298122478, -1.851380418263111e-17,
  1.7562521603732995, 2.960140695448873e-17,
  1.7947090750031072, 1.8227458427912087e-17,
  1.8340080864093424, 3.283107224245627e-17,
  1.8741676341103, -6.122763413004143e-17,
  1.9152065613971474, -1.0619946056195963e-16,
  1.9571441241754002, 8.960767791036668e-17
]);
const INV_LN2_32 = memory.data<f64>([46.16624130844683]); // 32/ln2
const LN2_32_HI = memory.data<f64>([0.021660849390173098]); // ln2/32, 33 significant bits: k·LN2_32_HI is exact
const LN2_32_LO = memory.data<f64>([2.325192846878874e-12]); // ln2/32 − LN2_32_HI
// expm1(r) ≈ r + r²·(E2 + E3 r + E4 r² + E5 r³ + E6 r⁴), the Taylor coefficients 1/n!.
const E2 = memory.data<f64>([0.5]);
const E3 = memory.data<f64>([0.16666666666666666]);
const E4 = memory.data<f64>([0.041666666666666664]);
const E5 = memory.data<f64>([0.008333333333333333]);
const E6 = memory.data<f64>([0.001388888888888889]);

/** e^t per lane for t ≤ 0 (≤ 1 ulp; 0 below −746, subnormal results rounded once), by the 2^(j/32) table. */
// @ts-ignore: decorator
@inline export function vExpNegTab(t: v128): v128 {
  const ks = f64x2.add(f64x2.mul(t, vc(INV_LN2_32)), vc(SHIFT)); // low bits: k = round(32t/ln2)
  const k = f64x2.sub(ks, vc(SHIFT));
  const r = f64x2.sub(f64x2.sub(t, f64x2.mul(k, vc(LN2_32_HI))), f64x2.mul(k, vc(LN2_32_LO)));
  const p0 = entry(EXP_TAB, i64x2.extract_lane(ks, 0), 31, 4), p1 = entry(EXP_TAB, i64x2.extract_lane(ks, 1), 31, 4);
  const th = gather(p0, p1), tl = gather(p0 + 8, p1 + 8);
  const r2 = f64x2.mul(r, r);
  const q = f64x2.add(f64x2.add(vc(E2), f64x2.mul(r, vc(E3))),
    f64x2.mul(r2, f64x2.add(f64x2.add(vc(E4), f64x2.mul(r, vc(E5))), f64x2.mul(r2, vc(E6)))));
  const p = f64x2.add(r, f64x2.mul(r2, q));
  const v = f64x2.add(th, f64x2.add(tl, f64x2.mul(th, p))); // 2^(j/32)·(1 + expm1(r))
  // 2^m (m = k >> 5 ≤ 0) as 2^m1·2^m2 with m1 = m >> 1: both normal, the second product rounds once
  const m = i64x2.shr_s(i64x2.sub(ks, vc(SHIFT_BITS)), 5);
  const m1 = i64x2.shr_s(m, 1);
  const s1 = i64x2.add(i64x2.shl(m1, 52), vc(ONE_BITS));
  const s2 = i64x2.add(i64x2.shl(i64x2.sub(m, m1), 52), vc(ONE_BITS));
  return v128.andnot(f64x2.mul(f64x2.mul(v, s1), s2), vExpUnder(t));
}

// Entry j (32 bytes): [1/c_j, log(c_j) hi, log(c_j) lo, 0], c_j = 1 + j/128, j = 0..128.
const LOG1P_TAB = memory.data<f64>([
  1.0, 0.0, 0.0, 0.0,
  0.9922480620155039, 0.007782140442054949, -1.2819179123343845e-20, 0.0,
  0.9846153846153847, 0.015504186535965254, -3.278321022892429e-19, 0.0,
  0.9770992366412213, 0.02316705928153438, -1.1769544932063305e-18, 0.0,
  0.9696969696969697, 0.030771658666753687, 1.0431732029005968e-18, 0.0,
  0.9624060150375939, 0.0383188643021366, -2.357996157351286e-18, 0.0,
  0.9552238805970149, 0.0458095360312942, 1.902959866474257e-18, 0.0,
  0.9481481481481482, 0.053244514518812285, -1.665575816973663e-18, 0.0,
  0.9411764705882353, 0.06062462181643484, 2.6424025938726934e-18, 0.0,
  0.9343065693430657, 0.06795066190850775, -1.2802141240611733e-18, 0.0,
  0.927536231884058, 0.07522342123758753, -5.930604196293241e-18, 0.0,
  0.920863309352518, 0.08244366921107459, 5.700437773813987e-18, 0.0,
  0.9142857142857143, 0.08961215868968714, -5.4268129336647135e-18, 0.0,
  0.9078014184397163, 0.09672962645855111, -5.597397486289965e-19, 0.0,
  0.9014084507042254, 0.10379679368164356, 5.47772415726659e-18, 0.0,
  0.8951048951048951, 0.11081436634029011, 1.183748342825649e-18, 0.0,
  0.8888888888888888, 0.11778303565638346, -1.1971685747593677e-18, 0.0,
  0.8827586206896552, 0.12470347850095724, -4.6522609636496624e-18, 0.0,
  0.8767123287671232, 0.13157635778871926, 1.1123000879729588e-17, 0.0,
  0.8707482993197279, 0.13840232285911913, 4.447777301357527e-18, 0.0,
  0.8648648648648649, 0.1451820098444979, 8.242418783022475e-18, 0.0,
  0.8590604026845637, 0.15191604202584197, 6.4838631244022194e-18, 0.0,
  0.8533333333333334, 0.15860503017663857, 1.1257003872182592e-17, 0.0,
  0.847682119205298, 0.16524957289530717, -1.0094935622322628e-17, 0.0,
  0.8421052631578947, 0.17185025692665923, -6.0224538210113705e-18, 0.0,
  0.8366013071895425, 0.1784076574728183, -1.2432553788701131e-17, 0.0,
  0.8311688311688312, 0.184922338494012, 3.0236614153574064e-18, 0.0,
  0.8258064516129032, 0.19139485299962947, -1.2129496905792884e-17, 0.0,
  0.8205128205128205, 0.19782574332991987, 1.2821194372980142e-17, 0.0,
  0.8152866242038217, 0.2042155414286909, 2.7338281018722773e-18, 0.0,
  0.810126582278481, 0.21056476910734964, -4.249405314729895e-18, 0.0,
  0.8050314465408805, 0.21687393830061436, 4.551026193234283e-18, 0.0,
  0.8, 0.22314355131420976, -9.091270597324799e-18, 0.0,
  0.7950310559006211, 0.22937410106484582, 9.927671823978025e-18, 0.0,
  0.7901234567901234, 0.2355660713127669, -2.3943371495187355e-18, 0.0,
  0.7852760736196319, 0.24171993688714516, 8.900990022166643e-18, 0.0,
  0.7804878048780488, 0.24783616390458127, -1.2432209578702523e-17, 0.0,
  0.7757575757575758, 0.25391520998096345, -8.048097394424201e-18, 0.0,
  0.7710843373493976, 0.25995752443692605, 2.069806938978935e-17, 0.0,
  0.7664670658682635, 0.26596354849713794, 5.3393802761314314e-18, 0.0,
  0.7619047619047619, 0.27193371548364176, 7.83319637697442e-19, 0.0,
  0.757396449704142, 0.2778684510034563, -9.16018294909263e-19, 0.0,
  0.7529411764705882, 0.2837681731306446, -2.032665581126656e-17, 0.0,
  0.7485380116959064, 0.28963329258304266, 2.0535953219858174e-17, 0.0,
  0.7441860465116279, 0.2954642128938359, -2.16461086040599e-17, 0.0,
  0.7398843930635838, 0.3012613305781618, -9.048511144048564e-18, 0.0,
  0.735632183908046, 0.3070250352949119, -1.2319916200101964e-17, 0.0,
  0.7314285714285714, 0.3127557100038969, -1.451808353098951e-17, 0.0,
  0.7272727272727273, 0.3184537311185346, 2.7114779367326236e-17, 0.0,
  0.7231638418079096, 0.324119468654212, -7.958214381893813e-18, 0.0,
  0.7191011235955056, 0.329753286372468, 2.122020616196946e-18, 0.0,
  0.7150837988826816, 0.3353555419211378, 1.834564437059473e-17, 0.0,
  0.7111111111111111, 0.3409265869705932, 1.7467136443544747e-17, 0.0,
  0.7071823204419889, 0.34646676734620857, 1.028583585496265e-17, 0.0,
  0.7032967032967034, 0.3519764231571782, -1.2953893030191963e-17, 0.0,
  0.6994535519125683, 0.3574558889218038, -2.5136910072413547e-17, 0.0,
  0.6956521739130435, 0.3629054936893685, -2.1492361455310972e-17, 0.0,
  0.6918918918918919, 0.3683255611587076, 2.690672380132659e-17, 0.0,
  0.6881720430107527, 0.37371640979358406, 2.1836211281198184e-17, 0.0,
  0.6844919786096256, 0.37907835293496944, 1.587939415338447e-17, 0.0,
  0.6808510638297872, 0.38441169891033206, -1.612149700764673e-17, 0.0,
  0.6772486772486772, 0.3897167511400252, 2.734172667856699e-17, 0.0,
  0.6736842105263158, 0.394993808240869, -1.5113724418336168e-17, 0.0,
  0.6701570680628273, 0.4002431641270127, -1.1349239205188711e-17, 0.0,
  0.6666666666666666, 0.4054651081081644, -2.8811380259626426e-18, 0.0,
  0.6632124352331606, 0.4106599249852684, 9.53814259997222e-18, 0.0,
  0.6597938144329897, 0.415827895143711, -2.48753990369597e-17, 0.0,
  0.6564102564102564, 0.42096929464412963, 3.729923775655343e-18, 0.0,
  0.6530612244897959, 0.4260843953109001, -2.499176776547466e-17, 0.0,
  0.649746192893401, 0.4311734648183713, 1.9420511053537492e-17, 0.0,
  0.6464646464646465, 0.43623676677491807, -1.8379648230620457e-18, 0.0,
  0.6432160804020101, 0.4412745608048752, 2.5088908423700173e-17, 0.0,
  0.64, 0.44628710262841953, -1.8182541194649598e-17, 0.0,
  0.6368159203980099, 0.45127464413945856, 2.6777397456140527e-17, 0.0,
  0.6336633663366337, 0.4562374334815876, 2.122222784062318e-17, 0.0,
  0.6305418719211823, 0.46117571512217015, 1.741614762798376e-17, 0.0,
  0.6274509803921569, 0.46608972992459924, -1.4116523239904406e-17, 0.0,
  0.624390243902439, 0.470979715218791, 6.232095439601591e-18, 0.0,
  0.6213592233009708, 0.4758459048699639, -6.181952722542219e-18, 0.0,
  0.6183574879227053, 0.4806885293457519, 5.0660455855585734e-18, 0.0,
  0.6153846153846154, 0.4855078157817008, -1.6618350693852048e-17, 0.0,
  0.6124401913875598, 0.4903039880451938, 2.1092325546314864e-17, 0.0,
  0.6095238095238096, 0.4950772667978515, -8.307950959627356e-18, 0.0,
  0.6066350710900474, 0.4998278695564493, 1.8560027823355852e-17, 0.0,
  0.6037735849056604, 0.5045560107523953, -2.4888518873597905e-17, 0.0,
  0.6009389671361502, 0.5092619017898079, 4.4229949554747315e-17, 0.0,
  0.5981308411214953, 0.5139457511022343, 3.397548559332142e-17, 0.0,
  0.5953488372093023, 0.5186077642080457, -3.07373792013847e-17, 0.0,
  0.5925925925925926, 0.5232481437645479, -3.1833882216350925e-17, 0.0,
  0.5898617511520737, 0.5278670896208424, -3.938876121973919e-18, 0.0,
  0.5871559633027523, 0.5324647988694718, -9.149239241180804e-19, 0.0,
  0.5844748858447488, 0.5370414658968836, 3.599743846939586e-17, 0.0,
  0.5818181818181818, 0.5415972824327444, -3.748764246125639e-17, 0.0,
  0.579185520361991, 0.5461324375981357, -2.785373590779381e-17, 0.0,
  0.5765765765765766, 0.5506471179526623, -2.239429485856908e-17, 0.0,
  0.5739910313901345, 0.5551415075405016, -2.9237930089834585e-17, 0.0,
  0.5714285714285714, 0.5596157879354227, 2.685492580212308e-17, 0.0,
  0.5688888888888889, 0.564070138284803, -4.713528538503788e-17, 0.0,
  0.5663716814159292, 0.5685047353526688, -5.4267346029482773e-17, 0.0,
  0.5638766519823789, 0.5729197535617855, 2.6028017871307396e-17, 0.0,
  0.5614035087719298, 0.5773153650348236, -8.903591846974013e-18, 0.0,
  0.5589519650655022, 0.5816917396346225, -2.4128853204003212e-17, 0.0,
  0.5565217391304348, 0.5860490450035782, -3.058363205263577e-17, 0.0,
  0.5541125541125541, 0.5903874466021763, 2.789809900502368e-17, 0.0,
  0.5517241379310345, 0.5947071077466928, 1.3751689964323675e-17, 0.0,
  0.5493562231759657, 0.5990081896460834, 2.169308759646737e-17, 0.0,
  0.5470085470085471, 0.6032908514380843, 9.9400563470175e-18, 0.0,
  0.5446808510638298, 0.6075552502245418, -2.5212767604971525e-17, 0.0,
  0.5423728813559322, 0.6118015411059929, -3.7397759448726e-17, 0.0,
  0.540084388185654, 0.616029877215514, -3.488611895632145e-17, 0.0,
  0.5378151260504201, 0.6202404097518576, -3.989161064307651e-17, 0.0,
  0.5355648535564853, 0.6244332880118935, 3.9598137234402294e-17, 0.0,
  0.5333333333333333, 0.6286086594223741, 4.3538742607970387e-17, 0.0,
  0.5311203319502075, 0.6327666695710378, 5.3103007491432875e-17, 0.0,
  0.5289256198347108, 0.6369074622370692, 5.422955873465247e-17, 0.0,
  0.5267489711934157, 0.6410311794209312, 5.023567605577645e-17, 0.0,
  0.5245901639344263, 0.6451379613735847, 9.346960920120906e-19, 0.0,
  0.5224489795918368, 0.6492279466251099, -3.408303836279946e-17, 0.0,
  0.5203252032520326, 0.6533012720127457, -4.306892322029408e-17, 0.0,
  0.5182186234817814, 0.65735807270836, 3.287034671639441e-17, 0.0,
  0.5161290322580645, 0.661398482245365, -7.603333785634003e-18, 0.0,
  0.5140562248995983, 0.6654226325450905, -3.769421986743112e-17, 0.0,
  0.512, 0.6694306539426292, 2.823733943928343e-17, 0.0,
  0.5099601593625498, 0.6734226752121667, 2.1065619172826132e-17, 0.0,
  0.5079365079365079, 0.6773988235918061, -2.0978183882652005e-18, 0.0,
  0.5059288537549407, 0.6813592248079031, -4.9888733319242566e-17, 0.0,
  0.5039370078740157, 0.6853040030989194, 4.893484946270261e-17, 0.0,
  0.5019607843137255, 0.689233281238809, -2.3207793837229205e-17, 0.0,
  0.5, 0.6931471805599453, 2.3190468138462996e-17, 0.0
]);
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
  const t2 = f64x2.mul(tau, tau);
  const p = f64x2.add(f64x2.add(vc(P3), f64x2.mul(tau, vc(P4))),
    f64x2.mul(t2, f64x2.add(f64x2.add(vc(P5), f64x2.mul(tau, vc(P6))), f64x2.mul(t2, vc(P7)))));
  const r = f64x2.sub(f64x2.mul(f64x2.mul(t2, tau), p), f64x2.mul(vc(HALF), t2));
  return f64x2.add(hi, f64x2.add(tau, f64x2.add(lo, r))); // log(c_j) + log1p(τ)
}
