// Gaussian integrals of activations (inventory §b.4), the building blocks of NetI. With ξ, η standard
// normals of correlation u, h = rξ + b, h₁ = r₁ξ + b₁, h₂ = r₂η + b₂:
//   M(f, r, b)  = E f(h),   G1(f, r, b) = E f(h)²,   G2(f₁, r₁, b₁, f₂, r₂, b₂, u) = E f₁(h₁) f₂(h₂),
// each with its gradient and Hessian.
//
// Output layouts (f64):
//   1-D (M, G1), variables (r, b):   [v, ∂r, ∂b, ∂r∂r, ∂r∂b, ∂b∂b]                          (6)
//   2-D (G2), variables (r₁, b₁, r₂, b₂, u) = 0..4:
//     [v, ∂r₁, ∂b₁, ∂r₂, ∂b₂, ∂u, H₀₀ H₀₁ H₀₂ H₀₃ H₀₄, H₁₁ H₁₂ H₁₃ H₁₄, H₂₂ H₂₃ H₂₄, H₃₃ H₃₄, H₄₄]  (21)
//   i.e. value, gradient, upper triangle of the Hessian row by row. `derivs` = 0, 1, 2 writes the
//   first 1, 1 + #vars or all entries.
//
// Closed forms (any sign of r; u is clamped to [−1, 1]):
//   relu (f₁ = f₂ = relu): G2 = r₁r₂ g(x, y, u) with x = b₁/r₁, y = b₂/r₂ (r > 0 after the sign
//     reflection r → −r, u → −u), g = E(ξ+x)⁺(η+y)⁺ = u′²φ₂ + (xy + u)P + xA₂ + yA₁, where
//     P = BvN(x, y, u), A₁ = φ(x)Φ((y − ux)/u′), A₂ = φ(y)Φ((x − uy)/u′), u′ = √(1 − u²), and every
//     derivative is a Stein/Price identity in these terms (see reluG2Random); M and G1 likewise.
//     A unit with b/r > 40 is linear (relu(h) = h up to probability Φ(−40) = 0 in double), with
//     b/r < −40 identically 0: these cases, which include r = 0, have their own exact formulas.
//   normal_cdf / sigmoid2 (f = αΦ + β, α = 1, β = 0 or α = 2, β = −1; also mixed pairs):
//     E Φ(h₁)Φ(h₂) = BvN(b₁/n₁, b₂/n₂, u r₁r₂/(n₁n₂)), n = √(1 + r²), M = Φ(b/n), and
//     G1 = G2 on the diagonal (r₂, b₂, u) = (r, b, 1) = Φ(h) − 2T(h, 1/√(1 + 2r²)); all derivatives by
//     the chain rule through (h, k, ρ) and the BvN derivatives of bvn.ts. Smooth everywhere.
// Quadrature otherwise (also available for every kind as quadM/quadG1/quadG2), with rule = 0 adaptive:
//   - 1-D: the trapezoidal rule xᵢ = ih, wᵢ = hφ(ih) with the step and range of quadrule.ts (the
//     largest step at which the poles or growth of f(rξ + b) leave an error below e^{−LN_TOL});
//   - 2-D, |u| ≤ MEHLER_U: Mehler's series Σ uⁿ AₙBₙ over 1-D Hermite coefficients (mehlerG2);
//   - 2-D otherwise: whitened coordinates ξ, ζ (η = uξ + u′ζ) with a step per direction
//     (adaptiveG2), on a lattice where every h₂ is shared by many nodes when that is cheaper (g2Lattice).
//   The derivatives are the exact integral's kinds of §b.4, e.g. ∂r₁ = E ξ f₁′f₂, ∂u = r₁r₂ E f₁′f₂′
//   (Price's theorem), ∂r₁∂u = r₂ E (f₁′ + r₁ξf₁″) f₂′, ∂u∂u = r₁²r₂² E f₁″f₂″, by the same rule;
//   measured against mpmath and independent Gauss–Legendre rules: ≲ 1e−13 relative (gauss.json,
//   neti.json).
//   - kinked f (relu mixed with others, selu with anything; f analytic on each side of 0, f′ jumps
//     by J there, f″ = smooth part + Jδ): composite Gauss–Legendre rules cut at the kinks (panelrule.ts)
//     instead of the trapezoid. 1-D: the rule cut at ξ₀ = −b/r (kink1). 2-D (kinkG2): the kinked unit
//     takes the ξ axis; with |u| ≤ MEHLER_U and f₂ smooth, Mehler's series with f₁'s coefficients on
//     that rule; otherwise rows ξᵢ of a rule cut at ξ₀, inner ζ sums by the trapezoid, or, for a kinked
//     f₂, in closed form (Φ, φ; a finer band of rows where f₂'s kink crosses the inner range); the
//     δ parts are point terms, e.g. ∂b₁∂b₁ ∋ J₁φ(ξ₀)/|r₁|·E[f₂ | ξ = ξ₀].
//     Measured against mpmath (kinked.json, neti.json) and relu's closed forms: ≲ 1e−13 relative.
// With a rule block of gaussRule (the original's pruned Gauss–Hermite rule of order N): h₂ on the
// correlated 2-D nodes (xᵢ, u xᵢ + u′ xⱼ) restricted to wᵢwⱼ ≥ threshold2, and every output the
// derivative of that discrete sum (so loss, gradient and Hessian are one function at every order; the
// u-entries are the discrete ones for u′ ≥ UP_DISCRETE, where their cancellation costs ≲ ε/u′², and
// the exact kinds above closer to |u| = 1). Accuracy of N = 600: ~1e−15 while the complex poles of
// f(rξ + b) stay ≳ 0.75 from the real ξ axis (tanh |r| ≲ 2, sigmoid/softplus |r| ≲ 4, g |r| ≲ 1);
// beyond, it degrades (tanh², r = 3: 3e−11, r = 5: 2e−6) unless N grows. Functions that grow like
// polynomials lose the pruned tail (≈ 1e−12·r⁶ of E (rξ + b)⁶), and the product pruning (threshold2)
// ~1e−14 of second moments.
//
// Limits: r = 0 gives the limit r → 0⁺, u = ±1 the limit |u| → 1; all outputs are finite. The only
// entries that genuinely diverge are those of the kinked kinds (relu, selu): ∂b∂b (and with it ∂b₁∂b₁
// of G2) ~ Jφ(0)/r at b = 0, r → 0, and ∂u∂u of G2 ~ 1/u′ at |u| → 1 when the kinks coincide (x = ±y);
// their δ parts are returned as 0 at r = 0 (or r < 1e−150, which keeps every output finite for
// |r| < 1e150) and at u′ = 0 exactly.
import { activate, ACT_RELU, ACT_NORMAL_CDF, ACT_SELU, ACT_SIGMOID2 } from "./activation";
import { erf, normalCdfWithPdf, normalPdf } from "./erf";
import { dot } from "./simd";
import { isKinked, radius, radiusAdd, radiusReset, stepAdd, stepAddGaussian, stepMax, stepReset } from "./quadrule";
import { bandSet, cutAdd, cutsReset, panelRule, PANEL_NODES_MAX } from "./panelrule";
import { bvnDerivsOm, bvnOm, kMinusRhoH, BVN_V, BVN_H, BVN_K, BVN_R, BVN_HH, BVN_HK, BVN_HR, BVN_KK, BVN_KR, BVN_RR } from "./bvn";

// @ts-ignore: decorator
@inline const RELU_XBIG: f64 = 40.0; // |b/r| beyond this: relu unit is linear or zero (Φ(−40) = 0)
// @ts-ignore: decorator
@inline const R_MIN: f64 = 1e-150; // below this 1/r is taken as 0 (entries that diverge like 1/r)
// @ts-ignore: decorator
@inline const UP_DISCRETE: f64 = 1e-4; // below this u′ the u-entries of a fixed rule are the exact integral's (see writeRows)
// @ts-ignore: decorator
@inline const INV_SQRT2: f64 = 0.70710678118654752440; // 1/√2

export const N1: i32 = 6; // entries of a 1-D output
export const N2: i32 = 21; // entries of a 2-D output
// 1-D layout
// @ts-ignore: decorator
@inline const I_V: i32 = 0;
// @ts-ignore: decorator
@inline const I_R: i32 = 1;
// @ts-ignore: decorator
@inline const I_B: i32 = 2;
// @ts-ignore: decorator
@inline const I_RR: i32 = 3;
// @ts-ignore: decorator
@inline const I_RB: i32 = 4;
// @ts-ignore: decorator
@inline const I_BB: i32 = 5;
// 2-D variables
// @ts-ignore: decorator
@inline const R1: i32 = 0;
// @ts-ignore: decorator
@inline const B1: i32 = 1;
// @ts-ignore: decorator
@inline const R2: i32 = 2;
// @ts-ignore: decorator
@inline const B2: i32 = 3;
// @ts-ignore: decorator
@inline const U: i32 = 4;

// Static work areas (the runtime has no allocator): one 2-D result, BvN derivatives, Jacobians of
// (h, k, ρ) with respect to the 5 variables and their Hessians.
const W21 = memory.data(8 * 21);
const W21B = memory.data(8 * 21);
const W6 = memory.data(8 * 6);
const BV = memory.data(8 * 10);
const JAC = memory.data(8 * 15); // J[α][p], α ∈ {h, k, ρ}
const HES = memory.data(8 * 45); // H_α(p, q) upper triangle, 15 per α

// @ts-ignore: decorator
@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}
/** Index of the Hessian entry (p, q), p ≤ q, in the 21-entry 2-D layout. */
// @ts-ignore: decorator
@inline function hix(p: i32, q: i32): i32 {
  return 6 + 5 * p - ((p * (p - 1)) >> 1) + (q - p);
}
/** Index of the symmetric Hessian entry (p, q) in any order. */
// @ts-ignore: decorator
@inline function hsym(p: i32, q: i32): i32 {
  return p <= q ? hix(p, q) : hix(q, p);
}
/** Index of H(p, q), p ≤ q, in a 15-entry upper triangle. */
// @ts-ignore: decorator
@inline function tix(p: i32, q: i32): i32 {
  return 5 * p - ((p * (p - 1)) >> 1) + (q - p);
}

/** Number of entries written for `derivs` (0, 1, 2) with `nvar` variables. */
function outCount(nvar: i32, derivs: i32): i32 {
  if (derivs <= 0) return 1;
  if (derivs == 1) return 1 + nvar;
  return 1 + nvar + ((nvar * (nvar + 1)) >> 1);
}

function clampU(u: f64): f64 {
  return u != u ? u : Math.max(-1.0, Math.min(1.0, u));
}

// ---------------------------------------------------------------------------------------------
// relu

// Standardised unit of reluUnit: x = b/r and 1/r (0 when r < R_MIN).
let unitX: f64 = 0;
let unitInv: f64 = 0;
// @ts-ignore: decorator
@inline const UNIT_ZERO: i32 = 0; // relu(h) = 0 a.s.
// @ts-ignore: decorator
@inline const UNIT_RANDOM: i32 = 1;
// @ts-ignore: decorator
@inline const UNIT_LINEAR: i32 = 2; // relu(h) = h a.s.

/** Classifies the relu unit rξ + b (r ≥ 0) and sets unitX, unitInv for a random one. */
function reluUnit(r: f64, b: f64): i32 {
  if (b > RELU_XBIG * r) return UNIT_LINEAR;
  if (b < -RELU_XBIG * r) return UNIT_ZERO;
  unitX = r > 0 ? b / r : 0.0; // r = b = 0: the limit r → 0⁺ along b = 0
  unitInv = r >= R_MIN ? 1.0 / r : 0.0;
  return UNIT_RANDOM;
}

