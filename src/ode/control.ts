// Step-size control shared by every adaptive method: the weighted error norm, the PI controller and
// the initial step estimate (E. Hairer, S. P. Nørsett, G. Wanner, Solving ODEs I, §II.4; the PI
// parameters as in OrdinaryDiffEq.jl).

/** Safety factor applied to every proposed step. */
const SAFETY = 0.9;
/** Smallest step-size factor per attempt. */
const QMIN = 0.2;
/** Largest step-size factor per accepted step. */
const QMAX = 10;
/** Floor of the remembered error of the PI controller. */
const ERR_FLOOR = 1e-4;

/**
 * Weighted RMS norm of a local error e relative to the states x (start) and xNew (end):
 * sqrt(mean_i (e_i / (abstol + reltol·max(|x_i|, |xNew_i|)))²).
 * Returns NaN if e or xNew holds a non-finite value (so the step is rejected as non-finite).
 */
export function errorNorm(e: Float64Array, x: Float64Array, xNew: Float64Array, abstol: number, reltol: number): number {
  const n = e.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const xn = xNew[i];
    if (xn - xn !== 0) return NaN;
    const w = abstol + reltol * Math.max(Math.abs(x[i]), Math.abs(xn));
    const r = e[i] / w;
    s += r * r;
  }
  return s === s && s !== Infinity ? Math.sqrt(s / n) : NaN;
}

/** Weighted RMS norm of v with weights abstol + reltol·|x_i| (Newton increments). */
export function weightedNorm(v: Float64Array, x: Float64Array, abstol: number, reltol: number): number {
  const n = v.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const r = v[i] / (abstol + reltol * Math.abs(x[i]));
    s += r * r;
  }
  return Math.sqrt(s / n);
}

/** True if every value of v is finite. */
export function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) {
    const a = v[i];
    if (a - a !== 0) return false;
  }
  return true;
}

/**
 * PI step-size controller (Gustafsson, Lundh & Söderlind 1988; Hairer–Wanner II §IV.2). After an
 * accepted step with error norm err ≤ 1 the step is multiplied by SAFETY·err^(−β₁)·errPrev^(β₂) with
 * β₁ = 0.7/q, β₂ = 0.4/q, where the error estimate is O(h^q); the factor is kept within [QMIN, QMAX],
 * and ≤ 1 right after a rejection. A rejected step is multiplied by max(QMIN, SAFETY·err^(−1/q)).
 */
export class PIController {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly q: number;
  private errPrev = ERR_FLOOR;
  private rejectedLast = false;

  /** @param q - the local error estimate is O(h^q). */
  constructor(q: number) {
    this.q = q;
    this.beta1 = 0.7 / q;
    this.beta2 = 0.4 / q;
  }

  /** Next step size after an accepted step of size h with error norm err. */
  accept(h: number, err: number): number {
    let factor = err === 0 ? QMAX : SAFETY * Math.pow(err, -this.beta1) * Math.pow(this.errPrev, this.beta2);
    factor = Math.min(QMAX, Math.max(QMIN, factor));
    if (this.rejectedLast) factor = Math.min(1, factor);
    this.errPrev = Math.max(err, ERR_FLOOR);
    this.rejectedLast = false;
    return h * factor;
  }

  /** The controller's memory (to continue an integration later). */
  state(): { errPrev: number; rejectedLast: boolean } {
    return { errPrev: this.errPrev, rejectedLast: this.rejectedLast };
  }

  /** Restores a memory returned by {@link PIController.state}. */
  restore(s: { errPrev: number; rejectedLast: boolean }): void {
    this.errPrev = s.errPrev;
    this.rejectedLast = s.rejectedLast;
  }

  /** Next step size after the step h was rejected with error norm err > 1 (or a failed step: err = Infinity). */
  reject(h: number, err: number): number {
    this.rejectedLast = true;
    const factor = err === Infinity ? QMIN : Math.max(QMIN, SAFETY * Math.pow(err, -1 / this.q));
    return h * factor;
  }
}

/**
 * Initial step of Hairer–Nørsett–Wanner (Solving ODEs I, §II.4, "starting step size"): from the sizes
 * of x0, f0 and of a difference quotient of f (one f evaluation, done by `f`), so that the first step's
 * local error of a method of order p is about the tolerance. Returns a step in (0, hmax].
 */
export function initialStep(
  t0: number,
  x0: Float64Array,
  f0: Float64Array,
  p: number,
  abstol: number,
  reltol: number,
  hmax: number,
  f: (t: number, x: Float64Array, dx: Float64Array) => void,
  x1: Float64Array,
  f1: Float64Array,
): number {
  const d0 = weightedNorm(x0, x0, abstol, reltol);
  const d1 = weightedNorm(f0, x0, abstol, reltol);
  let h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
  h0 = Math.min(h0, hmax);
  for (let i = 0; i < x0.length; i++) x1[i] = x0[i] + h0 * f0[i];
  f(t0 + h0, x1, f1);
  for (let i = 0; i < x0.length; i++) f1[i] -= f0[i];
  const d2 = weightedNorm(f1, x0, abstol, reltol) / h0;
  const dmax = Math.max(d1, d2);
  let h1: number;
  if (!(d2 < Infinity)) h1 = h0 * 1e-3;
  else if (dmax <= 1e-15) h1 = Math.max(1e-6, h0 * 1e-3);
  else h1 = Math.pow(0.01 / dmax, 1 / (p + 1));
  return Math.min(100 * h0, h1, hmax);
}
