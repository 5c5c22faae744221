// Gauss–Hermite rules for the standard normal measure: Σᵢ wᵢ g(xᵢ) ≈ E g(ξ), ξ ~ N(0, 1), Σ wᵢ = 1.
//
// The N-point rule integrates every polynomial of degree ≤ 2N − 1 exactly (before pruning). Its
// nodes are the zeros of the probabilists' Hermite polynomial He_N, i.e. the eigenvalues of the
// Jacobi matrix J_N (zero diagonal, off-diagonal √1 … √(N−1)); the weights are the Christoffel
// numbers wᵢ = 1 / Σ_{k<N} p_k(xᵢ)² of the orthonormal polynomials
//   p₀ = 1,  p₁ = x,  p_{k+1} = (x p_k − √k p_{k−1}) / √(k + 1).
// Each positive zero (from the centre outwards) is isolated by bisection on the Sturm count of
// J_N − xI (LDLᵀ pivots d₀ = −x, d_k = −x − k/d_{k−1}; #negative pivots = #zeros below x) and then
// polished by Newton's method on p_N (p_N′ = √N p_{N−1}), which gives full relative accuracy to
// nodes and weights (no eigenvectors, so tiny weights keep their relative accuracy too).
// Pruning (as MLPGradientFlow's NormalIntegral): nodes with wᵢ < threshold are dropped (weights
// decrease away from 0, so the search stops at the first one); the default N = 600 with threshold
// 1e−18 keeps 136 nodes, |x| ≤ 8.7. Dropping them changes E g by at most Σ dropped wᵢ·|g|.
// The 2-D rule is the tensor product of the pruned 1-D rule restricted to wᵢwⱼ ≥ threshold2
// (13,448 nodes for the defaults).

// @ts-ignore: decorator
@inline const BISECT_TOL: f64 = 1e-4; // bracket width at which Newton takes over
// @ts-ignore: decorator
@inline const NEWTON_MAX: i32 = 20;
// @ts-ignore: decorator
@inline const NEWTON_TOL: f64 = 4.440892098500626e-16; // 2 ulp, relative step at which Newton stops
// @ts-ignore: decorator
@inline const PIVOT_TINY: f64 = 1e-300; // replaces an exactly zero Sturm pivot
// @ts-ignore: decorator
@inline const SCALE_BIG: f64 = 3.273390607896142e150; // 2^500: rescale p_k above this
// @ts-ignore: decorator
@inline const SCALE_DOWN: f64 = 3.054936363499605e-151; // 2^−500
// @ts-ignore: decorator
@inline const SCALE_DOWN2: f64 = 9.332636185032189e-302; // 2^−1000 (for Σ p_k²)

// Results of evalHermite.
let pN: f64 = 0; // p_N(x) (scaled)
let pN1: f64 = 0; // p_{N−1}(x) (same scale)
let sumSq: f64 = 0; // Σ_{k<N} p_k(x)², divided by 2^(1000·scales)
let scales: i32 = 0;

/** Number of zeros of He_N below x (Sturm count of the Jacobi matrix). */
function zerosBelow(n: i32, x: f64): i32 {
  let d = -x;
  let c = d < 0 ? 1 : 0;
  for (let k = 1; k < n; k++) {
    d = -x - <f64>k / (d != 0 ? d : PIVOT_TINY);
    if (d < 0) c++;
  }
  return c;
}

/** p_N(x), p_{N−1}(x) and Σ_{k<N} p_k(x)², rescaled by 2^−500 whenever |p_k| exceeds 2^500. */
function evalHermite(n: i32, x: f64): void {
  let pm: f64 = 0; // p_{k−1}
  let p: f64 = 1; // p_k
  let s: f64 = 0;
  let sc = 0;
  for (let k = 0; k < n; k++) {
    s += p * p;
    // p_{k+1} = (x p_k − √k p_{k−1}) / √(k+1)
    const next = (x * p - Math.sqrt(<f64>k) * pm) / Math.sqrt(<f64>(k + 1));
    pm = p;
    p = next;
    if (Math.abs(p) > SCALE_BIG) {
      p *= SCALE_DOWN;
      pm *= SCALE_DOWN;
      s *= SCALE_DOWN2;
      sc++;
    }
  }
  pN = p;
  pN1 = pm;
  sumSq = s;
  scales = sc;
}

