// Error function, complementary error function and the standard normal distribution.
//
// erf/erfc are a port of fdlibm's s_erf.c (via FreeBSD msun / musl src/math/erf.c), whose notice
// follows and applies to `erf`, `erfc` and the helpers `erfSmall`, `erfMid`, `erfcTail`:
//
// ====================================================
// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunPro, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================
//
// Method (x ≥ 0; odd/even symmetry erf(−x) = −erf(x), erfc(−x) = 2 − erfc(x) for the rest):
//   [0, 0.84375)      erf(x) = x + x·R(x²), R = P/Q rational, |R − (erf(x) − x)/x| ≤ 2^−57.90
//   [0.84375, 1.25)   erf(x) = erx + P1(s)/Q1(s), s = x − 1, erx = (float)erf(1) = 0.845062911…
//   [1.25, 1/0.35)    erfc(x) = exp(−x² − 0.5625 + R1(1/x²)/S1(1/x²)) / x
//   [1/0.35, 28)      erfc(x) = exp(−x² − 0.5625 + R2(1/x²)/S2(1/x²)) / x
//   [28, ∞)           erfc(x) underflows to 0, erf(x) = 1
// With z = x truncated to 21 significant bits, −x² − 0.5625 + R/S = hi + lo where hi = −z² − 0.5625
// is exact and lo = (z − x)(z + x) + R/S, so the tail of erfc keeps full relative accuracy down to
// the subnormal range (x ≈ 26.5). Change from fdlibm: instead of exp(hi)·exp(lo) (two roundings,
// measured up to 2 ulp) this evaluates one e^(hi + lo) with both parts in the range reduction
// (vmath.ts). Measured error ≤ 1 ulp for erf and erfc (test/activation.test.ts).

import { vExpNeg2 } from "./vmath";

// @ts-ignore: decorator
@inline const ERX: f64 = 8.45062911510467529297e-01; // (float)erf(1)
// @ts-ignore: decorator
@inline const EFX: f64 = 1.28379167095512586316e-01; // 2/√π − 1
// @ts-ignore: decorator
@inline const EFX8: f64 = 1.02703333676410069053e+00; // 8·EFX

// Coefficients for erf on [0, 0.84375): R(z) = (PP0 + … + PP4 z⁴) / (1 + QQ1 z + … + QQ5 z⁵).
// @ts-ignore: decorator
@inline const PP0: f64 = 1.28379167095512558561e-01;
// @ts-ignore: decorator
@inline const PP1: f64 = -3.25042107247001499370e-01;
// @ts-ignore: decorator
@inline const PP2: f64 = -2.84817495755985104766e-02;
// @ts-ignore: decorator
@inline const PP3: f64 = -5.77027029648944159157e-03;
// @ts-ignore: decorator
@inline const PP4: f64 = -2.37630166566501626084e-05;
// @ts-ignore: decorator
@inline const QQ1: f64 = 3.97917223959155352819e-01;
// @ts-ignore: decorator
@inline const QQ2: f64 = 6.50222499887672944485e-02;
// @ts-ignore: decorator
@inline const QQ3: f64 = 5.08130628187576562776e-03;
// @ts-ignore: decorator
@inline const QQ4: f64 = 1.32494738004321644526e-04;
// @ts-ignore: decorator
@inline const QQ5: f64 = -3.96022827877536812320e-06;

// Coefficients for erf on [0.84375, 1.25): P1(s)/Q1(s), s = x − 1.
// @ts-ignore: decorator
@inline const PA0: f64 = -2.36211856075265944077e-03;
// @ts-ignore: decorator
@inline const PA1: f64 = 4.14856118683748331666e-01;
// @ts-ignore: decorator
@inline const PA2: f64 = -3.72207876035701323847e-01;
// @ts-ignore: decorator
@inline const PA3: f64 = 3.18346619901161753674e-01;
// @ts-ignore: decorator
@inline const PA4: f64 = -1.10894694282396677476e-01;
// @ts-ignore: decorator
@inline const PA5: f64 = 3.54783043256182359371e-02;
// @ts-ignore: decorator
@inline const PA6: f64 = -2.16637559486879084300e-03;
// @ts-ignore: decorator
@inline const QA1: f64 = 1.06420880400844228286e-01;
// @ts-ignore: decorator
@inline const QA2: f64 = 5.40397917702171048937e-01;
// @ts-ignore: decorator
@inline const QA3: f64 = 7.18286544141962662868e-02;
// @ts-ignore: decorator
@inline const QA4: f64 = 1.26171219808761642112e-01;
// @ts-ignore: decorator
@inline const QA5: f64 = 1.36370839120290507362e-02;
// @ts-ignore: decorator
@inline const QA6: f64 = 1.19844998467991074170e-02;

