// Standard bivariate normal CDF BvN(h, k, ρ) = P(X < h, Y < k), corr(X, Y) = ρ ∈ [−1, 1], and its
// first and second partial derivatives with respect to (h, k, ρ).
//
// Value (Owen 1956, "Tables for computing bivariate normal probabilities", Ann. Math. Stat. 27):
//   BvN = Φ(h)/2 + Φ(k)/2 − T(h, (k − ρh)/(h s)) − T(k, (h − ρk)/(k s)) − β,  s = √(1 − ρ²),
//   β = 1/2 if h·k < 0 or (h·k = 0 and h + k < 0), else 0;  T(0, ±∞) = ±1/4 for h = 0 or k = 0;
//   h = k:  BvN = Φ(h) − 2T(h, √((1 − ρ)/(1 + ρ)));   ρ = 0: Φ(h)Φ(k);
//   ρ = 1:  Φ(min(h, k));   ρ = −1:  max(0, Φ(h) − Φ(−k)).
// Derivatives (φ₂ the bivariate normal density, q_h = (k − ρh)/s, q_k = (h − ρk)/s):
//   ∂h = φ(h)Φ(q_h),  ∂k = φ(k)Φ(q_k),  ∂ρ = φ₂ = φ(h)φ(q_h)/s,  ∂h∂k = φ₂,
//   ∂h∂h = −h ∂h − ρφ₂,  ∂h∂ρ = −φ₂ (h − ρk)/s²,  ∂ρ∂ρ = φ₂ [ρ/s² + (k − ρh)(h − ρk)/s⁴].
// Near |ρ| = 1 the numerators k − ρh are formed from ω = 1 − |ρ| as (k ∓ h) ± ωh, and s² = ω(2 − ω),
// so that callers who know ω more accurately than 1 − |ρ| (normalintegrals.ts) keep it.
// At ρ = ±1 the derivatives are the limits ρ → ±1 (∂h = φ(h)·1[k > h], ½ at k = h, for ρ = 1);
// the ρ-derivatives diverge on the line k = ±h there and are returned as 0.
import { normalCdf, normalPdf } from "./erf";
import { owent } from "./owent";

// @ts-ignore: decorator
// @ts-ignore: decorator
@inline const RHO_SPLIT: f64 = 0.5; // |ρ| above this forms k − ρh from ω = 1 − |ρ|
// @ts-ignore: decorator
@inline const HK_TINY: f64 = 1e-290; // |h| below this is taken as 0 (BvN moves by ≤ φ(0)|h|)

/** Output layout of bvnDerivs: value, (∂h, ∂k, ∂ρ), upper triangle (hh, hk, hρ, kk, kρ, ρρ). */
export const BVN_V: i32 = 0;
export const BVN_H: i32 = 1;
export const BVN_K: i32 = 2;
export const BVN_R: i32 = 3;
export const BVN_HH: i32 = 4;
export const BVN_HK: i32 = 5;
export const BVN_HR: i32 = 6;
export const BVN_KK: i32 = 7;
export const BVN_KR: i32 = 8;
export const BVN_RR: i32 = 9;

