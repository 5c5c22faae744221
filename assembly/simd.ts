// Small f64x2 building blocks shared by the dense kernels (gemm, LU, Cholesky, Hessian).

/** Splat of the f64 at address `p`. */
// @ts-ignore: decorator
@inline export function splat(p: usize): v128 {
  return f64x2.splat(load<f64>(p));
}

/**
 * acc + a·b, lane-wise: one fused multiply-add in the relaxed-SIMD build (dist/kernels.relaxed.wasm,
 * where the hardware has FMA; the choice is made at compile time), a product and a sum otherwise.
 */
// @ts-ignore: decorator
@inline export function madd(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, acc);
  return f64x2.add(acc, f64x2.mul(a, b));
}

/** Sum of the two lanes. */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** *p += v. */
// @ts-ignore: decorator
@inline export function addTo(p: usize, v: f64): void {
  store<f64>(p, load<f64>(p) + v);
}

/** *p −= v. */
// @ts-ignore: decorator
@inline export function subFrom(p: usize, v: f64): void {
  store<f64>(p, load<f64>(p) - v);
}

/** Σ_{k<len} a[k]·b[k] for any len ≥ 0: two f64x2 accumulators, scalar tail. */
export function dot(a: usize, b: usize, len: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  const bytes = <usize>len << 3;
  let o: usize = 0;
  for (; o + 32 <= bytes; o += 32) {
    s0 = madd(s0, v128.load(a + o), v128.load(b + o));
    s1 = madd(s1, v128.load(a + o, 16), v128.load(b + o, 16));
  }
  if (o + 16 <= bytes) {
    s0 = madd(s0, v128.load(a + o), v128.load(b + o));
    o += 16;
  }
  let s = hsum(f64x2.add(s0, s1));
  if (o < bytes) s += load<f64>(a + o) * load<f64>(b + o);
  return s;
}

/** y[k] −= α·x[k] for k < len (any len ≥ 0). */
export function subScaled(y: usize, alpha: f64, x: usize, len: i32): void {
  const s = f64x2.splat(alpha);
  const bytes = <usize>len << 3;
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) {
    v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.mul(s, v128.load(x + o))));
  }
  if (o < bytes) store<f64>(y + o, load<f64>(y + o) - alpha * load<f64>(x + o));
}
