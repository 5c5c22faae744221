// Fused activation kernels: a = f(z), a1 = f'(z), a2 = f''(z) over f64 arrays in linear memory.
// (Version 1: scalar Math.exp loops for the transcendental kinds.)
import { erf, erfc, normalPdf, normalCdfWithPdf } from "./erf";

export const ACT_IDENTITY: i32 = 0;
export const ACT_RELU: i32 = 1;
export const ACT_SIGMOID: i32 = 2;
export const ACT_SOFTPLUS: i32 = 3;
export const ACT_G: i32 = 4;
export const ACT_TANH: i32 = 5;
export const ACT_GELU: i32 = 6;
export const ACT_SILU: i32 = 7;
export const ACT_SELU: i32 = 8;
export const ACT_SQUARE: i32 = 9;
export const ACT_CUBE: i32 = 10;
export const ACT_SIGMOID2: i32 = 11;
export const ACT_NORMAL_CDF: i32 = 12;
export const ACT_EXP: i32 = 13;
export const ACT_POLY: i32 = 14;

// @ts-ignore: decorator
@inline const SELU_LAMBDA: f64 = 1.0507009873554805; // λ
// @ts-ignore: decorator
@inline const SELU_LAMBDA_ALPHA: f64 = 1.7580993408473768; // λ·α, α = 1.6732632423543772…
// @ts-ignore: decorator
@inline const INV_SQRT2: f64 = 0.7071067811865476; // 1/√2

// Scalar results of one element (f, f', f'').
let r0: f64 = 0, r1: f64 = 0, r2: f64 = 0;

/** σ family at x with e = e^(−|x|), em = e − 1: r0 = σ, r1 = σ' = e/(1+e)², r2 = σ'' = σ'(1 − 2σ). */
function sigmoidAll(x: f64, derivs: i32): void {
  const ax = Math.abs(x);
  const e = Math.exp(-ax);
  const r = 1.0 / (1.0 + e);
  r0 = x >= 0 ? r : e * r;
  r1 = e * r * r;
  // 1 − 2σ = −sign(x)·(1 − e)/(1 + e)
  if (derivs >= 2) r2 = r1 * copysign<f64>(Math.expm1(-ax) * r, -x);
}

function scalarEval(kind: i32, x: f64, derivs: i32): void {
  switch (kind) {
    case ACT_SIGMOID: { sigmoidAll(x, derivs); break; }
    case ACT_SOFTPLUS: {
      sigmoidAll(x, 1);
      const s = r0, s1 = r1;
      r0 = x < 34 ? Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))) : x;
      r1 = s; r2 = s1;
      break;
    }
    case ACT_G: {
      sigmoidAll(4 * x, derivs);
      const a = r0, b = r1, c = r2;
      sigmoidAll(x, 1);
      const sp = x < 34 ? Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))) : x;
      const s = r0, s1 = r1;
      r0 = a + sp; r1 = 4 * b + s; r2 = 16 * c + s1;
      break;
    }
    case ACT_TANH: {
      // tanh|x| = −em/(1+e), 1 − tanh² = 4e/(1+e)², e = e^(−2|x|)
      const t = -2 * Math.abs(x);
      const e = Math.exp(t);
      const r = 1.0 / (1.0 + e);
      r0 = copysign<f64>(-Math.expm1(t) * r, x);
      r1 = 4 * e * r * r;
      r2 = -2 * r0 * r1;
      break;
    }
    case ACT_GELU: {
      const p = normalPdf(x);
      const c = normalCdfWithPdf(x, p);
      r0 = x * c; r1 = c + x * p; r2 = p * (2 - x * x);
      break;
    }
    case ACT_SILU: {
      sigmoidAll(x, derivs);
      const s = r0, s1 = r1, s2 = r2;
      r0 = x * s; r1 = s + x * s1; r2 = 2 * s1 + x * s2;
      break;
    }
    case ACT_SELU: {
      if (x > 0) { r0 = SELU_LAMBDA * x; r1 = SELU_LAMBDA; r2 = 0; }
      else { r0 = SELU_LAMBDA_ALPHA * Math.expm1(x); r1 = SELU_LAMBDA_ALPHA * Math.exp(x); r2 = r1; }
      break;
    }
    case ACT_SIGMOID2: {
      const p = normalPdf(x);
      r0 = erf(x * INV_SQRT2); r1 = 2 * p; r2 = -x * r1;
      break;
    }
    case ACT_NORMAL_CDF: {
      const p = normalPdf(x);
      r0 = normalCdfWithPdf(x, p); r1 = p; r2 = -x * p;
      break;
    }
    case ACT_EXP: { r0 = Math.exp(x); r1 = r0; r2 = r0; break; }
    default: assert(false, "unknown activation kind");
  }
}

