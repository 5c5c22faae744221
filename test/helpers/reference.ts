// Plain-TypeScript reference of the network loss, independent of the WASM kernels: per sample,
// z = W·a + b, a = f(z), loops over rows. Used as an oracle together with finite differences.
import type { ActivationName } from "../../src/index.js";

export type RefAct = ActivationName | { poly: number[] };

const SELU_L = 1.0507009873554804934193349852946;
const SELU_A = 1.6732632423543772848170429916717;
const sig = (x: number) => 1 / (1 + Math.exp(-x));
const softplus = (x: number) => (x >= 34 ? x : Math.log1p(Math.exp(x)));

/** f(x) of the activations that need no erf. */
export function refActivation(a: RefAct, x: number): number {
  if (typeof a === "object") return a.poly.reduceRight((s, c) => s * x + c, 0);
  switch (a) {
    case "identity":
      return x;
    case "relu":
      return Math.max(x, 0);
    case "sigmoid":
      return sig(x);
    case "softplus":
      return softplus(x);
    case "g":
      return sig(4 * x) + softplus(x);
    case "tanh":
    case "tanh_fast":
      return Math.tanh(x);
    case "silu":
      return x * sig(x);
    case "selu":
      return SELU_L * (x > 0 ? x : SELU_A * (Math.exp(x) - 1));
    case "square":
      return (x * x) / 2;
    case "cube":
      return x * x * x;
    case "exp":
      return Math.exp(x);
  }
  throw new Error(`no reference for ${JSON.stringify(a)}`);
}

export interface RefLayer {
  k: number;
  act: RefAct | RefAct[];
  bias: boolean;
}

/** Outputs of every sample (rows), parameters in the package's layout. */
export function refForward(layers: RefLayer[], x: ArrayLike<number>, input: number[][]): number[][] {
  return input.map((row) => {
    let a = row.slice();
    let p = 0;
    for (const l of layers) {
      const nin = a.length;
      const z = new Array<number>(l.k).fill(0);
      for (let j = 0; j < nin; j++) for (let i = 0; i < l.k; i++) z[i] += x[p + j * l.k + i] * a[j];
      if (l.bias) for (let i = 0; i < l.k; i++) z[i] += x[p + nin * l.k + i];
      p += l.k * (nin + (l.bias ? 1 : 0));
      if (l.act === "softmax") {
        const m = Math.max(...z);
        const e = z.map((v) => Math.exp(v - m));
        const s = e.reduce((u, v) => u + v, 0);
        a = e.map((v) => v / s);
      } else {
        a = z.map((v, i) => refActivation(Array.isArray(l.act) ? l.act[i] : l.act, v));
      }
    }
    return a;
  });
}

/** Mean weighted loss: Σ_n w_n Σ_o (ŷ − y)² / N, or −Σ_n w_n Σ_c t log p / N for a softmax output. */
export function refLoss(layers: RefLayer[], x: ArrayLike<number>, input: number[][], target: number[][], weights?: number[]): number {
  const out = refForward(layers, x, input);
  const nll = layers[layers.length - 1].act === "softmax";
  let s = 0;
  out.forEach((y, n) => {
    const w = weights ? weights[n] : 1;
    let l = 0;
    y.forEach((v, o) => {
      const t = target[n][o];
      l += nll ? (t !== 0 ? -t * Math.log(v) : 0) : (v - t) ** 2;
    });
    s += w * l;
  });
  return s / input.length;
}

/** Central finite-difference gradient of f at x. */
export function fdGradient(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  const y = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    y[i] = x[i] + h;
    const fp = f(y);
    y[i] = x[i] - h;
    const fm = f(y);
    y[i] = x[i];
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

/** Central finite-difference Jacobian of a gradient g at x (row i = ∂g/∂x_i), as a flat P × P array. */
export function fdHessian(g: (x: Float64Array) => Float64Array, x: Float64Array, h = 1e-5): Float64Array {
  const P = x.length;
  const H = new Float64Array(P * P);
  const y = Float64Array.from(x);
  for (let i = 0; i < P; i++) {
    y[i] = x[i] + h;
    const gp = g(y);
    y[i] = x[i] - h;
    const gm = g(y);
    y[i] = x[i];
    for (let j = 0; j < P; j++) H[i * P + j] = (gp[j] - gm[j]) / (2 * h);
  }
  return H;
}

/** max_i |a_i − b_i| / (max_i |b_i| + tiny). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 1e-300;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

/** Seeded uniform numbers for test data. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** n × d matrix of normal-ish numbers. */
export function randn(r: () => number, n: number, d: number): number[][] {
  return Array.from({ length: n }, () =>
    Array.from({ length: d }, () => Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r())),
  );
}