// Coefficients for erfc on [1.25, 1/0.35): R1(s)/S1(s), s = 1/x².
// @ts-ignore: decorator
@inline const RA0: f64 = -9.86494403484714822705e-03;
// @ts-ignore: decorator
@inline const RA1: f64 = -6.93858572707181764372e-01;
// @ts-ignore: decorator
@inline const RA2: f64 = -1.05586262253232909814e+01;
// @ts-ignore: decorator
@inline const RA3: f64 = -6.23753324503260060396e+01;
// @ts-ignore: decorator
@inline const RA4: f64 = -1.62396669462573470355e+02;
// @ts-ignore: decorator
@inline const RA5: f64 = -1.84605092906711035994e+02;
// @ts-ignore: decorator
@inline const RA6: f64 = -8.12874355063065934246e+01;
// @ts-ignore: decorator
@inline const RA7: f64 = -9.81432934416914548592e+00;
// @ts-ignore: decorator
@inline const SA1: f64 = 1.96512716674392571292e+01;
// @ts-ignore: decorator
@inline const SA2: f64 = 1.37657754143519042600e+02;
// @ts-ignore: decorator
@inline const SA3: f64 = 4.34565877475229228821e+02;
// @ts-ignore: decorator
@inline const SA4: f64 = 6.45387271733267880336e+02;
// @ts-ignore: decorator
@inline const SA5: f64 = 4.29008140027567833386e+02;
// @ts-ignore: decorator
@inline const SA6: f64 = 1.08635005541779435134e+02;
// @ts-ignore: decorator
@inline const SA7: f64 = 6.57024977031928170135e+00;
// @ts-ignore: decorator
@inline const SA8: f64 = -6.04244152148580987438e-02;

// Coefficients for erfc on [1/0.35, 28): R2(s)/S2(s), s = 1/x².
// @ts-ignore: decorator
@inline const RB0: f64 = -9.86494292470009928597e-03;
// @ts-ignore: decorator
@inline const RB1: f64 = -7.99283237680523006574e-01;
// @ts-ignore: decorator
@inline const RB2: f64 = -1.77579549177547519889e+01;
// @ts-ignore: decorator
@inline const RB3: f64 = -1.60636384855821916062e+02;
// @ts-ignore: decorator
@inline const RB4: f64 = -6.37566443368389627722e+02;
// @ts-ignore: decorator
@inline const RB5: f64 = -1.02509513161107724954e+03;
// @ts-ignore: decorator
@inline const RB6: f64 = -4.83519191608651397019e+02;
// @ts-ignore: decorator
@inline const SB1: f64 = 3.03380607434824582924e+01;
// @ts-ignore: decorator
@inline const SB2: f64 = 3.25792512996573918826e+02;
// @ts-ignore: decorator
@inline const SB3: f64 = 1.53672958608443695994e+03;
// @ts-ignore: decorator
@inline const SB4: f64 = 3.19985821950859553908e+03;
// @ts-ignore: decorator
@inline const SB5: f64 = 2.55305040643316442583e+03;
// @ts-ignore: decorator
@inline const SB6: f64 = 4.74528541206955367215e+02;
// @ts-ignore: decorator
@inline const SB7: f64 = -2.24409524465858183362e+01;

// @ts-ignore: decorator
@inline const INV_SQRT2: f64 = 0.7071067811865476; // 1/√2, rounded
// @ts-ignore: decorator
@inline const INV_SQRT2_LO: f64 = -4.833646656726457e-17; // 1/√2 − INV_SQRT2
// @ts-ignore: decorator
@inline const INV_SQRT_2PI: f64 = 0.39894228040143267794; // 1/√(2π)
// @ts-ignore: decorator
@inline const SQRT2: f64 = 1.4142135623730950488; // √2
// @ts-ignore: decorator
@inline const SPLIT_MASK: u64 = 0xFFFFFFFFF8000000; // keeps the top 26 significant bits

/** erf(x)/x − 1 = R(x²) for |x| < 0.84375 (rational approximation, error ≤ 2^−57.90). */
// @ts-ignore: decorator
@inline function erfSmall(x: f64): f64 {
  const z = x * x;
  const r = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
  const s = 1.0 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
  return r / s;
}

/** erf(1 + s) − erx = P1(s)/Q1(s) for 1 + s ∈ [0.84375, 1.25) (error ≤ 2^−59.06). */
// @ts-ignore: decorator
@inline function erfMid(s: f64): f64 {
  const p = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
  const q = 1.0 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
  return p / q;
}