/** E relu(rξ + b) = r φ(x) + bΦ(x), x = b/r; ∂r = φ(x), ∂b = Φ(x), ∂b∂b = φ(x)/r, ∂r∂b = −x φ(x)/r, ∂r∂r = x²φ(x)/r. */
function reluM(r: f64, b: f64, o: usize): void {
  const sr = r < 0 ? -1.0 : 1.0;
  r = Math.abs(r);
  memory.fill(o, 0, 8 * N1);
  const kind = reluUnit(r, b);
  if (kind == UNIT_LINEAR) {
    st(o, I_V, b); st(o, I_B, 1.0);
  } else if (kind == UNIT_RANDOM) {
    const x = unitX, pdf = normalPdf(x), cdf = normalCdfWithPdf(x, pdf);
    const q = pdf * unitInv; // φ(x)/r
    st(o, I_V, r * pdf + b * cdf);
    st(o, I_R, sr * pdf);
    st(o, I_B, cdf);
    st(o, I_RR, x * x * q);
    st(o, I_RB, -sr * x * q);
    st(o, I_BB, q);
  }
}

/** E relu(rξ + b)² = (r² + b²)Φ(x) + br φ(x); ∂r = 2rΦ, ∂b = 2M, ∂r∂r = 2(Φ − xφ), ∂r∂b = 2φ, ∂b∂b = 2Φ. */
function reluG1(r: f64, b: f64, o: usize): void {
  const sr = r < 0 ? -1.0 : 1.0;
  r = Math.abs(r);
  memory.fill(o, 0, 8 * N1);
  const kind = reluUnit(r, b);
  if (kind == UNIT_LINEAR) {
    st(o, I_V, r * r + b * b); st(o, I_R, sr * 2 * r); st(o, I_B, 2 * b);
    st(o, I_RR, 2.0); st(o, I_BB, 2.0);
  } else if (kind == UNIT_RANDOM) {
    const x = unitX, pdf = normalPdf(x), cdf = normalCdfWithPdf(x, pdf);
    st(o, I_V, (r * r + b * b) * cdf + b * r * pdf);
    st(o, I_R, sr * 2 * r * cdf);
    st(o, I_B, 2 * (r * pdf + b * cdf));
    st(o, I_RR, 2 * (cdf - x * pdf));
    st(o, I_RB, sr * 2 * pdf);
    st(o, I_BB, 2 * cdf);
  }
}

/** t/s for s ≥ 0, with the limit s → 0⁺ (±∞, or 0 for t = 0). */
function ratioLimit(t: f64, s: f64): f64 {
  if (s > 0) return t / s;
  return t > 0 ? Infinity : t < 0 ? -Infinity : 0.0;
}

/**
 * Both units random (r₁, r₂ ≥ 0, x = b₁/r₁, y = b₂/r₂ finite). With P, A₁, A₂ as in the header,
 * C₁ = E[(η + y)⁺ | ξ = −x] = u′φ(z₁) + (y − ux)Φ(z₁), z₁ = (y − ux)/u′, E₁ = u′²φ₂ = u′φ(x)φ(z₁):
 *   ∂r₁ = r₂(φ(x)C₁ + uP), ∂b₁ = r₂(yP + uA₁ + A₂), ∂u = r₁r₂P,
 *   ∂r₁∂r₁ = r₂x²φ(x)C₁/r₁, ∂r₁∂b₁ = −r₂xφ(x)C₁/r₁, ∂b₁∂b₁ = r₂φ(x)C₁/r₁,
 *   ∂r₁∂r₂ = u(P − xA₁ − yA₂) + E₁, ∂r₁∂b₂ = uA₂ + A₁, ∂b₁∂b₂ = P,
 *   ∂r₁∂u = r₂(P − xA₁), ∂b₁∂u = r₂A₁, ∂u∂u = r₁r₂φ₂ (and the same with 1 ↔ 2).
 */
function reluG2Random(r1: f64, x: f64, inv1: f64, r2: f64, y: f64, inv2: f64, u: f64, o: usize): void {
  const om = 1.0 - Math.abs(u);
  const up = Math.sqrt(om * (2.0 - om)); // u′ = √(1 − u²)
  const n1 = kMinusRhoH(x, y, u, om); // y − ux, from ω = 1 − |u| near |u| = 1
  const n2 = kMinusRhoH(y, x, u, om); // x − uy
  const z1 = ratioLimit(n1, up), z2 = ratioLimit(n2, up);
  const px = normalPdf(x), py = normalPdf(y);
  const pz1 = normalPdf(z1), pz2 = normalPdf(z2);
  const cz1 = normalCdfWithPdf(z1, pz1), cz2 = normalCdfWithPdf(z2, pz2);
  const P = bvnOm(x, y, u, om);
  const A1 = px * cz1, A2 = py * cz2;
  const C1 = up * pz1 + n1 * cz1, C2 = up * pz2 + n2 * cz2;
  const E1 = up * px * pz1;
  const phi2 = up > 0 ? px * pz1 / up : 0.0;
  const g = E1 + (x * y + u) * P + x * A2 + y * A1;
  st(o, 0, r1 * r2 * g);
  st(o, 1 + R1, r2 * (px * C1 + u * P));
  st(o, 1 + B1, r2 * (y * P + u * A1 + A2));
  st(o, 1 + R2, r1 * (py * C2 + u * P));
  st(o, 1 + B2, r1 * (x * P + u * A2 + A1));
  st(o, 1 + U, r1 * r2 * P);
  // products ordered so that a zero factor (x = 0, φ(x) = 0) is applied before 1/r
  const q1 = px * C1 * r2 * inv1, q2 = py * C2 * r1 * inv2;
  st(o, hix(R1, R1), x * x * px * C1 * r2 * inv1);
  st(o, hix(R1, B1), -x * px * C1 * r2 * inv1);
  st(o, hix(R1, R2), u * (P - x * A1 - y * A2) + E1);
  st(o, hix(R1, B2), u * A2 + A1);
  st(o, hix(R1, U), r2 * (P - x * A1));
  st(o, hix(B1, B1), q1);
  st(o, hix(B1, R2), u * A1 + A2);
  st(o, hix(B1, B2), P);
  st(o, hix(B1, U), r2 * A1);
  st(o, hix(R2, R2), y * y * py * C2 * r1 * inv2);
  st(o, hix(R2, B2), -y * py * C2 * r1 * inv2);
  st(o, hix(R2, U), r1 * (P - y * A2));
  st(o, hix(B2, B2), q2);
  st(o, hix(B2, U), r1 * A2);
  st(o, hix(U, U), r1 * r2 * phi2);
}

/**
 * Unit 1 linear (relu(h₁) = h₁), unit 2 random: G2 = E h₁ relu(h₂) = b₁M₂ + u r₁r₂Φ(y),
 * M₂ = r₂φ(y) + b₂Φ(y); with L = (b₁ − u r₁ y)φ(y)/r₂ the second derivatives in (r₂, b₂) are
 * ∂r₂∂r₂ = y²L, ∂r₂∂b₂ = −yL, ∂b₂∂b₂ = L.
 */
function reluG2Linear(r1: f64, b1: f64, r2: f64, b2: f64, y: f64, inv2: f64, u: f64, o: usize): void {
  const py = normalPdf(y), cy = normalCdfWithPdf(y, py);
  const m2 = r2 * py + b2 * cy;
  const e = cy - y * py; // E η² 1[η > −y]
  memory.fill(o, 0, 8 * N2);
  st(o, 0, b1 * m2 + u * r1 * r2 * cy);
  st(o, 1 + R1, u * r2 * cy);
  st(o, 1 + B1, m2);
  st(o, 1 + R2, b1 * py + u * r1 * e);
  st(o, 1 + B2, b1 * cy + u * r1 * py);
  st(o, 1 + U, r1 * r2 * cy);
  const L = (b1 - u * r1 * y) * py * inv2;
  const yL = y * (b1 - u * r1 * y) * py * inv2;
  st(o, hix(R1, R2), u * e);
  st(o, hix(R1, B2), u * py);
  st(o, hix(R1, U), r2 * cy);
  st(o, hix(B1, R2), py);
  st(o, hix(B1, B2), cy);
  st(o, hix(R2, R2), y * yL);
  st(o, hix(R2, B2), -yL);
  st(o, hix(R2, U), r1 * e);
  st(o, hix(B2, B2), L);
  st(o, hix(B2, U), r1 * py);
}

/** Both units linear: G2 = E h₁h₂ = b₁b₂ + u r₁r₂. */
function reluG2BothLinear(r1: f64, b1: f64, r2: f64, b2: f64, u: f64, o: usize): void {
  memory.fill(o, 0, 8 * N2);
  st(o, 0, b1 * b2 + u * r1 * r2);
  st(o, 1 + R1, u * r2);
  st(o, 1 + B1, b2);
  st(o, 1 + R2, u * r1);
  st(o, 1 + B2, b1);
  st(o, 1 + U, r1 * r2);
  st(o, hix(R1, R2), u);
  st(o, hix(R1, U), r2);
  st(o, hix(B1, B2), 1.0);
  st(o, hix(R2, U), r1);
}

/** Copies a 2-D result computed with the units exchanged, (r₂, b₂, r₁, b₁, u), into (r₁, b₁, r₂, b₂, u) order. */
function swapUnits(src: usize, o: usize): void {
  st(o, 0, ld(src, 0));
  for (let p = 0; p < 5; p++) {
    st(o, 1 + p, ld(src, 1 + swapVar(p)));
    for (let q = p; q < 5; q++) st(o, hix(p, q), ld(src, hsym(swapVar(p), swapVar(q))));
  }
}

/** The variable of the other unit: r₁ ↔ r₂, b₁ ↔ b₂, u ↔ u. */
// @ts-ignore: decorator
@inline function swapVar(p: i32): i32 {
  return p == U ? U : p ^ 2;
}

/** Multiplies gradient entry p by d_p and Hessian entry (p, q) by d_p d_q for d = (s₁, 1, s₂, 1, s₁s₂). */
function reflect2(o: usize, s1: f64, s2: f64): void {
  if (s1 > 0 && s2 > 0) return;
  const d0 = s1, d2 = s2, d4 = s1 * s2;
  st(o, 1 + R1, d0 * ld(o, 1 + R1));
  st(o, 1 + R2, d2 * ld(o, 1 + R2));
  st(o, 1 + U, d4 * ld(o, 1 + U));
  st(o, hix(R1, B1), d0 * ld(o, hix(R1, B1)));
  st(o, hix(R1, R2), d0 * d2 * ld(o, hix(R1, R2)));
  st(o, hix(R1, B2), d0 * ld(o, hix(R1, B2)));
  st(o, hix(R1, U), d0 * d4 * ld(o, hix(R1, U)));
  st(o, hix(B1, R2), d2 * ld(o, hix(B1, R2)));
  st(o, hix(B1, U), d4 * ld(o, hix(B1, U)));
  st(o, hix(R2, B2), d2 * ld(o, hix(R2, B2)));
  st(o, hix(R2, U), d2 * d4 * ld(o, hix(R2, U)));
  st(o, hix(B2, U), d4 * ld(o, hix(B2, U)));
}

/** E relu(h₁) relu(h₂) with gradient and Hessian, any sign of r₁, r₂ (h₁ = r₁ξ + b₁ = |r₁|(±ξ) + b₁). */
function reluG2(r1: f64, b1: f64, r2: f64, b2: f64, u: f64, o: usize): void {
  const s1 = r1 < 0 ? -1.0 : 1.0, s2 = r2 < 0 ? -1.0 : 1.0;
  r1 = Math.abs(r1);
  r2 = Math.abs(r2);
  u = clampU(s1 * s2 * u);
  const k1 = reluUnit(r1, b1);
  const x = unitX, inv1 = unitInv;
  const k2 = reluUnit(r2, b2);
  const y = unitX, inv2 = unitInv;
  if (k1 == UNIT_ZERO || k2 == UNIT_ZERO) {
    memory.fill(o, 0, 8 * N2);
  } else if (k1 == UNIT_LINEAR && k2 == UNIT_LINEAR) {
    reluG2BothLinear(r1, b1, r2, b2, u, o);
  } else if (k1 == UNIT_LINEAR) {
    reluG2Linear(r1, b1, r2, b2, y, inv2, u, o);
  } else if (k2 == UNIT_LINEAR) {
    reluG2Linear(r2, b2, r1, b1, x, inv1, u, W21B);
    swapUnits(W21B, o);
  } else {
    reluG2Random(r1, x, inv1, r2, y, inv2, u, o);
  }
  reflect2(o, s1, s2);
}