// @ts-ignore: decorator
@inline function put(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/** k − ρh, from ω = 1 − |ρ| when |ρ| is close to 1: (k − h) + ωh for ρ > 0, (k + h) − ωh for ρ < 0. */
// @ts-ignore: decorator
@inline export function kMinusRhoH(h: f64, k: f64, rho: f64, om: f64): f64 {
  if (rho > RHO_SPLIT) return (k - h) + om * h;
  if (rho < -RHO_SPLIT) return (k + h) - om * h;
  return k - rho * h;
}

/** P(−k < X < h) = Φ(h) − Φ(−k) ≥ 0; for k ≤ 0 (both limits ≥ 0) as Q(−k) − Q(h) = Φ(k) − Φ(−h). */
function bandProb(h: f64, k: f64): f64 {
  if (h <= -k) return 0;
  return k <= 0 ? normalCdf(k) - normalCdf(-h) : normalCdf(h) - normalCdf(-k);
}

/** BvN(h, k, ρ) given ω = 1 − |ρ| (ω = 0 means ρ = ±1). */
export function bvnOm(h: f64, k: f64, rho: f64, om: f64): f64 {
  if (h != h || k != k || rho != rho) return NaN;
  // (k − ρh)/(h s) must not underflow to 0/0: h·s ≥ 1e−290·√(ω(2 − ω)) > 0 for ω ≥ 2^−53
  if (Math.abs(h) < HK_TINY) h = 0;
  if (Math.abs(k) < HK_TINY) k = 0;
  if (om <= 0) return rho > 0 ? normalCdf(Math.min(h, k)) : bandProb(h, k);
  if (rho == 0) return normalCdf(h) * normalCdf(k);
  const opr = rho > 0 ? 2.0 - om : om; // 1 + ρ
  const omr = rho > 0 ? om : 2.0 - om; // 1 − ρ
  if (h == k) return normalCdf(h) - 2.0 * owent(h, Math.sqrt(omr / opr));
  const s = Math.sqrt(om * (2.0 - om));
  // T(h, (k − ρh)/(h s)); at h = 0 the argument is ±∞ (sign of k) and T(0, ±∞) = ±1/4
  const th = h == 0 ? copysign<f64>(0.25, k) : owent(h, kMinusRhoH(h, k, rho, om) / (h * s));
  const tk = k == 0 ? copysign<f64>(0.25, h) : owent(k, kMinusRhoH(k, h, rho, om) / (k * s));
  const neg = (h < 0 && k > 0) || (h > 0 && k < 0) || ((h == 0 || k == 0) && h + k < 0);
  return 0.5 * normalCdf(h) + 0.5 * normalCdf(k) - th - tk - (neg ? 0.5 : 0.0);
}

/** Standard bivariate normal CDF P(X < h, Y < k) with correlation ρ (clamped to [−1, 1]). */
export function bvn(h: f64, k: f64, rho: f64): f64 {
  rho = Math.max(-1.0, Math.min(1.0, rho));
  return bvnOm(h, k, rho, 1.0 - Math.abs(rho));
}

/** Value, gradient and upper-triangular Hessian of BvN in (h, k, ρ) into out[0..10), given ω = 1 − |ρ|. */
export function bvnDerivsOm(h: f64, k: f64, rho: f64, om: f64, out: usize): void {
  put(out, BVN_V, bvnOm(h, k, rho, om));
  const ph = normalPdf(h), pk = normalPdf(k);
  let ch: f64, ck: f64, p2: f64 = 0, dhr: f64 = 0, dkr: f64 = 0, drr: f64 = 0;
  if (om <= 0) {
    // limits ρ → ±1: Φ(q_h) → 1[k ≷ h] (½ on the line), φ₂ → 0 off the line (diverges on it)
    const dh = rho > 0 ? k - h : k + h;
    ch = dh > 0 ? 1.0 : dh == 0 ? 0.5 : 0.0;
    const dk = rho > 0 ? h - k : h + k;
    ck = dk > 0 ? 1.0 : dk == 0 ? 0.5 : 0.0;
  } else {
    const s2 = om * (2.0 - om);
    const s = Math.sqrt(s2);
    const nh = kMinusRhoH(h, k, rho, om); // k − ρh
    const nk = kMinusRhoH(k, h, rho, om); // h − ρk
    ch = normalCdf(nh / s);
    ck = normalCdf(nk / s);
    p2 = ph * normalPdf(nh / s) / s;
    if (p2 != 0) {
      dhr = -p2 * (nk / s2);
      dkr = -p2 * (nh / s2);
      drr = p2 * (rho / s2 + (nh / s2) * (nk / s2));
    }
  }
  const bh = ph * ch, bk = pk * ck;
  put(out, BVN_H, bh);
  put(out, BVN_K, bk);
  put(out, BVN_R, p2);
  put(out, BVN_HH, -h * bh - rho * p2);
  put(out, BVN_HK, p2);
  put(out, BVN_HR, dhr);
  put(out, BVN_KK, -k * bk - rho * p2);
  put(out, BVN_KR, dkr);
  put(out, BVN_RR, drr);
}

/**
 * BvN(h, k, ρ) and its derivatives: out[0] = value, out[1..4) = (∂h, ∂k, ∂ρ),
 * out[4..10) = (∂h∂h, ∂h∂k, ∂h∂ρ, ∂k∂k, ∂k∂ρ, ∂ρ∂ρ). ρ is clamped to [−1, 1].
 */
export function bvnDerivs(h: f64, k: f64, rho: f64, out: usize): void {
  rho = Math.max(-1.0, Math.min(1.0, rho));
  bvnDerivsOm(h, k, rho, 1.0 - Math.abs(rho), out);
}