function scalarKernel(kind: i32, z: usize, a: usize, a1: usize, a2: usize, count: i32, derivs: i32): void {
  for (let i = 0; i < count; i++) {
    const o = <usize>i << 3;
    scalarEval(kind, load<f64>(z + o), derivs);
    store<f64>(a + o, r0);
    if (derivs >= 1) store<f64>(a1 + o, r1);
    if (derivs >= 2) store<f64>(a2 + o, r2);
  }
}

/** a = x, a1 = 1, a2 = 0. */
function identityKernel(z: usize, a: usize, a1: usize, a2: usize, count: i32, derivs: i32): void {
  if (z != a) memory.copy(a, z, <usize>count << 3);
  for (let i = 0; i < count; i++) {
    const o = <usize>i << 3;
    if (derivs >= 1) store<f64>(a1 + o, 1.0);
    if (derivs >= 2) store<f64>(a2 + o, 0.0);
  }
}

/** relu: max(x, 0), 1[x > 0], 0. */
function reluKernel(z: usize, a: usize, a1: usize, a2: usize, count: i32, derivs: i32): void {
  for (let i = 0; i < count; i++) {
    const o = <usize>i << 3;
    const x = load<f64>(z + o);
    store<f64>(a + o, Math.max(x, 0.0));
    if (derivs >= 1) store<f64>(a1 + o, x > 0 ? 1.0 : 0.0);
    if (derivs >= 2) store<f64>(a2 + o, 0.0);
  }
}

/** square: x²/2, x, 1; cube: x³, 3x², 6x. */
function powerKernel(cube: bool, z: usize, a: usize, a1: usize, a2: usize, count: i32, derivs: i32): void {
  for (let i = 0; i < count; i++) {
    const o = <usize>i << 3;
    const x = load<f64>(z + o);
    store<f64>(a + o, cube ? x * x * x : 0.5 * x * x);
    if (derivs >= 1) store<f64>(a1 + o, cube ? 3 * x * x : x);
    if (derivs >= 2) store<f64>(a2 + o, cube ? 6 * x : 1.0);
  }
}

/** p(x) = Σ cᵢ xⁱ, p' = Σ i cᵢ xⁱ⁻¹, p'' = Σ i(i−1) cᵢ xⁱ⁻² by Horner. */
function polyKernel(c: usize, n: i32, z: usize, a: usize, a1: usize, a2: usize, count: i32, derivs: i32): void {
  for (let i = 0; i < count; i++) {
    const o = <usize>i << 3;
    const x = load<f64>(z + o);
    let p: f64 = 0, d: f64 = 0, dd: f64 = 0;
    for (let j = n - 1; j >= 0; j--) p = p * x + load<f64>(c + (<usize>j << 3));
    for (let j = n - 1; j >= 1; j--) d = d * x + <f64>j * load<f64>(c + (<usize>j << 3));
    for (let j = n - 1; j >= 2; j--) dd = dd * x + <f64>(j * (j - 1)) * load<f64>(c + (<usize>j << 3));
    store<f64>(a + o, p);
    if (derivs >= 1) store<f64>(a1 + o, d);
    if (derivs >= 2) store<f64>(a2 + o, dd);
  }
}

/** a[i] = f(z[i]); if derivs >= 1 also a1[i] = f'(z[i]); if derivs >= 2 also a2[i] = f''(z[i]), for i in [0, count). */
export function activate(kind: i32, coef: usize, ncoef: i32, z: usize, a: usize, a1: usize, a2: usize, count: i32, derivs: i32): void {
  switch (kind) {
    case ACT_IDENTITY: { identityKernel(z, a, a1, a2, count, derivs); break; }
    case ACT_RELU: { reluKernel(z, a, a1, a2, count, derivs); break; }
    case ACT_SQUARE: { powerKernel(false, z, a, a1, a2, count, derivs); break; }
    case ACT_CUBE: { powerKernel(true, z, a, a1, a2, count, derivs); break; }
    case ACT_POLY: { polyKernel(coef, ncoef, z, a, a1, a2, count, derivs); break; }
    default: scalarKernel(kind, z, a, a1, a2, count, derivs);
  }
}