// ---------------------------------------------------------------------------------------------
// normal_cdf and sigmoid2: f = αΦ + β

/** (α, β) of f = αΦ + β for normal_cdf (1, 0) and sigmoid2 = 2Φ − 1 (2, −1). */
function phiAlpha(kind: i32): f64 {
  return kind == ACT_SIGMOID2 ? 2.0 : 1.0;
}
function phiBeta(kind: i32): f64 {
  return kind == ACT_SIGMOID2 ? -1.0 : 0.0;
}

/** M = αΦ(h) + β, h = b/n, n = √(1 + r²): ∇M = αφ(h)∇h, ∇²M = αφ(h)(∇²h − h∇h∇hᵀ). */
function phiM(kind: i32, r: f64, b: f64, o: usize): void {
  const al = phiAlpha(kind);
  const n = Math.hypot(1.0, r);
  const h = b / n;
  const n3 = n * n * n;
  const hr = -b * r / n3, hb = 1.0 / n;
  const hrr = -b * (1.0 - 2.0 * r * r) / (n3 * n * n), hrb = -r / n3;
  const ph = normalPdf(h);
  const a = al * ph;
  st(o, I_V, kind == ACT_SIGMOID2 ? erf(h * INV_SQRT2) : normalCdfWithPdf(h, ph));
  st(o, I_R, a * hr);
  st(o, I_B, a * hb);
  st(o, I_RR, a * (hrr - h * hr * hr));
  st(o, I_RB, a * (hrb - h * hr * hb));
  st(o, I_BB, a * (-h * hb * hb));
}

/**
 * E f₁(h₁)f₂(h₂) for fᵢ = αᵢΦ + βᵢ: α₁α₂B + α₁β₂Φ(h) + β₁α₂Φ(k) + β₁β₂ with B = BvN(h, k, ρ),
 * h = b₁/n₁, k = b₂/n₂, ρ = u c₁c₂, cᵢ = rᵢ/nᵢ (c′ = 1/n³, c″ = −3r/n⁵), by the chain rule
 * ∇G = Σ_α B_α ∇α, ∇²G = Σ_αβ B_αβ ∇α∇βᵀ + Σ_α B_α ∇²α over α ∈ {h, k, ρ}.
 */
function phiG2(kind1: i32, r1: f64, b1: f64, kind2: i32, r2: f64, b2: f64, u: f64, o: usize): void {
  const al1 = phiAlpha(kind1), be1 = phiBeta(kind1), al2 = phiAlpha(kind2), be2 = phiBeta(kind2);
  u = clampU(u);
  const n1 = Math.hypot(1.0, r1), n2 = Math.hypot(1.0, r2);
  const h = b1 / n1, k = b2 / n2;
  const c1 = r1 / n1, c2 = r2 / n2;
  const ar1 = Math.abs(r1), ar2 = Math.abs(r2);
  // 1 − |ρ| without cancellation: 1 − |c| = 1/(n(n + |r|)), 1 − |u c₁ c₂| = (1 − |u|) + |u|(1 − |c₁c₂|)
  const om1 = 1.0 / (n1 * (n1 + ar1)), om2 = 1.0 / (n2 * (n2 + ar2));
  const omc = om1 + Math.abs(c1) * om2;
  const au = Math.abs(u);
  const omr = (1.0 - au) + au * omc;
  const rho = u * c1 * c2;
  bvnDerivsOm(h, k, rho, omr, BV);
  // f = αΦ + β corrections on B and its (h, k) derivatives
  const ph = normalPdf(h), pk = normalPdf(k);
  const a12 = al1 * al2;
  const bh = al1 * be2, bk = be1 * al2;
  const B0 = a12 * ld(BV, BVN_V) + bh * normalCdfWithPdf(h, ph) + bk * normalCdfWithPdf(k, pk) + be1 * be2;
  st(BV, BVN_V, B0);
  st(BV, BVN_H, a12 * ld(BV, BVN_H) + bh * ph);
  st(BV, BVN_K, a12 * ld(BV, BVN_K) + bk * pk);
  st(BV, BVN_R, a12 * ld(BV, BVN_R));
  st(BV, BVN_HH, a12 * ld(BV, BVN_HH) - bh * h * ph);
  st(BV, BVN_HK, a12 * ld(BV, BVN_HK));
  st(BV, BVN_HR, a12 * ld(BV, BVN_HR));
  st(BV, BVN_KK, a12 * ld(BV, BVN_KK) - bk * k * pk);
  st(BV, BVN_KR, a12 * ld(BV, BVN_KR));
  st(BV, BVN_RR, a12 * ld(BV, BVN_RR));
  // Jacobians and Hessians of h(r₁, b₁), k(r₂, b₂), ρ(r₁, r₂, u)
  memory.fill(JAC, 0, 8 * 15);
  memory.fill(HES, 0, 8 * 45);
  const n13 = n1 * n1 * n1, n23 = n2 * n2 * n2;
  const n15 = n13 * n1 * n1, n25 = n23 * n2 * n2;
  st(JAC, R1, -b1 * r1 / n13);
  st(JAC, B1, 1.0 / n1);
  st(HES, tix(R1, R1), -b1 * (1.0 - 2.0 * r1 * r1) / n15);
  st(HES, tix(R1, B1), -r1 / n13);
  st(JAC, 5 + R2, -b2 * r2 / n23);
  st(JAC, 5 + B2, 1.0 / n2);
  st(HES, 15 + tix(R2, R2), -b2 * (1.0 - 2.0 * r2 * r2) / n25);
  st(HES, 15 + tix(R2, B2), -r2 / n23);
  const d1 = 1.0 / n13, d2 = 1.0 / n23; // c′
  const e1 = -3.0 * r1 / n15, e2 = -3.0 * r2 / n25; // c″
  st(JAC, 10 + R1, u * d1 * c2);
  st(JAC, 10 + R2, u * c1 * d2);
  st(JAC, 10 + U, c1 * c2);
  st(HES, 30 + tix(R1, R1), u * e1 * c2);
  st(HES, 30 + tix(R1, R2), u * d1 * d2);
  st(HES, 30 + tix(R1, U), d1 * c2);
  st(HES, 30 + tix(R2, R2), u * c1 * e2);
  st(HES, 30 + tix(R2, U), c1 * d2);
  chainBvn(o);
}

/** B entry (α, β) of the symmetric 3×3 second-derivative matrix in BV. */
function bv2(a: i32, b: i32): f64 {
  if (a > b) { const t = a; a = b; b = t; }
  if (a == 0) return ld(BV, b == 0 ? BVN_HH : b == 1 ? BVN_HK : BVN_HR);
  if (a == 1) return ld(BV, b == 1 ? BVN_KK : BVN_KR);
  return ld(BV, BVN_RR);
}

/** out = value, gradient, Hessian of B(h, k, ρ) composed with (JAC, HES). */
function chainBvn(o: usize): void {
  st(o, 0, ld(BV, BVN_V));
  for (let p = 0; p < 5; p++) {
    let g: f64 = 0;
    for (let a = 0; a < 3; a++) g += ld(BV, BVN_H + a) * ld(JAC, 5 * a + p);
    st(o, 1 + p, g);
  }
  for (let p = 0; p < 5; p++) {
    for (let q = p; q < 5; q++) {
      let s: f64 = 0;
      for (let a = 0; a < 3; a++) {
        const jap = ld(JAC, 5 * a + p);
        s += ld(BV, BVN_H + a) * ld(HES, 15 * a + tix(p, q));
        if (jap == 0) continue;
        for (let b = 0; b < 3; b++) s += bv2(a, b) * jap * ld(JAC, 5 * b + q);
      }
      st(o, hix(p, q), s);
    }
  }
}

/** G1 = G2 on the diagonal (r₂, b₂, u) = (r₁, b₁, 1): ∂r = ∂r₁ + ∂r₂, ∂r∂r = H₀₀ + 2H₀₂ + H₂₂, … */
function foldDiagonal(src: usize, o: usize): void {
  st(o, I_V, ld(src, 0));
  st(o, I_R, ld(src, 1 + R1) + ld(src, 1 + R2));
  st(o, I_B, ld(src, 1 + B1) + ld(src, 1 + B2));
  st(o, I_RR, ld(src, hix(R1, R1)) + 2 * ld(src, hix(R1, R2)) + ld(src, hix(R2, R2)));
  st(o, I_RB, ld(src, hix(R1, B1)) + ld(src, hix(R1, B2)) + ld(src, hix(B1, R2)) + ld(src, hix(R2, B2)));
  st(o, I_BB, ld(src, hix(B1, B1)) + 2 * ld(src, hix(B1, B2)) + ld(src, hix(B2, B2)));
}

// ---------------------------------------------------------------------------------------------
// Gauss–Hermite quadrature (rule block of gaussRule: [n, threshold2, x[n], w[n]])

/**
 * f, f′, f″ at the 1-D rule's nodes h = r·xᵢ + b: scratch holds [h, f, f′, f″] (n each). Returns n.
 */
function activateOnNodes(kind: i32, coef: usize, ncoef: i32, r: f64, b: f64, rule: usize, derivs: i32, scratch: usize): i32 {
  const n = <i32>load<f64>(rule);
  const xs = rule + 16;
  const z = scratch, f = z + (<usize>n << 3), d = f + (<usize>n << 3), dd = d + (<usize>n << 3);
  for (let i = 0; i < n; i++) st(z, i, r * ld(xs, i) + b);
  activate(kind, coef, ncoef, z, f, d, dd, n, derivs);
  return n;
}

/** E f(h) and its (r, b) derivatives by the 1-D rule: Σw f, Σw x f′, Σw f′, Σw x² f″, Σw x f″, Σw f″. */
function quadMInto(kind: i32, coef: usize, ncoef: i32, r: f64, b: f64, rule: usize, derivs: i32, o: usize, scratch: usize): void {
  const n = activateOnNodes(kind, coef, ncoef, r, b, rule, derivs, scratch);
  const xs = rule + 16, ws = xs + (<usize>n << 3);
  const f = scratch + (<usize>n << 3), d = f + (<usize>n << 3), dd = d + (<usize>n << 3);
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0, s4: f64 = 0, s5: f64 = 0;
  for (let i = 0; i < n; i++) {
    const w = ld(ws, i), x = ld(xs, i);
    s0 += w * ld(f, i);
    if (derivs >= 1) {
      const wd = w * ld(d, i);
      s1 += x * wd; s2 += wd;
    }
    if (derivs >= 2) {
      const wdd = w * ld(dd, i);
      s3 += x * x * wdd; s4 += x * wdd; s5 += wdd;
    }
  }
  st(o, I_V, s0); st(o, I_R, s1); st(o, I_B, s2); st(o, I_RR, s3); st(o, I_RB, s4); st(o, I_BB, s5);
}

/** E f(h)² by the 1-D rule: Σw f², 2Σw x f f′, 2Σw f f′, 2Σw x²(f f″ + f′²), 2Σw x (…), 2Σw (…). */
function quadG1Into(kind: i32, coef: usize, ncoef: i32, r: f64, b: f64, rule: usize, derivs: i32, o: usize, scratch: usize): void {
  const n = activateOnNodes(kind, coef, ncoef, r, b, rule, derivs, scratch);
  const xs = rule + 16, ws = xs + (<usize>n << 3);
  const f = scratch + (<usize>n << 3), d = f + (<usize>n << 3), dd = d + (<usize>n << 3);
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0, s4: f64 = 0, s5: f64 = 0;
  for (let i = 0; i < n; i++) {
    const w = ld(ws, i), x = ld(xs, i), fi = ld(f, i);
    s0 += w * fi * fi;
    if (derivs >= 1) {
      const wd = w * fi * ld(d, i);
      s1 += x * wd; s2 += wd;
    }
    if (derivs >= 2) {
      const di = ld(d, i);
      const wdd = w * (fi * ld(dd, i) + di * di);
      s3 += x * x * wdd; s4 += x * wdd; s5 += wdd;
    }
  }
  st(o, I_V, s0); st(o, I_R, 2 * s1); st(o, I_B, 2 * s2); st(o, I_RR, 2 * s3); st(o, I_RB, 2 * s4); st(o, I_BB, 2 * s5);
}

