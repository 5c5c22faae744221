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
// Quadrature otherwise (also available for every kind as quadM/quadG1/quadG2): the pruned
// Gauss–Hermite rule of gausshermite.ts (a rule block of gaussRule), h₂ evaluated on the correlated
// 2-D nodes (xᵢ, u xᵢ + u′ xⱼ) restricted to wᵢwⱼ ≥ threshold2, f, f′, f″ from `activate`, and the
// derivative "kinds" of §b.4, e.g. ∂r₁ = E ξ f₁′f₂, ∂u = r₁r₂ E f₁′f₂′ (Price's theorem),
// ∂r₁∂u = r₂ E (f₁′ + r₁ξf₁″) f₂′, ∂u∂u = r₁²r₂² E f₁″f₂″. For relu the quadrature kinds omit the
// δ-function parts of relu″ (use the closed forms). Accuracy of the default rule (N = 600, pruned
// at 1e−18): ~1e−15 while the complex poles of f(rξ + b) stay ≳ 0.75 from the real ξ axis (tanh
// |r| ≲ 2, sigmoid/softplus |r| ≲ 4, g = sigmoid(4x) + softplus |r| ≲ 1); beyond, it degrades
// (tanh², r = 3: 3e−11, r = 5: 2e−6) unless N grows (N = 2000: ≤ 1e−11 at r = 5). Kinks (relu,
// selu′) limit it to ~1e−4. Functions that grow like polynomials lose the pruned tail
// (≈ 1e−12·r⁶ of E (rξ + b)⁶), and the product pruning (threshold2) ~1e−14 of second moments.
//
// Limits: r = 0 gives the limit r → 0⁺, u = ±1 the limit |u| → 1; all outputs are finite. The only
// entries that genuinely diverge are relu ones: ∂b∂b (and with it ∂b₁∂b₁ of G2) ~ φ(0)/r at b = 0,
// r → 0, and ∂u∂u of G2 ~ 1/u′ at |u| → 1 when the kinks coincide (x = ±y); they are returned as 0
// at r = 0 (or r < 1e−150, which keeps every output finite for |r| < 1e150) and at u′ = 0 exactly.
import { activate, ACT_RELU, ACT_NORMAL_CDF, ACT_SIGMOID2 } from "./activation";
import { erf, normalCdfWithPdf, normalPdf } from "./erf";
import { bvnDerivsOm, bvnOm, kMinusRhoH, BVN_V, BVN_H, BVN_K, BVN_R, BVN_HH, BVN_HK, BVN_HR, BVN_KK, BVN_KR, BVN_RR } from "./bvn";

// @ts-ignore: decorator
@inline const RELU_XBIG: f64 = 40.0; // |b/r| beyond this: relu unit is linear or zero (Φ(−40) = 0)
// @ts-ignore: decorator
@inline const R_MIN: f64 = 1e-150; // below this 1/r is taken as 0 (entries that diverge like 1/r)
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

/**
 * E f₁(h₁)f₂(h₂) by the pruned 2-D rule, ξ = xᵢ, η = u xᵢ + u′ xⱼ. For each i the inner sums over j
 * (A₀ = Σw f₂, A₁ = Σw f₂′, A₂ = Σw f₂″, B₁ = Σw η f₂′, B₂ = Σw η f₂″, C₂ = Σw η² f₂″) are combined with
 * f₁, f₁′, f₁″ at xᵢ into the kinds of §b.4. Scratch: 7n f64.
 */
