import { MLPGFError } from "../errors.js";

/**
 * A discrete update rule for the gradient-descent phase, driven by the trainer (which owns
 * minibatching and stopping): `step(x, g)` moves x in place given the gradient g at x.
 */
export interface Rule {
  /** x ← x − Δ(g), updating the rule's state. */
  step(x: Float64Array, g: Float64Array): void;
  /** Forgets the state (moments, step count). */
  reset(): void;
}

/** Options of {@link Descent}. */
export interface DescentOptions {
  /** Learning rate η. Default 0.1 (Optimisers.jl's `Descent()`). */
  eta?: number;
}

/** Plain gradient descent x ← x − η·g (Optimisers.jl `Descent`). */
export class Descent implements Rule {
  /** Learning rate. */
  readonly eta: number;

  /** Checks and stores the learning rate. */
  constructor(opts: DescentOptions = {}) {
    this.eta = checkRate(opts.eta ?? 0.1, "descent");
  }

  /** x ← x − η·g. */
  step(x: Float64Array, g: Float64Array): void {
    checkLengths(x, g);
    const eta = this.eta;
    for (let i = 0; i < x.length; i++) x[i] -= eta * g[i];
  }

  /** No state. */
  reset(): void {}
}

/** Options of {@link Adam}. */
export interface AdamOptions {
  /** Learning rate η. Default 1e-3. */
  eta?: number;
  /** Decay rates (β₁, β₂) of the first and second moments. Default [0.9, 0.999]. */
  beta?: readonly [number, number];
  /** ε added to the root of the second moment. Default 1e-8. */
  epsilon?: number;
}

/**
 * Adam (Kingma & Ba) exactly as Optimisers.jl's `Adam(η = 1e-3, β = (0.9, 0.999), ϵ = 1e-8)`:
 *   m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  x ← x − η·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε).
 * The moment buffers are allocated on the first step (and again if the dimension changes).
 */
export class Adam implements Rule {
  /** Learning rate. */
  readonly eta: number;
  /** (β₁, β₂). */
  readonly beta: readonly [number, number];
  /** ε. */
  readonly epsilon: number;
  private m = new Float64Array(0);
  private v = new Float64Array(0);
  private beta1t = 1;
  private beta2t = 1;
  private steps = 0;

  /** Checks and stores the hyper-parameters (state is allocated on the first step). */
  constructor(opts: AdamOptions = {}) {
    this.eta = checkRate(opts.eta ?? 1e-3, "adam");
    const beta = opts.beta ?? [0.9, 0.999];
    if (!Array.isArray(beta) || beta.length !== 2 || !beta.every((b) => b >= 0 && b < 1)) {
      throw new MLPGFError("VALUE", `adam: beta must be two numbers in [0, 1), got ${JSON.stringify(beta)}`);
    }
    this.beta = [beta[0], beta[1]];
    this.epsilon = opts.epsilon ?? 1e-8;
    if (!(this.epsilon >= 0) || !Number.isFinite(this.epsilon))
      throw new MLPGFError("VALUE", `adam: epsilon must be finite and ≥ 0, got ${String(this.epsilon)}`);
  }

  /** Number of steps since the last reset (t of the bias corrections). */
  get t(): number {
    return this.steps;
  }

  /** One Adam step on x in place. */
  step(x: Float64Array, g: Float64Array): void {
    checkLengths(x, g);
    const n = x.length;
    if (this.m.length !== n) {
      this.m = new Float64Array(n);
      this.v = new Float64Array(n);
      this.beta1t = 1;
      this.beta2t = 1;
      this.steps = 0;
    }
    const [b1, b2] = this.beta;
    this.beta1t *= b1;
    this.beta2t *= b2;
    this.steps++;
    const c1 = 1 - this.beta1t,
      c2 = 1 - this.beta2t;
    const eta = this.eta,
      eps = this.epsilon,
      m = this.m,
      v = this.v;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      x[i] -= (m[i] / c1 / (Math.sqrt(v[i] / c2) + eps)) * eta;
    }
  }

  /** A copy of the moments and step count (to continue later with {@link Adam.restore}). */
  state(): { m: Float64Array; v: Float64Array; beta1t: number; beta2t: number; steps: number } {
    return { m: this.m.slice(), v: this.v.slice(), beta1t: this.beta1t, beta2t: this.beta2t, steps: this.steps };
  }

  /** Restores what {@link Adam.state} returned. */
  restore(s: { m: Float64Array; v: Float64Array; beta1t: number; beta2t: number; steps: number }): void {
    this.m = s.m.slice();
    this.v = s.v.slice();
    this.beta1t = s.beta1t;
    this.beta2t = s.beta2t;
    this.steps = s.steps;
  }

  /** Zeroes the moments and the step count. */
  reset(): void {
    this.m.fill(0);
    this.v.fill(0);
    this.beta1t = 1;
    this.beta2t = 1;
    this.steps = 0;
  }
}

function checkRate(eta: number, rule: string): number {
  if (!(eta > 0) || !Number.isFinite(eta))
    throw new MLPGFError("VALUE", `${rule}: the learning rate eta must be finite and > 0, got ${String(eta)}`);
  return eta;
}

function checkLengths(x: Float64Array, g: Float64Array): void {
  if (x.length !== g.length) throw new MLPGFError("SHAPE", `x and g must have the same length, got ${x.length} and ${g.length}`);
}
