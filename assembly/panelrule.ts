// Composite Gauss–Legendre rules for Gaussian integrals of piecewise analytic integrands
// (normalintegrals.ts, the kinked activations relu and selu on the adaptive path, rule 0).
//
// E g(ξ) = ∫ g(x)φ(x) dx with g analytic except at known cuts (the kink ξ₀ = −b/r of f(rξ + b)) is
// integrated on [−L, L] cut there: every piece is divided into panels of width ≤ PANEL_STEPS·h, h the
// trapezoidal step of quadrule.ts for the analytic pieces, with GL_N Gauss–Legendre nodes each,
//   ∫_a^b gφ ≈ Σₖ (b − a)/2 · wₖ g(xₖ)φ(xₖ),   xₖ = (a + b)/2 + (b − a)/2 · tₖ.
// A panel of half-width a whose integrand has no singularity within d of it converges like ρ^{−2GL_N},
// ρ = d/a + √(1 + d²/a²); the trapezoidal step resolves a strip d ≈ LN_TOL·h/(2π) ≈ 5.6h, so panels
// of 9h (a = 4.5h) give ρ^{−40} ≲ 1e−16 (measured on half-lines: softplus″, tanh, gelu and exponential
// factors, 3e−15 at 10h, 2e−14 at 12h). A band [lo, hi] of the range may ask for its own step (the
// ξ-range on which another unit's kink crosses the inner integral: normalintegrals.ts kinkG2).
// The rule block has the layout of gaussRule: [n, 0, x[n], w[n]] with w including φ.

// @ts-ignore: decorator
@inline const GL_N: i32 = 20; // Gauss–Legendre nodes per panel
// @ts-ignore: decorator
@inline const GL_HALF: i32 = 10; // GL_N / 2 (nodes are symmetric)
// @ts-ignore: decorator
@inline const PANEL_STEPS: f64 = 9.0; // panel width in trapezoidal steps
// @ts-ignore: decorator
@inline const CUT_MAX: i32 = 6; // cuts at most (kink, band edges)
// @ts-ignore: decorator
@inline const INV_SQRT_2PI: f64 = 0.3989422804014327; // 1/√(2π)
// @ts-ignore: decorator
@inline const PI: f64 = 3.141592653589793;

/** Nodes of a panel rule at most (the scratch of normalintegrals.ts holds rules of this size). */
export const PANEL_NODES_MAX: i32 = 2049; // also the trapezoidal rules of normalintegrals.ts (2·1024 + 1)

const GLT = memory.data(8 * GL_HALF); // positive nodes tₖ of the GL_N-point rule on [−1, 1]
const GLW = memory.data(8 * GL_HALF); // their weights
let glReady: bool = false;
const CUTS = memory.data(8 * CUT_MAX);
let ncut: i32 = 0;
let rangeL: f64 = 0;
let bandLo: f64 = 0;
let bandHi: f64 = 0;
let bandStep: f64 = 0;

// @ts-ignore: decorator
@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/**
 * The Gauss–Legendre nodes by Newton's method on P_N from tₖ ≈ cos(π(k − 1/4)/(N + 1/2)):
 * (j + 1)P_{j+1} = (2j + 1)tP_j − jP_{j−1}, P′_N = N(tP_N − P_{N−1})/(t² − 1), wₖ = 2/((1 − tₖ²)P′_N(tₖ)²).
 */
function glInit(): void {
  for (let k = 0; k < GL_HALF; k++) {
    let t = Math.cos(PI * (<f64>k + 0.75) / (<f64>GL_N + 0.5));
    let dp: f64 = 1;
    for (let it = 0; it < 100; it++) {
      let p0: f64 = 1, p1 = t;
      for (let j = 1; j < GL_N; j++) {
        const p2 = ((2.0 * <f64>j + 1.0) * t * p1 - <f64>j * p0) / (<f64>j + 1.0);
        p0 = p1;
        p1 = p2;
      }
      dp = <f64>GL_N * (t * p1 - p0) / (t * t - 1.0);
      const dt = p1 / dp;
      t -= dt;
      if (Math.abs(dt) < 1e-17) break;
    }
    st(GLT, k, t);
    st(GLW, k, 2.0 / ((1.0 - t * t) * dp * dp));
  }
  glReady = true;
}

/** Starts a rule on [−L, L] without cuts or band. */
export function cutsReset(L: f64): void {
  ncut = 0;
  rangeL = L;
  bandLo = Infinity;
  bandHi = -Infinity;
}

/** Adds a cut at x (kept sorted; ignored outside (−L, L), when not finite or when CUT_MAX are set). */
export function cutAdd(x: f64): void {
  if (!(x > -rangeL && x < rangeL) || ncut >= CUT_MAX) return;
  let i = ncut;
  while (i > 0 && ld(CUTS, i - 1) > x) {
    st(CUTS, i, ld(CUTS, i - 1));
    i--;
  }
  st(CUTS, i, x);
  ncut++;
}

/** Gives [lo, hi] ∩ [−L, L] the step h (its edges become cuts). */
export function bandSet(lo: f64, hi: f64, h: f64): void {
  bandLo = Math.max(lo, -rangeL);
  bandHi = Math.min(hi, rangeL);
  if (!(bandLo < bandHi)) return;
  bandStep = h;
  cutAdd(bandLo);
  cutAdd(bandHi);
}

/** Breakpoint k of [−L, cuts…, L]. */
function edge(k: i32): f64 {
  return k == 0 ? -rangeL : k > ncut ? rangeL : ld(CUTS, k - 1);
}

/** Panels of the piece [a, b] for step h (widened by `scale`). */
function panels(a: f64, b: f64, h: f64, scale: f64): i32 {
  const mid = 0.5 * (a + b);
  const step = mid > bandLo && mid < bandHi ? Math.min(h, bandStep) : h;
  return <i32>Math.max(1.0, Math.ceil((b - a) / (PANEL_STEPS * step * scale)));
}

/**
 * Writes the rule block [n, 0, x, w] for step h on the current range and cuts (widening every panel
 * when more than PANEL_NODES_MAX nodes would be needed). Returns the block size in f64.
 */
export function panelRule(h: f64, rule: usize): i32 {
  if (!glReady) glInit();
  let scale: f64 = 1;
  let total = 0;
  for (let it = 0; it < 8; it++) {
    total = 0;
    for (let k = 0; k <= ncut; k++) total += panels(edge(k), edge(k + 1), h, scale);
    if (total * GL_N <= PANEL_NODES_MAX) break;
    scale *= <f64>(total * GL_N) / <f64>PANEL_NODES_MAX * 1.05;
  }
  const n = total * GL_N;
  store<f64>(rule, <f64>n);
  store<f64>(rule, 0.0, 8);
  const xs = rule + 16, ws = xs + (<usize>n << 3);
  let i = 0;
  for (let k = 0; k <= ncut; k++) {
    const a = edge(k), b = edge(k + 1);
    const np = panels(a, b, h, scale);
    const half = 0.5 * (b - a) / <f64>np;
    for (let p = 0; p < np; p++) {
      const mid = a + (2.0 * <f64>p + 1.0) * half;
      for (let j = 0; j < GL_N; j++) {
        const kk = j < GL_HALF ? j : GL_N - 1 - j;
        const t = j < GL_HALF ? -ld(GLT, kk) : ld(GLT, kk);
        const x = mid + half * t;
        st(xs, i, x);
        st(ws, i, half * ld(GLW, kk) * INV_SQRT_2PI * Math.exp(-0.5 * x * x));
        i++;
      }
    }
  }
  return 2 + 2 * n;
}