function quadG2Into(kind1: i32, coef1: usize, ncoef1: i32, kind2: i32, coef2: usize, ncoef2: i32,
  r1: f64, b1: f64, r2: f64, b2: f64, u: f64, rule: usize, derivs: i32, o: usize, scratch: usize): void {
  const n = <i32>load<f64>(rule);
  const thr = load<f64>(rule, 8);
  const xs = rule + 16, ws = xs + (<usize>n << 3);
  const nb = <usize>n << 3;
  const f1 = scratch, d1 = f1 + nb, dd1 = d1 + nb;
  const z = dd1 + nb, f2 = z + nb, d2 = f2 + nb, dd2 = d2 + nb;
  u = clampU(u);
  const up = Math.sqrt((1.0 - u) * (1.0 + u));
  for (let i = 0; i < n; i++) st(z, i, r1 * ld(xs, i) + b1);
  activate(kind1, coef1, ncoef1, z, f1, d1, dd1, n, derivs);
  let v: f64 = 0, gr1: f64 = 0, gb1: f64 = 0, gr2: f64 = 0, gb2: f64 = 0, e11: f64 = 0;
  let hr1r1: f64 = 0, hr1b1: f64 = 0, hr1r2: f64 = 0, hr1b2: f64 = 0, exdd: f64 = 0;
  let hb1b1: f64 = 0, hb1r2: f64 = 0, edd1: f64 = 0;
  let hr2r2: f64 = 0, hr2b2: f64 = 0, eetadd: f64 = 0, hb2b2: f64 = 0, edd2: f64 = 0, edddd: f64 = 0;
  for (let i = 0; i < n; i++) {
    const wi = ld(ws, i), xi = ld(xs, i);
    // contiguous range of j with wᵢwⱼ ≥ threshold2 (weights are unimodal in j)
    let jlo = 0, jhi = n - 1;
    while (jlo <= jhi && wi * ld(ws, jlo) < thr) jlo++;
    while (jhi >= jlo && wi * ld(ws, jhi) < thr) jhi--;
    const m = jhi - jlo + 1;
    if (m <= 0) continue;
    const c0 = b2 + r2 * u * xi, c1 = r2 * up;
    for (let j = 0; j < m; j++) st(z, j, c0 + c1 * ld(xs, jlo + j));
    activate(kind2, coef2, ncoef2, z, f2, d2, dd2, m, derivs);
    let a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, bb1: f64 = 0, bb2: f64 = 0, cc2: f64 = 0;
    const ux = u * xi;
    if (derivs == 0) {
      for (let j = 0; j < m; j++) a0 += ld(ws, jlo + j) * ld(f2, j);
    } else if (derivs == 1) {
      for (let j = 0; j < m; j++) {
        const w = ld(ws, jlo + j), eta = ux + up * ld(xs, jlo + j);
        const wd = w * ld(d2, j);
        a0 += w * ld(f2, j); a1 += wd; bb1 += eta * wd;
      }
    } else {
      for (let j = 0; j < m; j++) {
        const w = ld(ws, jlo + j), eta = ux + up * ld(xs, jlo + j);
        const wd = w * ld(d2, j), wdd = w * ld(dd2, j);
        a0 += w * ld(f2, j); a1 += wd; a2 += wdd;
        bb1 += eta * wd; bb2 += eta * wdd; cc2 += eta * eta * wdd;
      }
    }
    const F = wi * ld(f1, i);
    v += F * a0;
    if (derivs >= 1) {
      const D = wi * ld(d1, i);
      gr1 += xi * D * a0; gb1 += D * a0; gr2 += F * bb1; gb2 += F * a1; e11 += D * a1;
      if (derivs >= 2) {
        const DD = wi * ld(dd1, i);
        hr1r1 += xi * xi * DD * a0; hr1b1 += xi * DD * a0; hr1r2 += xi * D * bb1; hr1b2 += xi * D * a1;
        exdd += xi * DD * a1; hb1b1 += DD * a0; hb1r2 += D * bb1; edd1 += DD * a1;
        hr2r2 += F * cc2; hr2b2 += F * bb2; eetadd += D * bb2; hb2b2 += F * a2; edd2 += D * a2; edddd += DD * a2;
      }
    }
  }
  memory.fill(o, 0, 8 * N2);
  st(o, 0, v);
  st(o, 1 + R1, gr1); st(o, 1 + B1, gb1); st(o, 1 + R2, gr2); st(o, 1 + B2, gb2); st(o, 1 + U, r1 * r2 * e11);
  st(o, hix(R1, R1), hr1r1); st(o, hix(R1, B1), hr1b1); st(o, hix(R1, R2), hr1r2); st(o, hix(R1, B2), hr1b2);
  st(o, hix(R1, U), r2 * (e11 + r1 * exdd));
  st(o, hix(B1, B1), hb1b1); st(o, hix(B1, R2), hb1r2); st(o, hix(B1, B2), e11); st(o, hix(B1, U), r1 * r2 * edd1);
  st(o, hix(R2, R2), hr2r2); st(o, hix(R2, B2), hr2b2); st(o, hix(R2, U), r1 * (e11 + r2 * eetadd));
  st(o, hix(B2, B2), hb2b2); st(o, hix(B2, U), r1 * r2 * edd2);
  st(o, hix(U, U), r1 * r1 * r2 * r2 * edddd);
}

