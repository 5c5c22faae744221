// Fused activation kernels (inventory §b.2): a = f(z), a1 = f'(z), a2 = f''(z) over f64 arrays.
//
// Every kind is a `…Step` that evaluates two lanes (f64x2) and stores what `derivs` asks for; a
// per-kind loop runs it over pairs. For an odd count the last element runs once more as a pair of
// equal lanes in a scratch block and lane 0 is copied out, so the tail gets bit-identical results
// and nothing past `count` is written.
// Transcendentals use the vector exp/expm1/log1p of vmath.ts; erf/erfc run per lane (erf.ts).
// Stable rewrites (mathematically identical to the table): with e = e^(−|x|) and em = e − 1 (expm1),
//   σ = 1/(1+e) or e/(1+e),  σ' = e/(1+e)²,  1 − 2σ = −sign(x)·(1 − e)/(1 + e),
//   softplus = max(x,0) + log1p(e) (= x from 34 on, to the last bit), tanh|x| = −em/(1+e) and
//   1 − tanh² = 4e/(1+e)² with e = e^(−2|x|), selu uses expm1, φ/Φ keep x² and x/√2 exact.
import { erf, normalCdfWithPdf } from "./erf";
import { HALF, ONE, SIGN_BIT, TWO, ZERO, vc, vExp, vExpBoth, vExpBothM1, vExpNeg2, vExpNegTab, vLog1pExpNeg, vLog1pExpNegE, vLog1pUnit, vSoftplusInTable } from "./vmath";

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

// Vector constants in linear memory (see vmath.ts for why): read with vc(p).
const SELU_LAMBDA = memory.data<f64>([1.0507009873554805]); // λ
const SELU_LAMBDA_ALPHA = memory.data<f64>([1.7580993408473768]); // λ·α, α = 1.6732632423543772…
const INV_SQRT_2PI = memory.data<f64>([0.3989422804014327]); // 1/√(2π)
const SPLIT_MASK = memory.data<u64>([0xFFFFFFFFF8000000]); // keeps the top 26 significant bits
const PDF_MAX = memory.data<f64>([40.0]); // φ(±40) underflows to 0
const PDF_MIN = memory.data<f64>([-40.0]);
const THREE = memory.data<f64>([3.0]);
const FOUR = memory.data<f64>([4.0]);
const SIX = memory.data<f64>([6.0]);
const SIXTEEN = memory.data<f64>([16.0]);
const MINUS_TWO = memory.data<f64>([-2.0]);
const MINUS_HALF = memory.data<f64>([-0.5]);
// @ts-ignore: decorator
@inline const INV_SQRT2: f64 = 0.7071067811865476; // 1/√2 (scalar)

// ---------------------------------------------------------------------------------------------
// Lane helpers

/** Stores both lanes of v at p. */
// @ts-ignore: decorator
@inline function put(p: usize, v: v128): void {
  v128.store(p, v);
}

/** The sign bit of each lane of x. */
// @ts-ignore: decorator
@inline function signOf(x: v128): v128 {
  return v128.and(x, vc(SIGN_BIT));
}

/**
 * φ(x) = e^(−x²/2)/√(2π) per lane: x is clamped to ±40 (φ = 0 beyond) and −x²/2 = hi + lo split
 * exactly (xh = x with 26 significant bits, so hi = −xh²/2 is exact, lo = −(xh·xl + xl²/2)).
 */
// @ts-ignore: decorator
@inline function vNormalPdf(x: v128): v128 {
  const xc = f64x2.pmin(f64x2.pmax(x, vc(PDF_MIN)), vc(PDF_MAX));
  const xh = v128.and(xc, vc(SPLIT_MASK));
  const xl = f64x2.sub(xc, xh);
  const hi = f64x2.mul(f64x2.mul(vc(MINUS_HALF), xh), xh);
  const lo = f64x2.neg(f64x2.add(f64x2.mul(xh, xl), f64x2.mul(f64x2.mul(vc(HALF), xl), xl)));
  return f64x2.mul(vc(INV_SQRT_2PI), vExpNeg2(hi, lo));
}