// Accumulators of the 2-D sums, one row ξ = xᵢ at a time (addRow): with Wᵢ = wᵢ·(f₁, f₁′, f₁″)(h₁)
// = (F, D, DD) and the inner sums over j of w_j·(f₂, f₂′, f₂″, η f₂′, η f₂″, η² f₂″)(h₂)
// = (a₀, a₁, a₂, β₁, β₂, γ₂), η = u xᵢ + u′ζ_j.
let sV: f64 = 0, sR1: f64 = 0, sB1: f64 = 0, sR2: f64 = 0, sB2: f64 = 0, sE11: f64 = 0;
let sR1R1: f64 = 0, sR1B1: f64 = 0, sR1R2: f64 = 0, sR1B2: f64 = 0, sXDD: f64 = 0;
let sB1B1: f64 = 0, sB1R2: f64 = 0, sDD1: f64 = 0;
let sR2R2: f64 = 0, sR2B2: f64 = 0, sEtaDD: f64 = 0, sB2B2: f64 = 0, sDD2: f64 = 0, sDDDD: f64 = 0;
// discrete u-derivative sums (see writeRows): ∂η/∂u = (xᵢ − uη)/u′², ∂²η/∂u² = −(η − u xᵢ)/u′⁴
let tP1: f64 = 0, tQ1: f64 = 0, tQ2: f64 = 0, tP2: f64 = 0, tP3: f64 = 0, tP4: f64 = 0, tP5: f64 = 0;

function rowsReset(): void {
  sV = 0; sR1 = 0; sB1 = 0; sR2 = 0; sB2 = 0; sE11 = 0;
  sR1R1 = 0; sR1B1 = 0; sR1R2 = 0; sR1B2 = 0; sXDD = 0; sB1B1 = 0; sB1R2 = 0; sDD1 = 0;
  sR2R2 = 0; sR2B2 = 0; sEtaDD = 0; sB2B2 = 0; sDD2 = 0; sDDDD = 0;
  tP1 = 0; tQ1 = 0; tQ2 = 0; tP2 = 0; tP3 = 0; tP4 = 0; tP5 = 0;
}

/** Adds row i (node xᵢ, weighted f₁ terms F, D, DD) with its inner sums to the accumulators. */
function addRow(F: f64, D: f64, DD: f64, xi: f64, a0: f64, a1: f64, a2: f64, bb1: f64, bb2: f64, cc2: f64,
  derivs: i32, discrete: bool, u: f64): void {
  sV += F * a0;
  if (derivs < 1) return;
  sR1 += xi * D * a0; sB1 += D * a0; sR2 += F * bb1; sB2 += F * a1; sE11 += D * a1;
  const e1 = xi * a1 - u * bb1; // Σ w f₂′ (xᵢ − uη)
  if (discrete) tP1 += F * e1;
  if (derivs < 2) return;
  sR1R1 += xi * xi * DD * a0; sR1B1 += xi * DD * a0; sR1R2 += xi * D * bb1; sR1B2 += xi * D * a1;
  sXDD += xi * DD * a1; sB1B1 += DD * a0; sB1R2 += D * bb1; sDD1 += DD * a1;
  sR2R2 += F * cc2; sR2B2 += F * bb2; sEtaDD += D * bb2; sB2B2 += F * a2; sDD2 += D * a2; sDDDD += DD * a2;
  if (discrete) {
    tQ1 += xi * D * e1; tQ2 += D * e1;
    tP2 += F * (xi * a2 - u * bb2);
    tP3 += F * (xi * bb2 - u * cc2);
    tP4 += F * (xi * xi * a2 - 2.0 * u * xi * bb2 + u * u * cc2);
    tP5 += F * (bb1 - u * xi * a1);
  }
}

/**
 * Writes the 2-D result. The u-entries are, with `discrete` (and u′ ≥ UP_DISCRETE), derivatives of
 * the discrete sum Σ wᵢw_j f₁(r₁xᵢ + b₁) f₂(r₂η + b₂), η = u xᵢ + u′ζ_j:
 *   ∂u = r₂ Σ f₁f₂′ η_u,  ∂r₁∂u = r₂ Σ xᵢ f₁′f₂′ η_u,  ∂b₁∂u = r₂ Σ f₁′f₂′ η_u,  ∂b₂∂u = r₂ Σ f₁f₂″ η_u,
 *   ∂r₂∂u = Σ f₁(f₂′ + r₂η f₂″) η_u,  ∂u∂u = Σ f₁(r₂² f₂″ η_u² + r₂ f₂′ η_uu);
 * otherwise the Price/Stein forms of the exact integral (§b.4): ∂u = r₁r₂ E f₁′f₂′, ∂r₁∂u =
 * r₂ E(f₁′ + r₁ξf₁″)f₂′, ∂u∂u = r₁²r₂² E f₁″f₂″, … (the two agree when the rule is exact).
 */
function writeRows(o: usize, r1: f64, r2: f64, up: f64, derivs: i32, discrete: bool): void {
  memory.fill(o, 0, 8 * N2);
  st(o, 0, sV);
  if (derivs < 1) return;
  const d = discrete && up >= UP_DISCRETE;
  const q2 = d ? 1.0 / (up * up) : 0.0, q4 = q2 * q2;
  st(o, 1 + R1, sR1); st(o, 1 + B1, sB1); st(o, 1 + R2, sR2); st(o, 1 + B2, sB2);
  st(o, 1 + U, d ? r2 * tP1 * q2 : r1 * r2 * sE11);
  if (derivs < 2) return;
  st(o, hix(R1, R1), sR1R1); st(o, hix(R1, B1), sR1B1); st(o, hix(R1, R2), sR1R2); st(o, hix(R1, B2), sR1B2);
  st(o, hix(B1, B1), sB1B1); st(o, hix(B1, R2), sB1R2); st(o, hix(B1, B2), sE11);
  st(o, hix(R2, R2), sR2R2); st(o, hix(R2, B2), sR2B2); st(o, hix(B2, B2), sB2B2);
  if (d) {
    st(o, hix(R1, U), r2 * tQ1 * q2);
    st(o, hix(B1, U), r2 * tQ2 * q2);
    st(o, hix(R2, U), (tP1 + r2 * tP3) * q2);
    st(o, hix(B2, U), r2 * tP2 * q2);
    st(o, hix(U, U), (r2 * r2 * tP4 - r2 * tP5) * q4);
  } else {
    st(o, hix(R1, U), r2 * (sE11 + r1 * sXDD));
    st(o, hix(B1, U), r1 * r2 * sDD1);
    st(o, hix(R2, U), r1 * (sE11 + r2 * sEtaDD));
    st(o, hix(B2, U), r1 * r2 * sDD2);
    st(o, hix(U, U), r1 * r1 * r2 * r2 * sDDDD);
  }
}

/**
 * E f₁(h₁)f₂(h₂) by a 2-D rule: ξ = xᵢ of ruleX, η = u xᵢ + u′ζ_j with ζ_j of ruleZ, node pairs
 * restricted to wᵢw_j ≥ thr. f₂ is evaluated row by row. Scratch: 4·nX + 4·nZ f64.
 */
function g2Rows(kind1: i32, coef1: usize, ncoef1: i32, kind2: i32, coef2: usize, ncoef2: i32,
  r1: f64, b1: f64, r2: f64, b2: f64, u: f64, ruleX: usize, ruleZ: usize, thr: f64, discrete: bool,
  derivs: i32, o: usize, scratch: usize): void {
  const n = <i32>load<f64>(ruleX), nz = <i32>load<f64>(ruleZ);
  const xs = ruleX + 16, ws = xs + (<usize>n << 3);
  const zs = ruleZ + 16, wz = zs + (<usize>nz << 3);
  const nb = <usize>n << 3, nzb = <usize>nz << 3;
  const f1 = scratch, d1 = f1 + nb, dd1 = d1 + nb;
  const z = dd1 + nb, f2 = z + nzb, d2 = f2 + nzb, dd2 = d2 + nzb;
  u = clampU(u);
  const up = Math.sqrt((1.0 - u) * (1.0 + u));
  for (let i = 0; i < n; i++) st(z, i, r1 * ld(xs, i) + b1);
  activate(kind1, coef1, ncoef1, z, f1, d1, dd1, n, derivs);
  rowsReset();
  for (let i = 0; i < n; i++) {
    const wi = ld(ws, i), xi = ld(xs, i);
    // contiguous range of j with wᵢw_j ≥ thr (weights are unimodal in j)
    let jlo = 0, jhi = nz - 1;
    while (jlo <= jhi && wi * ld(wz, jlo) < thr) jlo++;
    while (jhi >= jlo && wi * ld(wz, jhi) < thr) jhi--;
    const m = jhi - jlo + 1;
    if (m <= 0) continue;
    const c0 = b2 + r2 * u * xi, c1 = r2 * up;
    for (let j = 0; j < m; j++) st(z, j, c0 + c1 * ld(zs, jlo + j));
    activate(kind2, coef2, ncoef2, z, f2, d2, dd2, m, derivs);
    let a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, bb1: f64 = 0, bb2: f64 = 0, cc2: f64 = 0;
    const ux = u * xi;
    if (derivs == 0) {
      for (let j = 0; j < m; j++) a0 += ld(wz, jlo + j) * ld(f2, j);
    } else if (derivs == 1) {
      for (let j = 0; j < m; j++) {
        const w = ld(wz, jlo + j), eta = ux + up * ld(zs, jlo + j);
        const wd = w * ld(d2, j);
        a0 += w * ld(f2, j); a1 += wd; bb1 += eta * wd;
      }
    } else {
      for (let j = 0; j < m; j++) {
        const w = ld(wz, jlo + j), eta = ux + up * ld(zs, jlo + j);
        const wd = w * ld(d2, j), wdd = w * ld(dd2, j);
        a0 += w * ld(f2, j); a1 += wd; a2 += wdd;
        bb1 += eta * wd; bb2 += eta * wdd; cc2 += eta * eta * wdd;
      }
    }
    addRow(wi * ld(f1, i), derivs >= 1 ? wi * ld(d1, i) : 0.0, derivs >= 2 ? wi * ld(dd1, i) : 0.0, xi,
      a0, a1, a2, bb1, bb2, cc2, derivs, discrete, u);
  }
  writeRows(o, r1, r2, up, derivs, discrete);
}

/**
 * E f₁(h₁)f₂(h₂) by the pruned Gauss–Hermite rule block (both directions, pairs with
 * wᵢw_j ≥ threshold2); every derivative is a derivative of the discrete sum. Scratch: 8n f64.
 */
function quadG2Into(kind1: i32, coef1: usize, ncoef1: i32, kind2: i32, coef2: usize, ncoef2: i32,
  r1: f64, b1: f64, r2: f64, b2: f64, u: f64, rule: usize, derivs: i32, o: usize, scratch: usize): void {
  g2Rows(kind1, coef1, ncoef1, kind2, coef2, ncoef2, r1, b1, r2, b2, u, rule, rule, load<f64>(rule, 8), true, derivs, o, scratch);
}

// ---------------------------------------------------------------------------------------------
// Adaptive trapezoidal rule (rule = 0): steps and radius of quadrule.ts from (kind, r, b, u)

// @ts-ignore: decorator
@inline const TRAP_HALF_MAX: i32 = 1024; // nodes per half-line at most
// @ts-ignore: decorator
@inline const LATTICE_MAX: i32 = 8192; // lattice points of f₂ at most
// @ts-ignore: decorator
@inline const ACT_COST: f64 = 6.0; // one activation (with derivatives) in multiply–adds, for the choice of mode
// @ts-ignore: decorator
@inline const INV_SQRT_2PI: f64 = 0.3989422804014327; // 1/√(2π)
// @ts-ignore: decorator
@inline const LN_TOL_2D: f64 = 35.0; // −ln of the target error (as quadrule.ts)
// @ts-ignore: decorator
@inline const PI_: f64 = 3.141592653589793;
// @ts-ignore: decorator
@inline const LATTICE_C_MAX: i32 = 6; // largest ζ stride c of the lattice mode
// @ts-ignore: decorator
@inline const DISK: f64 = 0.785; // π/4: nodes of a disk per node of its bounding square
// @ts-ignore: decorator
@inline const RESYNC: i32 = 16; // exact exp every RESYNC nodes of the weight recurrence