/** erfc(x) = exp(−x² − 0.5625 + R(1/x²)/S(1/x²)) / x for x ∈ [1.25, 28). */
function erfcTail(x: f64): f64 {
  const s = 1.0 / (x * x);
  let r: f64, q: f64;
  if (x < 2.857142857142857) { // 1/0.35
    r = RA0 + s * (RA1 + s * (RA2 + s * (RA3 + s * (RA4 + s * (RA5 + s * (RA6 + s * RA7))))));
    q = 1.0 + s * (SA1 + s * (SA2 + s * (SA3 + s * (SA4 + s * (SA5 + s * (SA6 + s * (SA7 + s * SA8)))))));
  } else {
    r = RB0 + s * (RB1 + s * (RB2 + s * (RB3 + s * (RB4 + s * (RB5 + s * RB6)))));
    q = 1.0 + s * (SB1 + s * (SB2 + s * (SB3 + s * (SB4 + s * (SB5 + s * (SB6 + s * SB7))))));
  }
  // z = x with the low 32 bits cleared: −x² = −z² + (z − x)(z + x) with −z² − 0.5625 exact; fdlibm
  // multiplies exp(hi)·exp(lo), here one exp(hi + lo) with the two parts in its range reduction
  const z = reinterpret<f64>(reinterpret<u64>(x) & 0xFFFFFFFF00000000);
  const hi = -z * z - 0.5625;
  const lo = (z - x) * (z + x) + r / q;
  return f64x2.extract_lane(vExpNeg2(f64x2.splat(hi), f64x2.splat(lo)), 0) / x;
}

/** erf(x) = 2/√π ∫₀ˣ e^(−t²) dt (fdlibm s_erf.c, error ≤ 1 ulp). */
export function erf(x: f64): f64 {
  const ax = Math.abs(x);
  if (!(ax < 0.84375)) {
    if (ax < 1.25) return copysign<f64>(ERX + erfMid(ax - 1.0), x);
    if (ax < 6.0) return copysign<f64>(1.0 - erfcTail(ax), x);
    return x != x ? x : copysign<f64>(1.0, x); // NaN, or |erf| rounds to 1
  }
  if (ax < 3.725290298461914e-9) { // 2^−28: erf(x) = x + (2/√π − 1)x
    if (ax < 2.848094538889218e-306) return 0.125 * (8.0 * x + EFX8 * x); // avoid underflow
    return x + EFX * x;
  }
  return x + x * erfSmall(x);
}

/** erfc(x) = 1 − erf(x), with full relative accuracy in the right tail (fdlibm, ≤ 1 ulp). */
export function erfc(x: f64): f64 {
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 1.3877787807814457e-17) return 1.0 - x; // 2^−56
    const y = x * erfSmall(x);
    if (x < 0.25) return 1.0 - (x + y);
    return 0.5 - (y + (x - 0.5));
  }
  if (ax < 1.25) {
    const p = erfMid(ax - 1.0);
    return x > 0 ? (1.0 - ERX) - p : 1.0 + (ERX + p);
  }
  if (ax < 28.0) {
    if (x < -6.0) return 2.0; // 2 − erfc(6) rounds to 2
    const r = erfcTail(ax);
    return x > 0 ? r : 2.0 - r;
  }
  if (x != x) return x;
  return x > 0 ? 0.0 : 2.0;
}

/** φ(x) = e^(−x²/2)/√(2π), with x² split exactly so the tail keeps full relative accuracy. */
export function normalPdf(x: f64): f64 {
  if (!(Math.abs(x) < 39.0)) return x != x ? x : 0.0; // φ underflows for |x| ≥ 39; NaN stays NaN
  const xh = reinterpret<f64>(reinterpret<u64>(x) & SPLIT_MASK);
  const xl = x - xh;
  // −x²/2 = hi + lo, hi = −xh²/2 exact (26-bit xh), lo = −(xh·xl + xl²/2)
  const hi = -0.5 * xh * xh;
  const lo = -(xh * xl + 0.5 * xl * xl);
  return INV_SQRT_2PI * f64x2.extract_lane(vExpNeg2(f64x2.splat(hi), f64x2.splat(lo)), 0);
}

/**
 * Φ(x) = erfc(−x/√2)/2 given pdf = φ(x). The rounding of t = −x/√2 would cost |x|²·2^−53 of
 * relative accuracy in the left tail, so t = th + tl exactly and Φ = erfc(th)/2 − √2·tl·φ(x)
 * (first-order Taylor term of erfc at th; the next one is O(tl²)).
 */
export function normalCdfWithPdf(x: f64, pdf: f64): f64 {
  const th = -x * INV_SQRT2;
  if (!(Math.abs(x) < 39.0)) return 0.5 * erfc(th); // Φ is 0 or 1 there (or NaN); tl may be NaN
  const tl = twoProdErr(-x, INV_SQRT2, th) - x * INV_SQRT2_LO;
  return 0.5 * erfc(th) - SQRT2 * tl * pdf;
}

/** Φ(x) = P(N(0,1) ≤ x) = erfc(−x/√2)/2, accurate in both tails (never 1 − …). */
export function normalCdf(x: f64): f64 {
  return normalCdfWithPdf(x, normalPdf(x));
}

/** a·b − p exactly, for p = fl(a·b) (Dekker's product with 26-bit splitting; |a|, |b| < 2^995). */
function twoProdErr(a: f64, b: f64, p: f64): f64 {
  const ah = reinterpret<f64>(reinterpret<u64>(a) & SPLIT_MASK);
  const al = a - ah;
  const bh = reinterpret<f64>(reinterpret<u64>(b) & SPLIT_MASK);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}