/** Φ(x) per lane from x and φ(x) (scalar erfc, see erf.ts). */
// @ts-ignore: decorator
@inline function vNormalCdf(x: v128, phi: v128): v128 {
  const c0 = normalCdfWithPdf(f64x2.extract_lane(x, 0), f64x2.extract_lane(phi, 0));
  const c1 = normalCdfWithPdf(f64x2.extract_lane(x, 1), f64x2.extract_lane(phi, 1));
  return f64x2.replace_lane(f64x2.splat(c0), 1, c1);
}

/** erf(x/√2) per lane (scalar erf). */
// @ts-ignore: decorator
@inline function vErfScaled(x: v128): v128 {
  const y0 = erf(f64x2.extract_lane(x, 0) * INV_SQRT2);
  const y1 = erf(f64x2.extract_lane(x, 1) * INV_SQRT2);
  return f64x2.replace_lane(f64x2.splat(y0), 1, y1);
}

// ---------------------------------------------------------------------------------------------
// Steps: two lanes of one kind; D = number of derivatives (0, 1, 2).

/** identity: x, 1, 0. */
// @ts-ignore: decorator
@inline function identityStep(x: v128, a: usize, a1: usize, a2: usize, D: i32): void {
  put(a, x);
  if (D >= 1) put(a1, vc(ONE));
  if (D >= 2) put(a2, vc(ZERO));
}

/** relu: max(x, 0), 1[x > 0] (so relu'(0) = 0), 0. */
// @ts-ignore: decorator
@inline function reluStep(x: v128, a: usize, a1: usize, a2: usize, D: i32): void {
  put(a, f64x2.max(x, vc(ZERO)));
  if (D >= 1) put(a1, v128.and(f64x2.gt(x, vc(ZERO)), vc(ONE)));
  if (D >= 2) put(a2, vc(ZERO));
}

/** square: x²/2, x, 1. */
// @ts-ignore: decorator
@inline function squareStep(x: v128, a: usize, a1: usize, a2: usize, D: i32): void {
  put(a, f64x2.mul(f64x2.mul(vc(HALF), x), x));
  if (D >= 1) put(a1, x);
  if (D >= 2) put(a2, vc(ONE));
}

/** cube: x³, 3x², 6x. */
// @ts-ignore: decorator
@inline function cubeStep(x: v128, a: usize, a1: usize, a2: usize, D: i32): void {
  const x2 = f64x2.mul(x, x);
  put(a, f64x2.mul(x2, x));
  if (D >= 1) put(a1, f64x2.mul(vc(THREE), x2));
  if (D >= 2) put(a2, f64x2.mul(vc(SIX), x));
}

/** exp: eˣ, eˣ, eˣ. */
// @ts-ignore: decorator
@inline function expStep(x: v128, a: usize, a1: usize, a2: usize, D: i32): void {
  const e = vExp(x);
  put(a, e);
  if (D >= 1) put(a1, e);
  if (D >= 2) put(a2, e);
}

/** sigmoid: σ, σ' = e/(1+e)², σ'' = σ'·(1 − 2σ) with e = e^(−|x|). */
// @ts-ignore: decorator
@inline function sigmoidStep(x: v128, a: usize, a1: usize, a2: usize, D: i32): void {
  const e = vExpBoth(f64x2.neg(f64x2.abs(x)));
  const r = f64x2.div(vc(ONE), f64x2.add(vc(ONE), e));
  put(a, v128.bitselect(r, f64x2.mul(e, r), f64x2.ge(x, vc(ZERO))));
  if (D >= 1) {
    const s1 = f64x2.mul(f64x2.mul(e, r), r);
    put(a1, s1);
    // 1 − 2σ = sign(x)·em/(1 + e), em = e − 1 ≤ 0
    if (D >= 2) put(a2, f64x2.mul(s1, v128.xor(f64x2.mul(vExpBothM1, r), signOf(x))));
  }
}

/**
 * softplus: max(x, 0) + log1p(e^(−|x|)) (equals x for x ≥ 34), σ(x), σ'(x); log1p(e^(−|x|)) from one
 * table for |x| ≤ 37.5, else from exp then log1p.
 */