/** The zero of He_N with 0-based rank m (ascending), known to lie in (lo, hi]. */
function hermiteZero(n: i32, m: i32, lo: f64, hi: f64): f64 {
  while (hi - lo > BISECT_TOL) {
    const mid = 0.5 * (lo + hi);
    if (zerosBelow(n, mid) > m) hi = mid;
    else lo = mid;
  }
  let x = 0.5 * (lo + hi);
  const rn = Math.sqrt(<f64>n);
  for (let it = 0; it < NEWTON_MAX; it++) {
    evalHermite(n, x);
    const step = pN / (rn * pN1); // p_N / p_N′
    let next = x - step;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi); // safeguard: stay in the bracket
    else if (step > 0) hi = x;
    else lo = x;
    const done = Math.abs(next - x) <= NEWTON_TOL * Math.abs(next);
    x = next;
    if (done) break;
  }
  return x;
}

/** Christoffel weight 1/Σ_{k<N} p_k(x)² at x (0 when it underflows). */
function hermiteWeight(n: i32, x: f64): f64 {
  evalHermite(n, x);
  let w = 1.0 / sumSq;
  for (let i = 0; i < scales; i++) w *= SCALE_DOWN2;
  return w;
}

/**
 * The N-point Gauss–Hermite rule for N(0, 1), pruned to weights ≥ threshold: writes the kept nodes in
 * ascending order to x[] and their weights to w[] (both need room for N values) and returns their
 * number. The rule is exactly symmetric (x[n−1−i] = −x[i], equal weights).
 */
export function gaussHermite(N: i32, threshold: f64, x: usize, w: usize): i32 {
  if (N < 1) return 0;
  const half = N >> 1; // number of positive zeros
  const odd = N & 1;
  const upper = Math.sqrt(4.0 * <f64>N + 2.0); // all zeros of He_N lie in (−√(4N+2), √(4N+2))
  // positive zeros ascending, stored temporarily at x[half + odd …], weights likewise
  let kept = 0;
  let lo: f64 = 0;
  for (let j = 0; j < half; j++) {
    const z = hermiteZero(N, half + odd + j, lo, upper);
    const wz = hermiteWeight(N, z);
    if (!(wz >= threshold)) break;
    store<f64>(x + (<usize>(half + odd + j) << 3), z);
    store<f64>(w + (<usize>(half + odd + j) << 3), wz);
    kept++;
    lo = z;
  }
  if (odd) {
    store<f64>(x + (<usize>half << 3), 0.0);
    store<f64>(w + (<usize>half << 3), hermiteWeight(N, 0.0));
  }
  // mirror: negative zeros, then shift everything to start at index 0
  for (let j = 0; j < kept; j++) {
    const src = <usize>(half + odd + j) << 3;
    const dst = <usize>(half - 1 - j) << 3;
    store<f64>(x + dst, -load<f64>(x + src));
    store<f64>(w + dst, load<f64>(w + src));
  }
  const first = half - kept;
  const count = 2 * kept + odd;
  if (first > 0) {
    memory.copy(x, x + (<usize>first << 3), <usize>count << 3);
    memory.copy(w, w + (<usize>first << 3), <usize>count << 3);
  }
  return count;
}

/**
 * The pruned 2-D tensor rule of a 1-D rule (x, w, n): every pair (xᵢ, xⱼ) with wᵢwⱼ ≥ threshold2, in
 * row-major order of (i, j), written to x1[], x2[], w2[] (room for n² values). Returns the count.
 */
export function gaussHermite2(x: usize, w: usize, n: i32, threshold2: f64, x1: usize, x2: usize, w2: usize): i32 {
  let c = 0;
  for (let i = 0; i < n; i++) {
    const xi = load<f64>(x + (<usize>i << 3));
    const wi = load<f64>(w + (<usize>i << 3));
    for (let j = 0; j < n; j++) {
      const wij = wi * load<f64>(w + (<usize>j << 3));
      if (wij >= threshold2) {
        const o = <usize>c << 3;
        store<f64>(x1 + o, xi);
        store<f64>(x2 + o, load<f64>(x + (<usize>j << 3)));
        store<f64>(w2 + o, wij);
        c++;
      }
    }
  }
  return c;
}

/**
 * A quadrature "rule block" for normalintegrals.ts at `rule` (room for 2 + 2N f64):
 * [n, threshold2, x₀ … x_{n−1}, w₀ … w_{n−1}] with the N-point rule pruned at threshold.
 * Returns n.
 */
export function gaussRule(N: i32, threshold: f64, threshold2: f64, rule: usize): i32 {
  const xs = rule + 16;
  const ws = xs + (<usize>N << 3);
  const n = gaussHermite(N, threshold, xs, ws);
  memory.copy(xs + (<usize>n << 3), ws, <usize>n << 3);
  store<f64>(rule, <f64>n);
  store<f64>(rule, threshold2, 8);
  return n;
}