/** Half-width n = ⌈L/h⌉ (capped at TRAP_HALF_MAX) of a trapezoidal rule of step h on [−L, L]. */
function trapHalf(h: f64, L: f64): i32 {
  return <i32>Math.min(<f64>TRAP_HALF_MAX, Math.ceil(L / h));
}

/**
 * A rule block [2n + 1, thr, x, w] of the trapezoidal rule xᵢ = ih, |i| ≤ n, wᵢ = hφ(ih):
 * φ((i + 1)h) = φ(ih)·e^{−h²(2i + 1)/2}, recomputed exactly every RESYNC nodes. Returns the block size in f64.
 */
function trapRule(h: f64, n: i32, rule: usize): i32 {
  const m = 2 * n + 1;
  store<f64>(rule, <f64>m);
  const xs = rule + 16, ws = xs + (<usize>m << 3);
  const e2 = Math.exp(-h * h);
  let v: f64 = h * INV_SQRT_2PI, q = Math.exp(-0.5 * h * h);
  st(xs, n, 0.0); st(ws, n, v);
  for (let i = 1; i <= n; i++) {
    if (i % RESYNC == 0) {
      const x = <f64>i * h;
      v = h * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
      q = Math.exp(-0.5 * h * h * <f64>(2 * i + 1));
    } else {
      v *= q;
      q *= e2;
    }
    const x = <f64>i * h;
    st(xs, n + i, x); st(xs, n - i, -x);
    st(ws, n + i, v); st(ws, n - i, v);
  }
  return 2 + 2 * m;
}

/** M (power 1) or G1 (power 2) by the adaptive 1-D trapezoidal rule. */
function adaptive1(kind: i32, coef: usize, ncoef: i32, r: f64, b: f64, power: i32, derivs: i32, o: usize, scratch: usize): void {
  stepReset(); radiusReset();
  stepAdd(kind, Math.abs(r), power);
  radiusAdd(kind, r, power);
  const L = radius();
  const n = trapHalf(stepMax(), L);
  const rule = scratch;
  const size = trapRule(L / <f64>n, n, rule);
  const work = scratch + (<usize>size << 3);
  if (power == 1) quadMInto(kind, coef, ncoef, r, b, rule, derivs, o, work);
  else quadG1Into(kind, coef, ncoef, r, b, rule, derivs, o, work);
}

/**
 * E f₁(h₁)f₂(h₂) by the adaptive trapezoidal rule in whitened coordinates (ξ, ζ), η = uξ + u′ζ, on the
 * disk ξ² + ζ² ≤ L². Steps: hξ resolves f₁(r₁ξ) and f₂(r₂uξ), hζ resolves f₂(r₂u′ζ). When
 * r₂u·hξ = m·r₂u′·hζ for an integer m (hζ shrunk, or hξ = m·(u′/|u|)·hζ, to make it so), every
 * h₂ = b₂ + r₂u′hζ·(m·sgn(u)·i + j) lies on one lattice: f₂ is evaluated once per lattice point
 * (g2Lattice); otherwise row by row (g2Rows), whichever costs fewer operations.
 */
function adaptiveG2(kind1: i32, coef1: usize, ncoef1: i32, kind2: i32, coef2: usize, ncoef2: i32,
  r1: f64, b1: f64, r2: f64, b2: f64, u: f64, derivs: i32, o: usize, scratch: usize): void {
  u = clampU(u);
  const up = Math.sqrt((1.0 - u) * (1.0 + u)), au = Math.abs(u);
  if (au <= MEHLER_U) {
    mehlerG2(kind1, coef1, ncoef1, kind2, coef2, ncoef2, r1, b1, r2, b2, u, derivs, o, scratch);
    return;
  }
  const s1 = Math.abs(r1), s2 = Math.abs(r2);
  radiusReset(); radiusAdd(kind1, r1, 1); radiusAdd(kind2, r2, 1);
  const L = radius();
  stepReset(); stepAdd(kind1, s1, 1); stepAdd(kind2, s2 * au, 1);
  const Hx = stepMax();
  stepReset(); stepAdd(kind2, s2 * up, 1);
  const Hz = stepMax();
  // direct: rows of the disk with f₂ on each node
  const nx = trapHalf(Hx, L), nz = trapHalf(Hz, L);
  const hx = L / <f64>nx, hz = L / <f64>nz;
  const costRows = DISK * <f64>(2 * nx + 1) * <f64>(2 * nz + 1) * (1.0 + ACT_COST);
  // lattice: r₂|u|hξ = a·Δ, r₂u′hζ = c·Δ for small integers a, c (a = 0 when u = 0)
  let best = Infinity, ba = 0, bc = 0, bhx: f64 = 0, bhz: f64 = 0;
  if (s2 > 0 && up > 0) {
    const lambda = au * Hx / (up * Hz); // a/c that keeps both steps at their maxima
    for (let c = 1; c <= LATTICE_C_MAX; c++) {
      for (let t = 0; t < 2; t++) {
        const a = au == 0 ? 0 : <i32>Math.max(1.0, t == 0 ? Math.floor(lambda * <f64>c) : Math.ceil(lambda * <f64>c));
        const delta = a == 0 ? s2 * up * Hz / <f64>c : Math.min(s2 * au * Hx / <f64>a, s2 * up * Hz / <f64>c);
        const lhx = a == 0 ? Hx : <f64>a * delta / (s2 * au), lhz = <f64>c * delta / (s2 * up);
        const lnx = Math.ceil(L / lhx), lnz = Math.ceil(L / lhz);
        const K = 2.0 * (<f64>a * lnx + <f64>c * lnz) + 1.0;
        if (lnx > <f64>TRAP_HALF_MAX || lnz > <f64>TRAP_HALF_MAX || K > <f64>LATTICE_MAX) continue;
        const cost = DISK * (2.0 * lnx + 1.0) * (2.0 * lnz + 1.0) + K * ACT_COST;
        if (cost < best) { best = cost; ba = a; bc = c; bhx = lhx; bhz = lhz; }
      }
    }
  }
  if (best < costRows) {
    g2Lattice(kind1, coef1, ncoef1, kind2, coef2, ncoef2, r1, b1, r2, b2, u, up, bhx, <i32>Math.ceil(L / bhx), bhz, <i32>Math.ceil(L / bhz), ba, bc, L, derivs, o, scratch);
  } else {
    const ruleX = scratch;
    const sx = trapRule(hx, nx, ruleX);
    const ruleZ = ruleX + (<usize>sx << 3);
    const sz = trapRule(hz, nz, ruleZ);
    const thr = diskThreshold(hx, hz, L);
    g2Rows(kind1, coef1, ncoef1, kind2, coef2, ncoef2, r1, b1, r2, b2, u, ruleX, ruleZ, thr, false, derivs, o, ruleZ + (<usize>sz << 3));
  }
}

// @ts-ignore: decorator
@inline const MEHLER_U: f64 = 0.3; // |u| up to which adaptiveG2 uses Mehler's expansion
// @ts-ignore: decorator
@inline const MEHLER_MAX: i32 = 64; // terms at most

/**
 * Mehler's expansion for small |u|: with hₙ = Heₙ/√n! (h₀ = 1, h₁ = x, h_{n+1} = (x hₙ − √n h_{n−1})/√(n+1)),
 *   E f₁(h₁)f₂(h₂) = Σₙ uⁿ Aₙ Bₙ,   Aₙ = E f₁(r₁ξ + b₁) hₙ(ξ),   Bₙ = E f₂(r₂η + b₂) hₙ(η),
 * truncated where |u|^(N+1)(N+1)²/(1 − |u|) < e^{−LN_TOL} (Σ Aₙ² = E f₁² bounds the tail). The
 * 1-D coefficients (and their (r, b) derivatives, E ξ f′ hₙ, E f′ hₙ, E ξ² f″ hₙ, …) come from one
 * trapezoidal rule fine enough for f₁, f₂ and for polynomials of degree N (2π/h)^N e^{−2π²/h²}/√N! <
 * e^{−LN_TOL}, on a range where |u|ⁿ times the tail of f hₙ φ stays below e^{−LN_TOL}. Derivatives
 * in u are those of the series. The cost is linear in the nodes and N: no 2-D rule at all. A kinked
 * f₁ (relu, selu; f₂ smooth) gets Gauss–Legendre panels cut at its kink instead of the trapezoid, and
 * the δ part of f₁″ in its second-derivative coefficients (mehlerDelta).
 */