// @ts-ignore: decorator
@inline function softplusStep(x: v128, a: usize, a1: usize, a2: usize, D: i32): void {
  const ax = f64x2.abs(x);
  let e: v128, l: v128;
  if (vSoftplusInTable(ax)) {
    l = vLog1pExpNeg(ax);
    e = vLog1pExpNegE;
  } else {
    e = vExpNegTab(f64x2.neg(ax));
    l = vLog1pUnit(e);
  }
  const r = f64x2.div(vc(ONE), f64x2.add(vc(ONE), e));
  put(a, f64x2.add(f64x2.pmax(vc(ZERO), x), l));
  if (D >= 1) put(a1, v128.bitselect(r, f64x2.mul(e, r), f64x2.ge(x, vc(ZERO))));
  if (D >= 2) put(a2, f64x2.mul(f64x2.mul(e, r), r));
}

/**
 * g(x) = σ(4x) + softplus(x), g' = 4σ'(4x) + σ(x), g'' = 16σ''(4x) + σ'(x). e^(−4|x|) = (e²)² and
 * expm1(−4|x|) = em·(2 + em)·(1 + e²) come from e = e^(−|x|), em = e − 1 (one exp).
 */
// @ts-ignore: decorator
@inline function gStep(x: v128, a: usize, a1: usize, a2: usize, D: i32): void {
  const e = vExpBoth(f64x2.neg(f64x2.abs(x)));
  const em = vExpBothM1;
  const pos = f64x2.ge(x, vc(ZERO));
  const r = f64x2.div(vc(ONE), f64x2.add(vc(ONE), e));
  const e2 = f64x2.mul(e, e);
  const e4 = f64x2.mul(e2, e2);
  const r4 = f64x2.div(vc(ONE), f64x2.add(vc(ONE), e4));
  const sig4 = v128.bitselect(r4, f64x2.mul(e4, r4), pos);
  put(a, f64x2.add(sig4, f64x2.add(f64x2.pmax(vc(ZERO), x), vLog1pUnit(e))));
  if (D >= 1) {
    const sig = v128.bitselect(r, f64x2.mul(e, r), pos);
    const d4 = f64x2.mul(f64x2.mul(e4, r4), r4);
    put(a1, f64x2.add(f64x2.mul(vc(FOUR), d4), sig));
    if (D >= 2) {
      const em4 = f64x2.mul(f64x2.mul(em, f64x2.add(vc(TWO), em)), f64x2.add(vc(ONE), e2));
      const dd4 = f64x2.mul(d4, v128.xor(f64x2.mul(em4, r4), signOf(x)));
      put(a2, f64x2.add(f64x2.mul(vc(SIXTEEN), dd4), f64x2.mul(f64x2.mul(e, r), r)));
    }
  }
}

/** tanh: y = sign(x)·(1 − e)/(1 + e), y' = 4e/(1 + e)², y'' = −2y·y', with e = e^(−2|x|). */
// @ts-ignore: decorator
@inline function tanhStep(x: v128, a: usize, a1: usize, a2: usize, D: i32): void {
  const e = vExpBoth(f64x2.mul(vc(MINUS_TWO), f64x2.abs(x)));
  const r = f64x2.div(vc(ONE), f64x2.add(vc(ONE), e));
  const y = v128.xor(f64x2.neg(f64x2.mul(vExpBothM1, r)), signOf(x));
  put(a, y);
  if (D >= 1) {
    const y1 = f64x2.mul(f64x2.mul(vc(FOUR), e), f64x2.mul(r, r));
    put(a1, y1);
    if (D >= 2) put(a2, f64x2.mul(f64x2.mul(vc(MINUS_TWO), y), y1));
  }
}