function emit(src: usize, out: usize, count: i32): void {
  memory.copy(out, src, <usize>count << 3);
}

function isPhiKind(kind: i32): bool {
  return kind == ACT_NORMAL_CDF || kind == ACT_SIGMOID2;
}

// ---------------------------------------------------------------------------------------------
// Exports. `rule` is a rule block of gaussRule; `scratch` holds 8n f64 (n = rule size); `out` holds
// 1, 3 or 6 (1-D) / 1, 6 or 21 (2-D) f64 for derivs = 0, 1, 2.

/** M(f, r, b) = E f(rξ + b): closed form for relu, normal_cdf, sigmoid2, quadrature otherwise. */
export function normalM(kind: i32, coef: usize, ncoef: i32, r: f64, b: f64, rule: usize, derivs: i32, out: usize, scratch: usize): void {
  if (kind == ACT_RELU) reluM(r, b, W21);
  else if (isPhiKind(kind)) phiM(kind, r, b, W21);
  else quadMInto(kind, coef, ncoef, r, b, rule, derivs, W21, scratch);
  emit(W21, out, outCount(2, derivs));
}

/** G1(f, r, b) = E f(rξ + b)²: closed form for relu, normal_cdf, sigmoid2, quadrature otherwise. */
export function normalG1(kind: i32, coef: usize, ncoef: i32, r: f64, b: f64, rule: usize, derivs: i32, out: usize, scratch: usize): void {
  if (kind == ACT_RELU) reluG1(r, b, W21);
  else if (isPhiKind(kind)) {
    phiG2(kind, r, b, kind, r, b, 1.0, W21B);
    foldDiagonal(W21B, W21);
  } else quadG1Into(kind, coef, ncoef, r, b, rule, derivs, W21, scratch);
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
  else quadG2Into(kind1, coef1, ncoef1, kind2, coef2, ncoef2, r1, b1, r2, b2, u, rule, derivs, W21, scratch);
  emit(W21, out, outCount(5, derivs));
}

/** M by quadrature for every kind (the relu kinds omit the δ parts of relu″). */
export function quadM(kind: i32, coef: usize, ncoef: i32, r: f64, b: f64, rule: usize, derivs: i32, out: usize, scratch: usize): void {
  quadMInto(kind, coef, ncoef, r, b, rule, derivs, W21, scratch);
  emit(W21, out, outCount(2, derivs));
}

/** G1 by quadrature for every kind. */
export function quadG1(kind: i32, coef: usize, ncoef: i32, r: f64, b: f64, rule: usize, derivs: i32, out: usize, scratch: usize): void {
  quadG1Into(kind, coef, ncoef, r, b, rule, derivs, W21, scratch);
  emit(W21, out, outCount(2, derivs));
}

/** G2 by quadrature for every pair of kinds. */
export function quadG2(kind1: i32, coef1: usize, ncoef1: i32, kind2: i32, coef2: usize, ncoef2: i32,
  r1: f64, b1: f64, r2: f64, b2: f64, u: f64, rule: usize, derivs: i32, out: usize, scratch: usize): void {
  quadG2Into(kind1, coef1, ncoef1, kind2, coef2, ncoef2, r1, b1, r2, b2, u, rule, derivs, W21, scratch);
  emit(W21, out, outCount(5, derivs));
}