function mehlerG2(kind1: i32, coef1: usize, ncoef1: i32, kind2: i32, coef2: usize, ncoef2: i32,
  r1: f64, b1: f64, r2: f64, b2: f64, u: f64, derivs: i32, o: usize, scratch: usize): void {
  const au = Math.abs(u);
  let N = derivs;
  while (N < MEHLER_MAX && Math.pow(au, <f64>(N + 1)) * <f64>((N + 1) * (N + 1)) / (1.0 - au) > Math.exp(-LN_TOL_2D)) N++;
  // step: both activations and degree-N polynomials
  stepReset(); stepAdd(kind1, Math.abs(r1), 1); stepAdd(kind2, Math.abs(r2), 1);
  let h = stepMax();
  let lnFact: f64 = 0;
  for (let n = 2; n <= N; n++) lnFact += Math.log(<f64>n);
  let hp: f64 = 0.6;
  for (let it = 0; it < 4; it++) hp = PI_ * Math.SQRT2 / Math.sqrt(Math.max(LN_TOL_2D, LN_TOL_2D + <f64>N * Math.log(2.0 * PI_ / hp) - 0.5 * lnFact));
  h = Math.min(h, hp);
  // range: |u|ⁿ Lⁿ φ(L)/√n! < e^{−LN_TOL} for every n ≤ N
  radiusReset(); radiusAdd(kind1, r1, 1); radiusAdd(kind2, r2, 1);
  let L = radius();
  for (let it = 0; it < 40; it++) {
    let worst: f64 = 0, lf: f64 = 0;
    for (let n = 1; n <= N; n++) {
      lf += Math.log(<f64>n);
      worst = Math.max(worst, <f64>n * Math.log(au * L) - 0.5 * lf);
    }
    if (0.5 * L * L - LN_TOL_2D >= worst) break;
    L += 0.25;
  }
  // the trapezoid, or for a kinked unit 1 (kinkG2) Gauss–Legendre panels cut at its kink ξ₀ = −b₁/r₁
  const k1 = isKinked(kind1) && Math.abs(r1) >= R_MIN;
  const rule = scratch;
  let size: i32;
  if (isKinked(kind1)) {
    cutsReset(L);
    if (k1) cutAdd(-b1 / r1);
    size = panelRule(h, rule);
  } else {
    const nh = trapHalf(h, L);
    size = trapRule(L / <f64>nh, nh, rule);
  }
  const m = <i32>load<f64>(rule);
  const xs = rule + 16, ws = xs + (<usize>m << 3);
  const mb = <usize>m << 3;
  const z = rule + (<usize>size << 3);
  const f1 = z + mb, d1 = f1 + mb, dd1 = d1 + mb, f2 = dd1 + mb, d2 = f2 + mb, dd2 = d2 + mb;
  for (let i = 0; i < m; i++) st(z, i, r1 * ld(xs, i) + b1);
  activate(kind1, coef1, ncoef1, z, f1, d1, dd1, m, derivs);
  for (let i = 0; i < m; i++) st(z, i, r2 * ld(xs, i) + b2);
  activate(kind2, coef2, ncoef2, z, f2, d2, dd2, m, derivs);
  // weighted factors per unit (value, ∂r, ∂b, ∂r∂r, ∂r∂b, ∂b∂b: w·f, w x f′, w f′, w x² f″, w x f″, w f″),
  // then coefficient k of order n = dot(factor k, hₙ) with hₙ on the nodes by the recurrence
  const nk = derivs == 0 ? 1 : derivs == 1 ? 3 : 6;
  const stride = <usize>(N + 1) << 3;
  const C1 = dd2 + mb, C2 = C1 + 6 * stride, P1 = C2 + 6 * stride, P2 = P1 + 6 * mb;
  const Hp = P2 + 6 * mb, Hc = Hp + mb;
  for (let i = 0; i < m; i++) {
    const w = ld(ws, i), x = ld(xs, i);
    const io = <usize>i << 3;
    store<f64>(P1 + io, w * ld(f1, i)); store<f64>(P2 + io, w * ld(f2, i));
    if (derivs >= 1) {
      const e1 = w * ld(d1, i), e2 = w * ld(d2, i);
      store<f64>(P1 + mb + io, x * e1); store<f64>(P1 + 2 * mb + io, e1);
      store<f64>(P2 + mb + io, x * e2); store<f64>(P2 + 2 * mb + io, e2);
      if (derivs >= 2) {
        const g1 = w * ld(dd1, i), g2 = w * ld(dd2, i);
        store<f64>(P1 + 3 * mb + io, x * x * g1); store<f64>(P1 + 4 * mb + io, x * g1); store<f64>(P1 + 5 * mb + io, g1);
        store<f64>(P2 + 3 * mb + io, x * x * g2); store<f64>(P2 + 4 * mb + io, x * g2); store<f64>(P2 + 5 * mb + io, g2);
      }
    }
    store<f64>(Hp + io, 0.0);
    store<f64>(Hc + io, 1.0);
  }
  for (let n = 0; n <= N; n++) {
    const off = <usize>n << 3;
    for (let k = 0; k < nk; k++) {
      store<f64>(C1 + <usize>k * stride + off, dot(P1 + <usize>k * mb, Hc, m));
      store<f64>(C2 + <usize>k * stride + off, dot(P2 + <usize>k * mb, Hc, m));
    }
    // h_{n+1} = (x hₙ − √n h_{n−1})/√(n+1), written over h_{n−1}
    const sn = Math.sqrt(<f64>n), inv = 1.0 / Math.sqrt(<f64>(n + 1));
    for (let i = 0; i < m; i++) {
      const io = <usize>i << 3;
      store<f64>(Hp + io, (ld(xs, i) * load<f64>(Hc + io) - sn * load<f64>(Hp + io)) * inv);
    }
    // swap the two rows by copying (m is small)
    for (let i = 0; i < m; i++) {
      const io = <usize>i << 3;
      const t = load<f64>(Hp + io);
      store<f64>(Hp + io, load<f64>(Hc + io));
      store<f64>(Hc + io, t);
    }
  }
  if (derivs >= 2 && k1) mehlerDelta(C1, stride, N, -b1 / r1, kinkJump(kind1) * normalPdf(b1 / r1) / Math.abs(r1));
  // Σ uⁿ, Σ n uⁿ⁻¹, Σ n(n−1) uⁿ⁻² against products of coefficients
  memory.fill(o, 0, 8 * N2);
  let v: f64 = 0, gu: f64 = 0, guu: f64 = 0;
  let g1r: f64 = 0, g1b: f64 = 0, g2r: f64 = 0, g2b: f64 = 0;
  let hrr1: f64 = 0, hrb1: f64 = 0, hbb1: f64 = 0, hrr2: f64 = 0, hrb2: f64 = 0, hbb2: f64 = 0;
  let hr1r2: f64 = 0, hr1b2: f64 = 0, hb1r2: f64 = 0, hb1b2: f64 = 0, hr1u: f64 = 0, hb1u: f64 = 0, hr2u: f64 = 0, hb2u: f64 = 0;
  let pn: f64 = 1, pn1: f64 = 0, pn2: f64 = 0; // uⁿ, n uⁿ⁻¹, n(n−1) uⁿ⁻²
  for (let n = 0; n <= N; n++) {
    const off = <usize>n << 3;
    const A = load<f64>(C1 + off), B = load<f64>(C2 + off);
    v += pn * A * B;
    if (derivs >= 1) {
      const Ar = load<f64>(C1 + stride + off), Ab = load<f64>(C1 + 2 * stride + off);
      const Br = load<f64>(C2 + stride + off), Bb = load<f64>(C2 + 2 * stride + off);
      gu += pn1 * A * B;
      g1r += pn * Ar * B; g1b += pn * Ab * B; g2r += pn * A * Br; g2b += pn * A * Bb;
      if (derivs >= 2) {
        guu += pn2 * A * B;
        hrr1 += pn * load<f64>(C1 + 3 * stride + off) * B; hrb1 += pn * load<f64>(C1 + 4 * stride + off) * B;
        hbb1 += pn * load<f64>(C1 + 5 * stride + off) * B;
        hrr2 += pn * A * load<f64>(C2 + 3 * stride + off); hrb2 += pn * A * load<f64>(C2 + 4 * stride + off);
        hbb2 += pn * A * load<f64>(C2 + 5 * stride + off);
        hr1r2 += pn * Ar * Br; hr1b2 += pn * Ar * Bb; hb1r2 += pn * Ab * Br; hb1b2 += pn * Ab * Bb;
        hr1u += pn1 * Ar * B; hb1u += pn1 * Ab * B; hr2u += pn1 * A * Br; hb2u += pn1 * A * Bb;
      }
    }
    const nf = <f64>(n + 1);
    pn2 = nf * pn1; // (n+1) n uⁿ⁻¹
    pn1 = nf * pn; // (n+1) uⁿ
    pn *= u;
  }
  st(o, 0, v);
  if (derivs < 1) return;
  st(o, 1 + R1, g1r); st(o, 1 + B1, g1b); st(o, 1 + R2, g2r); st(o, 1 + B2, g2b); st(o, 1 + U, gu);
  if (derivs < 2) return;
  st(o, hix(R1, R1), hrr1); st(o, hix(R1, B1), hrb1); st(o, hix(R1, R2), hr1r2); st(o, hix(R1, B2), hr1b2); st(o, hix(R1, U), hr1u);
  st(o, hix(B1, B1), hbb1); st(o, hix(B1, R2), hb1r2); st(o, hix(B1, B2), hb1b2); st(o, hix(B1, U), hb1u);
  st(o, hix(R2, R2), hrr2); st(o, hix(R2, B2), hrb2); st(o, hix(R2, U), hr2u);
  st(o, hix(B2, B2), hbb2); st(o, hix(B2, U), hb2u);
  st(o, hix(U, U), guu);
}

/**
 * The δ part of a kinked f″ in the second-derivative coefficients of mehlerG2 (kinds 3, 4, 5 =
 * E x²f″hₙ, E x f″hₙ, E f″hₙ): E Jδ(rx + b)·(x², x, 1)hₙ(x) = c·(x₀², x₀, 1)hₙ(x₀), c = Jφ(x₀)/|r|.
 */
function mehlerDelta(C: usize, stride: usize, N: i32, x0: f64, c: f64): void {
  let hp: f64 = 0, hc: f64 = 1; // h_{n−1}(x₀), hₙ(x₀)
  for (let n = 0; n <= N; n++) {
    const off = <usize>n << 3, v = c * hc;
    store<f64>(C + 3 * stride + off, load<f64>(C + 3 * stride + off) + x0 * x0 * v);
    store<f64>(C + 4 * stride + off, load<f64>(C + 4 * stride + off) + x0 * v);
    store<f64>(C + 5 * stride + off, load<f64>(C + 5 * stride + off) + v);
    const hn = (x0 * hc - Math.sqrt(<f64>n) * hp) / Math.sqrt(<f64>(n + 1));
    hp = hc;
    hc = hn;
  }
}

/** wᵢw_j of the trapezoidal rules (steps hx, hz) on the circle ξ² + ζ² = L² (slightly below, so the circle is kept). */
function diskThreshold(hx: f64, hz: f64, L: f64): f64 {
  return hx * hz * INV_SQRT_2PI * INV_SQRT_2PI * Math.exp(-0.5 * L * L) * (1.0 - 1e-12);
}

/**
 * The lattice mode of adaptiveG2: ξᵢ = i·hx (|i| ≤ nx), ζ_j = j·hz (|j| ≤ nz) on the disk, and
 * h₂ = b₂ + Δ·k, Δ = r₂u′hz/c, k = a·sgn(u)·i + c·j; η = k·Δ/r₂. f₂ and its η-weighted derivatives
 * are tabulated on k, so each row is a few strided dot products with the ζ weights.
 */
function g2Lattice(kind1: i32, coef1: usize, ncoef1: i32, kind2: i32, coef2: usize, ncoef2: i32,
  r1: f64, b1: f64, r2: f64, b2: f64, u: f64, up: f64, hx: f64, nx: i32, hz: f64, nz: i32, a: i32, c: i32, L: f64,
  derivs: i32, o: usize, scratch: usize): void {
  const ruleX = scratch;
  const sx = trapRule(hx, nx, ruleX);
  const ruleZ = ruleX + (<usize>sx << 3);
  const sz = trapRule(hz, nz, ruleZ);
  const n = 2 * nx + 1, nzz = 2 * nz + 1;
  const xs = ruleX + 16, ws = xs + (<usize>n << 3);
  const wz = ruleZ + 16 + (<usize>nzz << 3);
  const K0 = a * nx + c * nz, K = 2 * K0 + 1;
  const kb = <usize>K << 3, nb = <usize>n << 3;
  const f1 = ruleZ + (<usize>sz << 3), d1 = f1 + nb, dd1 = d1 + nb;
  const z = dd1 + nb, F0 = z + (K > n ? kb : nb), F1 = F0 + kb, F2 = F1 + kb, E1 = F2 + kb, E2 = E1 + kb, C2 = E2 + kb;
  for (let i = 0; i < n; i++) st(z, i, r1 * ld(xs, i) + b1);
  activate(kind1, coef1, ncoef1, z, f1, d1, dd1, n, derivs);
  const delta = r2 * up * hz / <f64>c, step = up * hz / <f64>c;
  for (let k = 0; k < K; k++) st(z, k, b2 + delta * <f64>(k - K0));
  activate(kind2, coef2, ncoef2, z, F0, F1, F2, K, derivs);
  if (derivs >= 1) {
    for (let k = 0; k < K; k++) {
      const eta = step * <f64>(k - K0);
      st(E1, k, eta * ld(F1, k));
      if (derivs >= 2) {
        const e2 = eta * ld(F2, k);
        st(E2, k, e2); st(C2, k, eta * e2);
      }
    }
  }
  const sg = u < 0 ? -a : a;
  const cs = <usize>c << 3;
  const thr = diskThreshold(hx, hz, L);
  const wmid = ld(wz, nz);
  rowsReset();
  for (let i = 0; i < n; i++) {
    const wi = ld(ws, i), xi = ld(xs, i);
    if (wi * wmid < thr) continue;
    let J = nz;
    while (J > 0 && wi * ld(wz, nz + J) < thr) J--;
    const k0 = K0 + sg * (i - nx) - c * J; // lattice index of j = −J
    const w0 = wz + (<usize>(nz - J) << 3);
    const cnt = 2 * J + 1;
    let a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, bb1: f64 = 0, bb2: f64 = 0, cc2: f64 = 0;
    const off = <usize>k0 << 3;
    let p0 = F0 + off, p1 = F1 + off, q1 = E1 + off, p2 = F2 + off, q2 = E2 + off, g2 = C2 + off, pw = w0;
    if (derivs == 0) {
      for (let j = 0; j < cnt; j++, pw += 8, p0 += cs) a0 += load<f64>(pw) * load<f64>(p0);
    } else if (derivs == 1) {
      for (let j = 0; j < cnt; j++, pw += 8, p0 += cs, p1 += cs, q1 += cs) {
        const w = load<f64>(pw);
        a0 += w * load<f64>(p0); a1 += w * load<f64>(p1); bb1 += w * load<f64>(q1);
      }
    } else {
      for (let j = 0; j < cnt; j++, pw += 8, p0 += cs, p1 += cs, q1 += cs, p2 += cs, q2 += cs, g2 += cs) {
        const w = load<f64>(pw);
        a0 += w * load<f64>(p0); a1 += w * load<f64>(p1); bb1 += w * load<f64>(q1);
        a2 += w * load<f64>(p2); bb2 += w * load<f64>(q2); cc2 += w * load<f64>(g2);
      }
    }
    addRow(wi * ld(f1, i), derivs >= 1 ? wi * ld(d1, i) : 0.0, derivs >= 2 ? wi * ld(dd1, i) : 0.0, xi,
      a0, a1, a2, bb1, bb2, cc2, derivs, false, u);
  }
  writeRows(o, r1, r2, up, derivs, false);
}