/** silu: x·σ, σ + x·σ', 2σ' + x·σ''. */
// @ts-ignore: decorator
@inline function siluStep(x: v128, a: usize, a1: usize, a2: usize, D: i32): void {
  const e = vExpBoth(f64x2.neg(f64x2.abs(x)));
  const r = f64x2.div(vc(ONE), f64x2.add(vc(ONE), e));
  const sig = v128.bitselect(r, f64x2.mul(e, r), f64x2.ge(x, vc(ZERO)));
  put(a, f64x2.mul(x, sig));
  if (D >= 1) {
    const s1 = f64x2.mul(f64x2.mul(e, r), r);
    put(a1, f64x2.add(sig, f64x2.mul(x, s1)));
    if (D >= 2) {
      const s2 = f64x2.mul(s1, v128.xor(f64x2.mul(vExpBothM1, r), signOf(x)));
      put(a2, f64x2.add(f64x2.mul(vc(TWO), s1), f64x2.mul(x, s2)));
    }
  }
}

/** selu: λx | λα·expm1(x), λ | λαeˣ, 0 | λαeˣ (right | left of 0, x = 0 on the left). */
// @ts-ignore: decorator
@inline function seluStep(x: v128, a: usize, a1: usize, a2: usize, D: i32): void {
  const e = vExpBoth(f64x2.pmin(x, vc(ZERO)));
  const pos = f64x2.gt(x, vc(ZERO));
  const le = f64x2.mul(vc(SELU_LAMBDA_ALPHA), e);
  put(a, v128.bitselect(f64x2.mul(vc(SELU_LAMBDA), x), f64x2.mul(vc(SELU_LAMBDA_ALPHA), vExpBothM1), pos));
  if (D >= 1) put(a1, v128.bitselect(vc(SELU_LAMBDA), le, pos));
  if (D >= 2) put(a2, v128.andnot(le, pos));
}

/** gelu: x·Φ(x), Φ + x·φ, φ·(2 − x²). */
// @ts-ignore: decorator
@inline function geluStep(x: v128, a: usize, a1: usize, a2: usize, D: i32): void {
  const phi = vNormalPdf(x);
  const cdf = vNormalCdf(x, phi);
  put(a, f64x2.mul(x, cdf));
  if (D >= 1) put(a1, f64x2.add(cdf, f64x2.mul(x, phi)));
  if (D >= 2) put(a2, f64x2.mul(phi, f64x2.sub(vc(TWO), f64x2.mul(x, x))));
}

/** sigmoid2: erf(x/√2), 2φ(x) = √(2/π)e^(−x²/2), −x·f'. */
// @ts-ignore: decorator
@inline function sigmoid2Step(x: v128, a: usize, a1: usize, a2: usize, D: i32): void {
  put(a, vErfScaled(x));
  if (D >= 1) {
    const d = f64x2.mul(vc(TWO), vNormalPdf(x));
    put(a1, d);
    if (D >= 2) put(a2, f64x2.mul(f64x2.neg(x), d));
  }
}

/** normal_cdf: Φ(x), φ(x), −x·φ(x). */
// @ts-ignore: decorator
@inline function normalCdfStep(x: v128, a: usize, a1: usize, a2: usize, D: i32): void {
  const phi = vNormalPdf(x);
  put(a, vNormalCdf(x, phi));
  if (D >= 1) put(a1, phi);
  if (D >= 2) put(a2, f64x2.mul(f64x2.neg(x), phi));
}

/** poly: Σ cᵢxⁱ, Σ i·cᵢxⁱ⁻¹, Σ i(i−1)·cᵢxⁱ⁻² by Horner on the (shifted) coefficients. */
// @ts-ignore: decorator
@inline function polyStep(c: usize, n: i32, x: v128, a: usize, a1: usize, a2: usize, D: i32): void {
  let p = vc(ZERO);
  for (let j = n - 1; j >= 0; j--) p = f64x2.add(f64x2.mul(p, x), v128.load64_splat(c + (<usize>j << 3)));
  put(a, p);
  if (D >= 1) {
    let d = vc(ZERO);
    for (let j = n - 1; j >= 1; j--) {
      d = f64x2.add(f64x2.mul(d, x), f64x2.splat(<f64>j * load<f64>(c + (<usize>j << 3))));
    }
    put(a1, d);
  }
  if (D >= 2) {
    let dd = vc(ZERO);
    for (let j = n - 1; j >= 2; j--) {
      dd = f64x2.add(f64x2.mul(dd, x), f64x2.splat(<f64>(j * (j - 1)) * load<f64>(c + (<usize>j << 3))));
    }
    put(a2, dd);
  }
}

