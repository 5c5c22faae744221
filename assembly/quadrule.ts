// Step and radius of the adaptive trapezoidal rule for Gaussian integrals (normalintegrals.ts, rule 0);
// the Gauss–Legendre panels of panelrule.ts (kinked activations) take their width from the same step.
//
// E g(ξ) = ∫ g(x)φ(x) dx with g analytic in the strip |Im x| < d is integrated by the trapezoidal
// rule Σᵢ h φ(ih) g(ih) to within ≈ exp(−2πy/h)·max_{|Im x| = y}|g φ| for every y < d (the discrete
// Poisson summation bound). On the line Im x = y, |φ| grows by e^{y²/2}; an activation f(s x + b):
//   - with poles at distance δ from the real axis (sigmoid, softplus, silu: π; tanh: π/2;
//     g = sigmoid(4x) + softplus: π/4) limits y to δ/s;
//   - of "Gaussian" type (normal_cdf, sigmoid2 = erf(x/√2), gelu = xΦ(x): |Φ(s(x + iy))| ≲ e^{s²y²/2})
//     adds s²y²/2 (twice for f²) to the exponent;
//   - entire of lower order (identity, polynomials, exp) adds nothing that matters;
//   - with a kink (relu, selu) is analytic on each side (linear, or exponential where it is bounded):
//     it adds nothing here; the caller cuts the range at the kink (panelrule.ts).
// With A = 1 + Σ s² over the Gaussian-type factors, the exponent −2πy/h + Ay²/2 is smallest at
// y* = 2π/(hA): the rule is accurate to e^{−LN_TOL} when
//   h ≤ π√2/√(A·(LN_TOL + 2 ln(1 + y*²)))   (y* below every pole: the Gaussian limit, 0.62 for A = 1;
//                                            the log term covers polynomial factors such as x⁴ on the line)
//   h ≤ 2πd/(LN_TOL + A d²/2 + ln((2π/h)²(1 + d²)))   (otherwise, d = min δ/s over the pole-type
//                                            factors; the last term is the size of the pole terms of
//                                            x²f″, solved by one fixed-point step).
// A direction of a 2-D integral takes the minimum over the factors that vary along it.
// Truncation: nodes with |x| > L carry e^{−L²/2}; L = √(2·LN_TOL) + 1/2, plus the shift s of each
// exponential factor (e^{sx}φ(x) = e^{s²/2}φ(x − s)).
import { ACT_EXP, ACT_G, ACT_GELU, ACT_NORMAL_CDF, ACT_RELU, ACT_SELU, ACT_SIGMOID, ACT_SIGMOID2, ACT_SILU, ACT_SOFTPLUS, ACT_TANH } from "./activation";

// @ts-ignore: decorator
@inline const LN_TOL: f64 = 35.0; // −ln of the target error of a single integral (≈ 6e−16)
// @ts-ignore: decorator
@inline const PI: f64 = 3.141592653589793;
// @ts-ignore: decorator
@inline const RADIUS_PAD: f64 = 0.5;

/** −1 for a kink, 0 for an entire factor, else the distance δ of the nearest pole of f to the real axis. */
function poleDistance(kind: i32): f64 {
  if (kind == ACT_RELU || kind == ACT_SELU) return -1.0;
  if (kind == ACT_SIGMOID || kind == ACT_SOFTPLUS || kind == ACT_SILU) return PI;
  if (kind == ACT_TANH) return 0.5 * PI;
  if (kind == ACT_G) return 0.25 * PI;
  return 0.0;
}

/** True for the activations with a kink (relu, selu): analytic on each side of 0, f′ jumps there (f″ has a δ). */
export function isKinked(kind: i32): bool {
  return poleDistance(kind) < 0;
}

/** True for the factors whose size grows like e^{s²y²/2} off the real axis. */
function gaussianType(kind: i32): bool {
  return kind == ACT_GELU || kind == ACT_NORMAL_CDF || kind == ACT_SIGMOID2;
}

// The factors of one direction, accumulated by stepAdd.
let growth: f64 = 1.0; // A
let poleY: f64 = Infinity; // d
let shift: f64 = 0.0;

/** Starts a new direction (and a new radius). */
export function stepReset(): void {
  growth = 1.0;
  poleY = Infinity;
}

/** Starts a new truncation radius. */
export function radiusReset(): void {
  shift = 0.0;
}

/** Adds the factor f(s·x + b)^power (power 1 or 2) to the current direction; s ≥ 0. */
export function stepAdd(kind: i32, s: f64, power: i32): void {
  if (!(s > 0)) return;
  const d = poleDistance(kind);
  if (d > 0) poleY = Math.min(poleY, d / s);
  else if (gaussianType(kind)) growth += <f64>power * s * s;
}

/** Adds a factor of Gaussian type and scale s (|g(x + iy)| ≲ e^{s²y²/2}, such as Φ(s x)) to the current direction. */
export function stepAddGaussian(s: f64): void {
  growth += s * s;
}

/** Adds the shift of an exponential factor e^{power·s·x} to the radius. */
export function radiusAdd(kind: i32, s: f64, power: i32): void {
  if (kind == ACT_EXP) shift += <f64>power * Math.abs(s);
}

/** The largest accurate step of the current direction. */
export function stepMax(): f64 {
  let hg = PI * Math.SQRT2 / Math.sqrt(growth * LN_TOL);
  // polynomial factors (x²f″, f² of a linearly growing f, …) on the shifted line Im x = y* = 2π/(hA)
  const ys = 2.0 * PI / (hg * growth);
  hg = PI * Math.SQRT2 / Math.sqrt(growth * (LN_TOL + 2.0 * Math.log(1.0 + ys * ys)));
  let h = hg;
  if (2.0 * PI / (hg * growth) > poleY) {
    const d = poleY, base = LN_TOL + 0.5 * growth * d * d;
    h = 2.0 * PI * d / base;
    // prefactor of the pole terms: (2π/h)² from the poles of f″ (order 3) and x² ~ 1 + d² of the weights
    h = 2.0 * PI * d / (base + 2.0 * Math.log(2.0 * PI / h) + Math.log(1.0 + d * d));
  }
  return h;
}

/** The truncation radius of the current factors. */
export function radius(): f64 {
  return Math.sqrt(2.0 * LN_TOL) + RADIUS_PAD + shift;
}