function emit(src: usize, out: usize, count: i32): void {
  memory.copy(out, src, <usize>count << 3);
}

function isPhiKind(kind: i32): bool {
  return kind == ACT_NORMAL_CDF || kind == ACT_SIGMOID2;
}

// ---------------------------------------------------------------------------------------------
// Kinked activations on the adaptive path (rule = 0): relu, selu. f is analytic on each side of its
// kink at 0 and continuous there; f′ jumps by J = f′(0⁺) − f′(0⁻), so f″ = (smooth part) + Jδ.

// @ts-ignore: decorator
@inline const SELU_LAMBDA: f64 = 1.0507009873554805; // λ
// @ts-ignore: decorator
@inline const SELU_LAMBDA_ALPHA: f64 = 1.7580993408473768; // λα
// @ts-ignore: decorator
@inline const SELU_JUMP: f64 = SELU_LAMBDA - SELU_LAMBDA_ALPHA; // λ(1 − α)

/** J = f′(0⁺) − f′(0⁻): relu 1, selu λ(1 − α); 0 for the smooth kinds. */
function kinkJump(kind: i32): f64 {
  return kind == ACT_RELU ? 1.0 : kind == ACT_SELU ? SELU_JUMP : 0.0;
}

/** Panel rule (panelrule.ts) for E g(rξ + b) with g = f^power, cut at the kink ξ₀ = −b/r of a kinked f. Returns its size in f64. */
function splitRule(kind: i32, r: f64, b: f64, power: i32, rule: usize): i32 {
  stepReset(); radiusReset();
  stepAdd(kind, Math.abs(r), power);
  radiusAdd(kind, r, power);
  cutsReset(radius());
  if (isKinked(kind) && Math.abs(r) >= R_MIN) cutAdd(-b / r);
  return panelRule(stepMax(), rule);
}

/**
 * M (power 1) or G1 (power 2) of a kinked f by the rule cut at ξ₀ = −b/r, with the δ part of f″ in M:
 * E Jδ(rξ + b)·(1, ξ, ξ²) = Jφ(ξ₀)/|r|·(1, ξ₀, ξ₀²) in ∂b∂b, ∂r∂b, ∂r∂r. In G1, (f²)″ = 2(f′² + ff″)
 * has the δ part 2f(0)Jδ = 0.
 */
function kink1(kind: i32, coef: usize, ncoef: i32, r: f64, b: f64, power: i32, derivs: i32, o: usize, scratch: usize): void {
  const size = splitRule(kind, r, b, power, scratch);
  const work = scratch + (<usize>size << 3);
  if (power == 1) quadMInto(kind, coef, ncoef, r, b, scratch, derivs, o, work);
  else quadG1Into(kind, coef, ncoef, r, b, scratch, derivs, o, work);
  const ar = Math.abs(r);
  if (power != 1 || derivs < 2 || ar < R_MIN) return;
  const x0 = -b / r;
  const c = kinkJump(kind) * normalPdf(x0) / ar;
  st(o, I_BB, ld(o, I_BB) + c);
  st(o, I_RB, ld(o, I_RB) + x0 * c);
  st(o, I_RR, ld(o, I_RR) + x0 * x0 * c);
}

// Inner sums of one row of kinkG2 (see addRow): E_ζ (f₂, f₂′, f₂″, η f₂′, η f₂″, η² f₂″) at ξ.
let iA0: f64 = 0, iA1: f64 = 0, iA2: f64 = 0, iB1: f64 = 0, iB2: f64 = 0, iC2: f64 = 0;

/**
 * The inner sums at ξ over ζ, η = uξ + u′ζ, by the trapezoidal rule ruleZ on the disk ξ² + ζ² ≤ L²
 * (its nodes jh with |jh| ≤ √(L² − ξ²)). Rows of PANEL_NODES_MAX f64 follow ruleZ's largest block.
 */
function kinkInner(kind2: i32, coef2: usize, ncoef2: i32, r2: f64, b2: f64, u: f64, up: f64, xi: f64,
  L: f64, ruleZ: usize, derivs: i32): void {
  const nall = <i32>load<f64>(ruleZ);
  const c = (nall - 1) >> 1;
  const zs0 = ruleZ + 16, wz0 = zs0 + (<usize>nall << 3);
  const Lz = Math.sqrt(Math.max(0.0, (L - xi) * (L + xi)));
  const j0 = c - <i32>Math.min(<f64>c, Math.floor(Lz / ld(zs0, c + 1) + 1e-9));
  const m = nall - 2 * j0;
  const zs = zs0 + (<usize>j0 << 3), wz = wz0 + (<usize>j0 << 3);
  const rb = <usize>PANEL_NODES_MAX << 3;
  const z = ruleZ + 16 + 2 * rb, f2 = z + rb, d2 = f2 + rb, dd2 = d2 + rb;
  const ux = u * xi;
  for (let j = 0; j < m; j++) st(z, j, b2 + r2 * (ux + up * ld(zs, j)));
  activate(kind2, coef2, ncoef2, z, f2, d2, dd2, m, derivs);
  let a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, bb1: f64 = 0, bb2: f64 = 0, cc2: f64 = 0;
  for (let j = 0; j < m; j++) {
    const w = ld(wz, j), eta = ux + up * ld(zs, j);
    a0 += w * ld(f2, j);
    if (derivs >= 1) {
      const wd = w * ld(d2, j);
      a1 += wd; bb1 += eta * wd;
      if (derivs >= 2) {
        const wdd = w * ld(dd2, j);
        a2 += wdd; bb2 += eta * wdd; cc2 += eta * eta * wdd;
      }
    }
  }
  iA0 = a0; iA1 = a1; iA2 = a2; iB1 = bb1; iB2 = bb2; iC2 = cc2;
}

// @ts-ignore: decorator
@inline const MILLS_ASYMPTOTIC: f64 = -37.0; // below this a, Φ(a)/φ(a) = (1 − 1/a²)/|a| (φ(a) nears underflow)

/**
 * The inner sums of kinkInner in closed form for a kinked f₂ (relu; selu = λh | λα(eʰ − 1)) and
 * σ = |r₂|u′ > 0: h₂ = c + σζ′ (ζ′ = sgn(r₂)ζ, c = b₂ + r₂uξ), z = c/σ, a = −z − σ, and with
 * e^{c+σ²/2}φ(a) = φ(z):
 *   E 1(h₂ > 0)·(1, ζ′, h₂) = (Φ(z), φ(z), σφ(z) + cΦ(z)),
 *   E e^{h₂}1(h₂ < 0)·(1, ζ′, ζ′²) = (ℓ, σℓ − φ(z), (1 + σ²)ℓ − (a + 2σ)φ(z)),  ℓ = e^{c+σ²/2}Φ(a);
 * E f₂ = λ·E h₂1(h₂ > 0) + λα(ℓ − Φ(−z)), E f₂′ = λΦ(z) + λαℓ, E f₂″ = λαℓ (smooth part; relu: λ = 1,
 * α = 0), and the η-sums by η = uξ + u′sgn(r₂)ζ′.
 */
function kinkInnerClosed(kind2: i32, r2: f64, b2: f64, u: f64, up: f64, xi: f64): void {
  const sg = r2 < 0 ? -1.0 : 1.0;
  const sig = Math.abs(r2) * up;
  const c = b2 + r2 * u * xi, z = c / sig;
  const pz = normalPdf(z), cz = normalCdfWithPdf(z, pz), cmz = normalCdfWithPdf(-z, pz);
  const lam = kind2 == ACT_SELU ? SELU_LAMBDA : 1.0, la = kind2 == ACT_SELU ? SELU_LAMBDA_ALPHA : 0.0;
  let l0: f64 = 0, l1: f64 = 0, l2: f64 = 0;
  if (la != 0) {
    const a = -z - sig;
    if (a < 0) {
      const pa = normalPdf(a);
      l0 = pz * (a < MILLS_ASYMPTOTIC ? (1.0 - 1.0 / (a * a)) / -a : normalCdfWithPdf(a, pa) / pa);
    } else {
      l0 = Math.exp(c + 0.5 * sig * sig) * normalCdfWithPdf(a, normalPdf(a)); // a ≥ 0: c + σ²/2 ≤ −σ²/2
    }
    l1 = sig * l0 - pz;
    l2 = (1.0 + sig * sig) * l0 - (pz == 0 ? 0.0 : (a + 2.0 * sig) * pz);
  }
  const d = lam * cz + la * l0; // E f₂′
  const dz = lam * pz + la * l1; // E ζ′f₂′
  const s0 = la * l0, s1 = la * l1, s2 = la * l2; // E f₂″·(1, ζ′, ζ′²)
  const ux = u * xi, w = up * sg;
  iA0 = lam * (sig * pz + c * cz) + la * (l0 - cmz);
  iA1 = d;
  iA2 = s0;
  iB1 = ux * d + w * dz;
  iB2 = ux * s0 + w * s1;
  iC2 = ux * ux * s0 + 2.0 * ux * w * s1 + w * w * s2;
}

/**
 * G2 with f₁ kinked (and f₂ kinked or not) by rows ξ of a rule cut at f₁'s kink ξ₀ = −b₁/r₁, each with
 * the inner sums over ζ (η = uξ + u′ζ): by the trapezoid for a smooth f₂, in closed form for a kinked
 * one (kinkInnerClosed). The inner sums are analytic in ξ; for a kinked f₂ they vary like Φ(ζ₀(ξ)),
 * ζ₀(ξ) = (η₀ − uξ)/u′, η₀ = −b₂/r₂, of Gaussian type with scale |u|/u′, on the band of half-width
 * Lu′/|u| around η₀/u where ζ₀ ∈ [−L, L]: that band gets its own step. The u-entries are the exact
 * integral's kinds (writeRows). The δ parts of f₁″ and f₂″:
 *   f₁: a row at ξ₀ of weight J₁φ(ξ₀)/|r₁| and no f₁, f₁′ terms (E Jδ(h₁)g = Jφ(ξ₀)/|r₁| E[g | ξ = ξ₀]);
 *   f₂: c₂·E[(f₁, f₁′, f₁″) | η = η₀], c₂ = J₂φ(η₀)/|r₂|, in the f₂″ sums (times η₀ or η₀² as they
 *       need), with ξ = uη₀ + u′ζ′ a 1-D M of f₁ (kinkDeltaEta);
 *   both: J₁J₂φ₂(ξ₀, η₀)/(|r₁r₂|) in E f₁″f₂″, φ₂ = φ(η₀)φ((ξ₀ − uη₀)/u′)/u′ (0 at u′ = 0, where it diverges).
 * Scratch: two rule blocks and 7 rows of PANEL_NODES_MAX f64.
 */