// ---------------------------------------------------------------------------------------------
// Driver

/** One step of kind K (a constant after inlining). */
// @ts-ignore: decorator
@inline function step(K: i32, c: usize, n: i32, x: v128, a: usize, a1: usize, a2: usize, D: i32): void {
  if (K == ACT_IDENTITY) identityStep(x, a, a1, a2, D);
  else if (K == ACT_RELU) reluStep(x, a, a1, a2, D);
  else if (K == ACT_SIGMOID) sigmoidStep(x, a, a1, a2, D);
  else if (K == ACT_SOFTPLUS) softplusStep(x, a, a1, a2, D);
  else if (K == ACT_G) gStep(x, a, a1, a2, D);
  else if (K == ACT_TANH) tanhStep(x, a, a1, a2, D);
  else if (K == ACT_GELU) geluStep(x, a, a1, a2, D);
  else if (K == ACT_SILU) siluStep(x, a, a1, a2, D);
  else if (K == ACT_SELU) seluStep(x, a, a1, a2, D);
  else if (K == ACT_SQUARE) squareStep(x, a, a1, a2, D);
  else if (K == ACT_CUBE) cubeStep(x, a, a1, a2, D);
  else if (K == ACT_SIGMOID2) sigmoid2Step(x, a, a1, a2, D);
  else if (K == ACT_NORMAL_CDF) normalCdfStep(x, a, a1, a2, D);
  else if (K == ACT_EXP) expStep(x, a, a1, a2, D);
  else polyStep(c, n, x, a, a1, a2, D);
}

/** Kind K (constant) over `pairs` pairs of elements. */
// @ts-ignore: decorator
@inline function loop(K: i32, c: usize, n: i32, z: usize, a: usize, a1: usize, a2: usize, pairs: i32, D: i32): void {
  const end = <usize>pairs << 4;
  for (let o: usize = 0; o < end; o += 16) step(K, c, n, v128.load(z + o), a + o, a1 + o, a2 + o, D);
}

// One function per kind keeps each body small for the optimiser.
function identityPairs(z: usize, a: usize, a1: usize, a2: usize, pairs: i32, D: i32): void { loop(ACT_IDENTITY, 0, 0, z, a, a1, a2, pairs, D); }
function reluPairs(z: usize, a: usize, a1: usize, a2: usize, pairs: i32, D: i32): void { loop(ACT_RELU, 0, 0, z, a, a1, a2, pairs, D); }
function sigmoidPairs(z: usize, a: usize, a1: usize, a2: usize, pairs: i32, D: i32): void { loop(ACT_SIGMOID, 0, 0, z, a, a1, a2, pairs, D); }
function softplusPairs(z: usize, a: usize, a1: usize, a2: usize, pairs: i32, D: i32): void { loop(ACT_SOFTPLUS, 0, 0, z, a, a1, a2, pairs, D); }
function gPairs(z: usize, a: usize, a1: usize, a2: usize, pairs: i32, D: i32): void { loop(ACT_G, 0, 0, z, a, a1, a2, pairs, D); }
function tanhPairs(z: usize, a: usize, a1: usize, a2: usize, pairs: i32, D: i32): void { loop(ACT_TANH, 0, 0, z, a, a1, a2, pairs, D); }
function geluPairs(z: usize, a: usize, a1: usize, a2: usize, pairs: i32, D: i32): void { loop(ACT_GELU, 0, 0, z, a, a1, a2, pairs, D); }
function siluPairs(z: usize, a: usize, a1: usize, a2: usize, pairs: i32, D: i32): void { loop(ACT_SILU, 0, 0, z, a, a1, a2, pairs, D); }
function seluPairs(z: usize, a: usize, a1: usize, a2: usize, pairs: i32, D: i32): void { loop(ACT_SELU, 0, 0, z, a, a1, a2, pairs, D); }
function squarePairs(z: usize, a: usize, a1: usize, a2: usize, pairs: i32, D: i32): void { loop(ACT_SQUARE, 0, 0, z, a, a1, a2, pairs, D); }
function cubePairs(z: usize, a: usize, a1: usize, a2: usize, pairs: i32, D: i32): void { loop(ACT_CUBE, 0, 0, z, a, a1, a2, pairs, D); }
function sigmoid2Pairs(z: usize, a: usize, a1: usize, a2: usize, pairs: i32, D: i32): void { loop(ACT_SIGMOID2, 0, 0, z, a, a1, a2, pairs, D); }
function normalCdfPairs(z: usize, a: usize, a1: usize, a2: usize, pairs: i32, D: i32): void { loop(ACT_NORMAL_CDF, 0, 0, z, a, a1, a2, pairs, D); }
function expPairs(z: usize, a: usize, a1: usize, a2: usize, pairs: i32, D: i32): void { loop(ACT_EXP, 0, 0, z, a, a1, a2, pairs, D); }
function polyPairs(c: usize, n: i32, z: usize, a: usize, a1: usize, a2: usize, pairs: i32, D: i32): void { loop(ACT_POLY, c, n, z, a, a1, a2, pairs, D); }

/** Runs `kind` over `pairs` pairs of elements. */
function runPairs(kind: i32, c: usize, n: i32, z: usize, a: usize, a1: usize, a2: usize, pairs: i32, D: i32): void {
  switch (kind) {
    case ACT_IDENTITY: { identityPairs(z, a, a1, a2, pairs, D); break; }
    case ACT_RELU: { reluPairs(z, a, a1, a2, pairs, D); break; }
    case ACT_SIGMOID: { sigmoidPairs(z, a, a1, a2, pairs, D); break; }
    case ACT_SOFTPLUS: { softplusPairs(z, a, a1, a2, pairs, D); break; }
    case ACT_G: { gPairs(z, a, a1, a2, pairs, D); break; }
    case ACT_TANH: { tanhPairs(z, a, a1, a2, pairs, D); break; }
    case ACT_GELU: { geluPairs(z, a, a1, a2, pairs, D); break; }
    case ACT_SILU: { siluPairs(z, a, a1, a2, pairs, D); break; }
    case ACT_SELU: { seluPairs(z, a, a1, a2, pairs, D); break; }
    case ACT_SQUARE: { squarePairs(z, a, a1, a2, pairs, D); break; }
    case ACT_CUBE: { cubePairs(z, a, a1, a2, pairs, D); break; }
    case ACT_SIGMOID2: { sigmoid2Pairs(z, a, a1, a2, pairs, D); break; }
    case ACT_NORMAL_CDF: { normalCdfPairs(z, a, a1, a2, pairs, D); break; }
    case ACT_EXP: { expPairs(z, a, a1, a2, pairs, D); break; }
    default: polyPairs(c, n, z, a, a1, a2, pairs, D);
  }
}

/** Scratch pair for the odd last element: input, then the three outputs (16-byte aligned). */
const TAIL: usize = memory.data(64, 16);

/** a[i] = f(z[i]); if derivs >= 1 also a1[i] = f'(z[i]); if derivs >= 2 also a2[i] = f''(z[i]), for i in [0, count). */
export function activate(kind: i32, coef: usize, ncoef: i32, z: usize, a: usize, a1: usize, a2: usize, count: i32, derivs: i32): void {
  assert(kind >= ACT_IDENTITY && kind <= ACT_POLY, "unknown activation kind");
  if (count <= 0) return;
  const D = derivs < 0 ? 0 : derivs > 2 ? 2 : derivs;
  runPairs(kind, coef, ncoef, z, a, a1, a2, count >> 1, D);
  if (count & 1) {
    // the last element runs as a pair (both lanes equal) in scratch; lane 0 is copied out
    const o = <usize>(count - 1) << 3;
    v128.store(TAIL, v128.load64_splat(z + o));
    runPairs(kind, coef, ncoef, TAIL, TAIL + 16, TAIL + 32, TAIL + 48, 1, D);
    store<f64>(a + o, load<f64>(TAIL + 16));
    if (D >= 1) store<f64>(a1 + o, load<f64>(TAIL + 32));
    if (D >= 2) store<f64>(a2 + o, load<f64>(TAIL + 48));
  }
}