function kinkG2(kind1: i32, coef1: usize, ncoef1: i32, kind2: i32, coef2: usize, ncoef2: i32,
  r1: f64, b1: f64, r2: f64, b2: f64, u: f64, derivs: i32, o: usize, scratch: usize): void {
  u = clampU(u);
  const up = Math.sqrt((1.0 - u) * (1.0 + u)), au = Math.abs(u);
  if (au <= MEHLER_U && !isKinked(kind2)) { // (two kinked units: the rows below, with inner sums in closed form, are cheaper)
    mehlerG2(kind1, coef1, ncoef1, kind2, coef2, ncoef2, r1, b1, r2, b2, u, derivs, o, scratch);
    return;
  }
  const s1 = Math.abs(r1), s2 = Math.abs(r2);
  const k1 = isKinked(kind1) && s1 >= R_MIN, k2 = isKinked(kind2) && s2 >= R_MIN;
  const x0 = k1 ? -b1 / r1 : 0.0, eta0 = k2 ? -b2 / r2 : 0.0;
  const closed = k2 && s2 * up > 0;
  radiusReset(); radiusAdd(kind1, r1, 1); radiusAdd(kind2, r2, 1);
  const L = radius();
  stepReset(); stepAdd(kind1, s1, 1); stepAdd(kind2, s2 * au, 1);
  const hx = stepMax();
  // outer rule: cut at ξ₀; f₂'s kink enters the inner integral on a band (or, at u′ = 0, at ξ = η₀/u)
  cutsReset(L);
  if (k1) cutAdd(x0);
  if (k2 && au > 0) {
    const c = eta0 / u;
    if (up > 0) {
      stepReset(); stepAdd(kind1, s1, 1); stepAddGaussian(au / up);
      const w = L * up / au;
      bandSet(c - w, c + w, Math.min(hx, stepMax()));
    } else {
      cutAdd(c);
    }
  }
  const rb = <usize>PANEL_NODES_MAX << 3;
  const ruleX = scratch;
  panelRule(hx, ruleX);
  const n = <i32>load<f64>(ruleX);
  const xs = ruleX + 16, ws = xs + (<usize>n << 3);
  const f1 = ruleX + 16 + 2 * rb, d1 = f1 + rb, dd1 = d1 + rb;
  const ruleZ = dd1 + rb;
  const zrow = ruleZ + 16 + 2 * rb; // the z row of kinkInner, free until the first row
  for (let i = 0; i < n; i++) st(zrow, i, r1 * ld(xs, i) + b1);
  activate(kind1, coef1, ncoef1, zrow, f1, d1, dd1, n, derivs);
  if (!closed) {
    stepReset(); stepAdd(kind2, s2 * up, 1);
    const nz = trapHalf(stepMax(), L);
    trapRule(L / <f64>nz, nz, ruleZ);
  }
  rowsReset();
  for (let i = 0; i <= n; i++) {
    // rows i < n of the rule, then the δ row of f₁″ at ξ₀
    let F: f64 = 0, D: f64 = 0, DD: f64 = 0, xi = x0;
    if (i < n) {
      const wi = ld(ws, i);
      xi = ld(xs, i);
      F = wi * ld(f1, i);
      if (derivs >= 1) D = wi * ld(d1, i);
      if (derivs >= 2) DD = wi * ld(dd1, i);
    } else if (derivs >= 2 && k1) {
      DD = kinkJump(kind1) * normalPdf(x0) / s1;
      if (DD == 0) break;
    } else {
      break;
    }
    if (F == 0 && D == 0 && DD == 0) continue; // relu's zero side
    if (closed) kinkInnerClosed(kind2, r2, b2, u, up, xi);
    else kinkInner(kind2, coef2, ncoef2, r2, b2, u, up, xi, L, ruleZ, derivs);
    addRow(F, D, DD, xi, iA0, iA1, iA2, iB1, iB2, iC2, derivs, false, u);
  }
  if (derivs >= 2 && k2) kinkDeltaEta(kind1, coef1, ncoef1, r1, b1, s1, eta0, x0, k1, u, up, kinkJump(kind2) * normalPdf(eta0) / s2, scratch);
  writeRows(o, r1, r2, up, derivs, false);
}

/**
 * Adds the δ part of f₂″ (weight c₂ = J₂φ(η₀)/|r₂|) to the f₂″ sums: E[(f₁, f₁′, f₁″) | η = η₀] is
 * M of f₁ at (r₁u′, b₁ + r₁uη₀) (closed form for a kinked f₁, else the rule of splitRule), and with
 * f₁ kinked too the point mass J₁J₂φ₂(ξ₀, η₀)/|r₁r₂| of E f₁″f₂″.
 */
function kinkDeltaEta(kind1: i32, coef1: usize, ncoef1: i32, r1: f64, b1: f64, s1: f64, eta0: f64, x0: f64, k1: bool,
  u: f64, up: f64, c2: f64, scratch: usize): void {
  if (c2 == 0) return;
  let m0: f64, m1: f64, m2: f64;
  if (k1 && up > 0) {
    kinkInnerClosed(kind1, r1, b1, u, up, eta0);
    m0 = iA0; m1 = iA1; m2 = iA2;
  } else {
    const r = r1 * up, b = b1 + r1 * u * eta0;
    const size = splitRule(kind1, r, b, 1, scratch);
    quadMInto(kind1, coef1, ncoef1, r, b, scratch, 2, W6, scratch + (<usize>size << 3));
    m0 = ld(W6, I_V); m1 = ld(W6, I_B); m2 = ld(W6, I_BB);
  }
  sR2R2 += c2 * eta0 * eta0 * m0;
  sR2B2 += c2 * eta0 * m0;
  sB2B2 += c2 * m0;
  sEtaDD += c2 * eta0 * m1;
  sDD2 += c2 * m1;
  sDDDD += c2 * m2;
  if (k1 && up > 0) sDDDD += kinkJump(kind1) * c2 * normalPdf((x0 - u * eta0) / up) / (up * s1);
}

// ---------------------------------------------------------------------------------------------
// Exports. `rule` is a rule block of gaussRule, or 0 for the adaptive trapezoidal rule; `scratch`
// holds 8n f64 (n = rule size) or ADAPTIVE_SCRATCH f64 for rule 0; `out` holds 1, 3 or 6 (1-D) /
// 1, 6 or 21 (2-D) f64 for derivs = 0, 1, 2.

/** f64 entries of scratch that the adaptive rule (rule = 0) needs: two rule blocks, the f₁/f₂ rows and the lattice. */
export function adaptiveScratch(): i32 {
  return 4 * (2 + 2 * (2 * TRAP_HALF_MAX + 1)) + 8 * (2 * TRAP_HALF_MAX + 1) + 7 * LATTICE_MAX;
}

function quadMAny(kind: i32, coef: usize, ncoef: i32, r: f64, b: f64, rule: usize, derivs: i32, o: usize, scratch: usize): void {
  if (rule == 0 && isKinked(kind)) kink1(kind, coef, ncoef, r, b, 1, derivs, o, scratch);
  else if (rule == 0) adaptive1(kind, coef, ncoef, r, b, 1, derivs, o, scratch);
  else quadMInto(kind, coef, ncoef, r, b, rule, derivs, o, scratch);
}

function quadG1Any(kind: i32, coef: usize, ncoef: i32, r: f64, b: f64, rule: usize, derivs: i32, o: usize, scratch: usize): void {
  if (rule == 0 && isKinked(kind)) kink1(kind, coef, ncoef, r, b, 2, derivs, o, scratch);
  else if (rule == 0) adaptive1(kind, coef, ncoef, r, b, 2, derivs, o, scratch);
  else quadG1Into(kind, coef, ncoef, r, b, rule, derivs, o, scratch);
}

function quadG2Any(kind1: i32, coef1: usize, ncoef1: i32, kind2: i32, coef2: usize, ncoef2: i32,
  r1: f64, b1: f64, r2: f64, b2: f64, u: f64, rule: usize, derivs: i32, o: usize, scratch: usize): void {
  const kinked = isKinked(kind1) || isKinked(kind2);
  if (rule != 0) {
    quadG2Into(kind1, coef1, ncoef1, kind2, coef2, ncoef2, r1, b1, r2, b2, u, rule, derivs, o, scratch);
  } else if (adaptiveSwap(kind1, r1, kind2, r2, u)) {
    if (kinked) kinkG2(kind2, coef2, ncoef2, kind1, coef1, ncoef1, r2, b2, r1, b1, u, derivs, W21B, scratch);
    else adaptiveG2(kind2, coef2, ncoef2, kind1, coef1, ncoef1, r2, b2, r1, b1, u, derivs, W21B, scratch);
    swapUnits(W21B, o);
  } else if (kinked) {
    kinkG2(kind1, coef1, ncoef1, kind2, coef2, ncoef2, r1, b1, r2, b2, u, derivs, o, scratch);
  } else {
    adaptiveG2(kind1, coef1, ncoef1, kind2, coef2, ncoef2, r1, b1, r2, b2, u, derivs, o, scratch);
  }
}

/**
 * True when the adaptive rule should whiten around unit 2 instead of unit 1: a kinked unit, else the
 * unit that needs the finer step, gets the ξ axis to itself (its rows are cheap), the other one
 * shares ξ and ζ.
 */
function adaptiveSwap(kind1: i32, r1: f64, kind2: i32, r2: f64, u: f64): bool {
  if (isKinked(kind1) != isKinked(kind2)) return isKinked(kind2); // the kinked unit takes the ξ axis (see kinkG2)
  stepReset(); stepAdd(kind1, Math.abs(r1), 1);
  const h1 = stepMax();
  stepReset(); stepAdd(kind2, Math.abs(r2), 1);
  const h2 = stepMax();
  return h2 < h1;
}

/** M(f, r, b) = E f(rξ + b): closed form for relu, normal_cdf, sigmoid2, quadrature otherwise. */
export function normalM(kind: i32, coef: usize, ncoef: i32, r: f64, b: f64, rule: usize, derivs: i32, out: usize, scratch: usize): void {
  if (kind == ACT_RELU) reluM(r, b, W21);
  else if (isPhiKind(kind)) phiM(kind, r, b, W21);
  else quadMAny(kind, coef, ncoef, r, b, rule, derivs, W21, scratch);
  emit(W21, out, outCount(2, derivs));
}

/** G1(f, r, b) = E f(rξ + b)²: closed form for relu, normal_cdf, sigmoid2, quadrature otherwise. */
export function normalG1(kind: i32, coef: usize, ncoef: i32, r: f64, b: f64, rule: usize, derivs: i32, out: usize, scratch: usize): void {
  if (kind == ACT_RELU) reluG1(r, b, W21);
  else if (isPhiKind(kind)) {
    phiG2(kind, r, b, kind, r, b, 1.0, W21B);
    foldDiagonal(W21B, W21);
  } else quadG1Any(kind, coef, ncoef, r, b, rule, derivs, W21, scratch);
  emit(W21, out, outCount(2, derivs));
}

/**
 * G2 = E f₁(r₁ξ + b₁) f₂(r₂η + b₂), corr(ξ, η) = u: closed form for relu–relu and for any pair of
 * normal_cdf/sigmoid2, quadrature otherwise.
 */
export function normalG2(kind1: i32, coef1: usize, ncoef1: i32, kind2: i32, coef2: usize, ncoef2: i32,
  r1: f64, b1: f64, r2: f64, b2: f64, u: f64, rule: usize, derivs: i32, out: usize, scratch: usize): void {
  if (kind1 == ACT_RELU && kind2 == ACT_RELU) reluG2(r1, b1, r2, b2, u, W21);
  else if (isPhiKind(kind1) && isPhiKind(kind2)) phiG2(kind1, r1, b1, kind2, r2, b2, u, W21);
  else quadG2Any(kind1, coef1, ncoef1, kind2, coef2, ncoef2, r1, b1, r2, b2, u, rule, derivs, W21, scratch);
  emit(W21, out, outCount(5, derivs));
}

/** M by quadrature for every kind (a rule block of gaussRule omits the δ part of relu″ and selu″). */
export function quadM(kind: i32, coef: usize, ncoef: i32, r: f64, b: f64, rule: usize, derivs: i32, out: usize, scratch: usize): void {
  quadMAny(kind, coef, ncoef, r, b, rule, derivs, W21, scratch);
  emit(W21, out, outCount(2, derivs));
}

/** G1 by quadrature for every kind. */
export function quadG1(kind: i32, coef: usize, ncoef: i32, r: f64, b: f64, rule: usize, derivs: i32, out: usize, scratch: usize): void {
  quadG1Any(kind, coef, ncoef, r, b, rule, derivs, W21, scratch);
  emit(W21, out, outCount(2, derivs));
}

/** G2 by quadrature for every pair of kinds. */
export function quadG2(kind1: i32, coef1: usize, ncoef1: i32, kind2: i32, coef2: usize, ncoef2: i32,
  r1: f64, b1: f64, r2: f64, b2: f64, u: f64, rule: usize, derivs: i32, out: usize, scratch: usize): void {
  quadG2Any(kind1, coef1, ncoef1, kind2, coef2, ncoef2, r1, b1, r2, b2, u, rule, derivs, W21, scratch);
  emit(W21, out, outCount(5, derivs));
}
