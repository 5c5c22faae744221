import { MLPGFError } from "../errors.js";
import type { Monitor } from "./monitor.js";
import { addScaled, dot } from "./vector.js";

/**
 * Parameters of the Hager–Zhang line search (defaults of LineSearches.jl's `HagerZhang`, which
 * MLPGradientFlow.jl uses through Optim.jl).
 */
export interface LineSearchOptions {
  /** δ of the sufficient-decrease (Armijo) condition φ(α) − φ(0) ≤ δ·α·φ′(0). Default 0.1. */
  delta?: number;
  /** σ of the curvature condition φ′(α) ≥ σ·φ′(0). Default 0.9. */
  sigma?: number;
  /**
   * ε of the approximate Wolfe conditions: steps with φ(α) ≤ φ(0) + ε·|φ(0)| and
   * (2δ − 1)·φ′(0) ≥ φ′(α) ≥ σ·φ′(0) are accepted too — this is what lets the search make progress
   * when φ is flat to rounding near a minimum. Default 1e-6.
   */
  epsilon?: number;
  /** Expansion factor of the bracketing phase. Default 5. */
  rho?: number;
  /** Bisect when a secant² step shrinks the bracket by less than this factor. Default 0.66. */
  gamma?: number;
  /** Backtracking factor when the first trial gives a non-finite value. Default 0.1. */
  psi3?: number;
  /** Iterations of the bracketing and secant phases (LineSearches' `linesearchmax`). Default 50. */
  maxIterations?: number;
  /** Largest step length. Default ∞. */
  alphaMax?: number;
  /**
   * θ: the first trial step is accepted at once when it satisfies the (approximate) Wolfe conditions
   * and |φ′(α)| ≤ θ·|φ′(0)| (close to the minimum along the line, as a Newton step near the solution);
   * otherwise the search brackets and refines as LineSearches.jl always does (for quasi-Newton
   * methods this near-exact search pays: BFGS on a quadratic then terminates in about n steps).
   * θ = 0 reproduces LineSearches.jl (the default), θ ≥ 1 accepts any Wolfe step; `newton` uses 0.3.
   */
  acceptInitial?: number;
}

/** Outcome of the last {@link HagerZhang.search}. */
export type LineSearchStatus =
  /** A step satisfying the (approximate) Wolfe conditions, or the best step of a flat bracket. */
  | "ok"
  /** The search ran out of iterations; the returned step is the best bracketing point (maybe 0). */
  | "max iterations"
  /** φ(0) or φ′(0), or every trial, was not finite. */
  | "non-finite"
  /** φ′(0) ≥ 0. */
  | "not a descent direction"
  /** The bracket lost its invariants (possible only with inconsistent f and ∇f). */
  | "failed";

/** Number of finite-value back-offs, as LineSearches.jl: −log₂(ε). */
const MAX_FINITE_TRIES = 52;

/** A few units in the last place above x (the spacing of doubles at x). */
function ulp(x: number): number {
  return Math.max(Math.abs(x) * Number.EPSILON, Number.MIN_VALUE);
}

/**
 * Hager–Zhang line search (W. W. Hager and H. Zhang, SIAM J. Optim. 16 (2005) 170–192 and ACM TOMS
 * 32 (2006) 113–137), following LineSearches.jl: bracketing by expansion, then secant² steps with
 * bisection fallback, accepting a step that satisfies the Wolfe or the approximate Wolfe conditions.
 * Optionally (see {@link LineSearchOptions.acceptInitial}) a first trial step that satisfies them and
 * is close to the minimum along the line is accepted at once: a Newton step near the solution then
 * costs one evaluation.
 *
 * Trial points x + α·d and their gradients are kept in {@link HagerZhang.xt} / {@link HagerZhang.gt}
 * for the last evaluated α; non-finite trials are treated as too high (bisected away).
 */
export class HagerZhang {
  /** x + α·d at the last evaluated α. */
  readonly xt: Float64Array;
  /** ∇f at {@link HagerZhang.xt}. */
  readonly gt: Float64Array;
  /** f at {@link HagerZhang.xt}. */
  ft = NaN;
  /** The last evaluated α. */
  lastAlpha = NaN;
  /** Outcome of the last search. */
  status: LineSearchStatus = "ok";
  private readonly delta: number;
  private readonly sigma: number;
  private readonly epsilon: number;
  private readonly rho: number;
  private readonly gamma: number;
  private readonly psi3: number;
  private readonly maxIterations: number;
  private readonly alphaMaxDefault: number;
  private readonly acceptInitial: number;
  // Trial history of one search: `count` entries of preallocated arrays (grown by doubling if needed).
  private alphas = new Float64Array(64);
  private values = new Float64Array(64);
  private slopes = new Float64Array(64);
  private count = 0;
  private mon!: Monitor;
  private x!: Float64Array;
  private d!: Float64Array;
  private phiLim = 0;
  private phiC = 0;
  private dphiC = 0;
  private ia = 0;
  private ib = 0;

  /** Buffers for dimension n. */
  constructor(n: number, opts: LineSearchOptions = {}) {
    this.xt = new Float64Array(n);
    this.gt = new Float64Array(n);
    this.delta = positive(opts.delta ?? 0.1, "delta");
    this.sigma = positive(opts.sigma ?? 0.9, "sigma");
    if (!(this.delta < 0.5 && this.delta < this.sigma && this.sigma < 1)) {
      throw new MLPGFError(
        "VALUE",
        `line search: need 0 < delta < 0.5 and delta < sigma < 1, got delta = ${this.delta}, sigma = ${this.sigma}`,
      );
    }
    this.epsilon = nonNegative(opts.epsilon ?? 1e-6, "epsilon");
    this.rho = positive(opts.rho ?? 5, "rho");
    this.gamma = positive(opts.gamma ?? 0.66, "gamma");
    this.psi3 = positive(opts.psi3 ?? 0.1, "psi3");
    if (!(this.rho > 1) || !(this.gamma < 1) || !(this.psi3 < 1))
      throw new MLPGFError("VALUE", "line search: need rho > 1, gamma < 1 and psi3 < 1");
    const mi = opts.maxIterations ?? 50;
    if (!Number.isInteger(mi) || mi < 1)
      throw new MLPGFError("VALUE", `line search: maxIterations must be an integer ≥ 1, got ${String(mi)}`);
    this.maxIterations = mi;
    this.alphaMaxDefault = positive(opts.alphaMax ?? Infinity, "alphaMax");
    this.acceptInitial = nonNegative(opts.acceptInitial ?? 0, "acceptInitial");
  }

  /**
   * Searches along d from x for a step α > 0; returns α (0 when none was found, see
   * {@link HagerZhang.status}).
   *
   * @param mon - evaluates f and ∇f (counted, best point tracked).
   * @param phi0 - f(x); @param dphi0 - ∇f(x)·d (must be < 0); @param alpha0 - first trial step (> 0).
   */
  search(mon: Monitor, x: Float64Array, d: Float64Array, phi0: number, dphi0: number, alpha0: number): number {
    this.count = 0;
    this.mon = mon;
    this.x = x;
    this.d = d;
    this.lastAlpha = NaN;
    this.status = "ok";
    this.push(0, phi0, dphi0);
    if (!(Number.isFinite(phi0) && Number.isFinite(dphi0))) return this.fail("non-finite");
    if (!(dphi0 < 0)) return this.fail("not a descent direction");
    this.phiLim = phi0 + this.epsilon * Math.abs(phi0);
    let alphaMax = this.alphaMaxDefault;
    let c = Math.min(alpha0, alphaMax);
    if (!(c > 0 && Number.isFinite(c)))
      throw new MLPGFError("VALUE", `line search: the first trial step must be finite and > 0, got ${alpha0}`);
    this.evaluate(c);
    for (let k = 1; !this.finiteC() && k < MAX_FINITE_TRIES; k++) {
      c *= this.psi3;
      this.evaluate(c);
    }
    if (!this.finiteC()) return this.fail("non-finite");
    this.push(c, this.phiC, this.dphiC);
    if (Math.abs(this.dphiC) <= this.acceptInitial * -dphi0 && this.wolfe(c, this.phiC, this.dphiC)) return c;

    // Bracketing (HZ stages B0–B3).
    let ia = 0;
    let ib = 1;
    let iter = 1;
    let bracketed = false;
    while (!bracketed && iter < this.maxIterations) {
      const last = this.count - 1;
      if (this.slopes[last] >= 0) {
        // Upward slope: b found; a is the last earlier point below the limit.
        ib = last;
        for (let i = ib - 1; i >= 0; i--) {
          if (this.values[i] <= this.phiLim) {
            ia = i;
            break;
          }
        }
        bracketed = true;
      } else if (this.values[last] > this.phiLim) {
        // Higher but still downhill: crested over a bump; bisect [0, c].
        if (!this.bisect(0, last)) return this.fail("failed");
        ia = this.ia;
        ib = this.ib;
        bracketed = true;
      } else {
        // Still going downhill below the limit: expand.
        const cold = c;
        if (cold + ulp(cold) >= alphaMax) return cold;
        const phiCold = this.values[last],
          dphiCold = this.slopes[last];
        c = Math.min(c * this.rho, alphaMax);
        this.evaluate(c);
        // Beyond the finite region: take the last point if it is already acceptable.
        if (!this.finiteC() && this.wolfe(cold, phiCold, dphiCold)) return cold;
        for (let k = 1; !this.finiteC() && c > cold + ulp(cold) && k < MAX_FINITE_TRIES; k++) {
          alphaMax = c; // steps ≥ c are assumed never finite
          c = (cold + c) / 2;
          this.evaluate(c);
        }
        if (!this.finiteC()) return cold;
        this.push(c, this.phiC, this.dphiC);
      }
      iter++;
    }
    // Out of iterations while still expanding: the last point is downhill and below the limit.
    if (!bracketed) ia = this.count - 1;

    // Secant² with bisection (HZ steps L1–L3).
    while (iter < this.maxIterations) {
      const a = this.alphas[ia],
        b = this.alphas[ib];
      if (!(b > a)) return this.fail("failed");
      if (b - a <= ulp(b)) return a;
      const r = this.secant2(ia, ib);
      if (r === SECANT_BROKEN) return this.fail("failed");
      if (r === SECANT_WOLFE) return this.alphas[this.ia];
      const iA = this.ia,
        iB = this.ib;
      const lo = this.alphas[iA],
        hi = this.alphas[iB];
      if (hi - lo < this.gamma * (b - a)) {
        // Flat: secant² did nothing useful.
        if (this.values[ia] + ulp(this.values[ia]) >= this.values[ib] && this.values[iA] + ulp(this.values[iA]) >= this.values[iB])
          return lo;
        ia = iA;
        ib = iB;
      } else {
        c = (lo + hi) / 2;
        this.evaluateSanitized(c);
        this.push(c, this.phiC, this.dphiC);
        if (!this.update(iA, iB, this.count - 1)) return this.fail("failed");
        ia = this.ia;
        ib = this.ib;
      }
      iter++;
    }
    this.status = "max iterations";
    return this.alphas[ia];
  }

  /**
   * Writes x + α·d of the last search into `xOut`, ∇f there into `gOut`, and returns f there — copied
   * when α was the last trial, evaluated otherwise.
   */
  take(alpha: number, xOut: Float64Array, gOut: Float64Array): number {
    if (alpha === this.lastAlpha) {
      xOut.set(this.xt);
      gOut.set(this.gt);
      return this.ft;
    }
    addScaled(xOut, this.x, alpha, this.d);
    return this.mon.fg(xOut, gOut);
  }

  /** φ and φ′ at α: x_t = x + α·d, f and ∇f there. */
  private evaluate(alpha: number): void {
    addScaled(this.xt, this.x, alpha, this.d);
    this.ft = this.mon.fg(this.xt, this.gt);
    this.lastAlpha = alpha;
    this.phiC = this.ft;
    this.dphiC = dot(this.gt, this.d);
  }

  /** {@link HagerZhang.evaluate}, recording a non-finite trial as φ = +∞, φ′ = −∞ (too high, still downhill). */
  private evaluateSanitized(alpha: number): void {
    this.evaluate(alpha);
    if (!this.finiteC()) {
      this.phiC = Infinity;
      this.dphiC = -Infinity;
    }
  }

  private finiteC(): boolean {
    return Number.isFinite(this.phiC) && Number.isFinite(this.dphiC);
  }

  private push(alpha: number, phi: number, dphi: number): void {
    if (this.count === this.alphas.length) {
      this.alphas = grow(this.alphas);
      this.values = grow(this.values);
      this.slopes = grow(this.slopes);
    }
    this.alphas[this.count] = alpha;
    this.values[this.count] = phi;
    this.slopes[this.count] = dphi;
    this.count++;
  }

  private fail(status: LineSearchStatus): number {
    this.status = status;
    return 0;
  }

  /** Wolfe (sufficient decrease and curvature) or approximate Wolfe conditions at c. */
  private wolfe(c: number, phi: number, dphi: number): boolean {
    const phi0 = this.values[0],
      dphi0 = this.slopes[0];
    if (this.delta * dphi0 >= (phi - phi0) / c && dphi >= this.sigma * dphi0) return true;
    return (2 * this.delta - 1) * dphi0 >= dphi && dphi >= this.sigma * dphi0 && phi <= this.phiLim;
  }

  /**
   * One secant² step on the bracket [a, b] = [α_ia, α_ib] (φ′(a) < 0 ≤ φ′(b)). Sets ia/ib to the new
   * bracket, or both to the accepted point.
   */
  private secant2(ia: number, ib: number): number {
    if (!(this.slopes[ia] < 0 && this.slopes[ib] >= 0)) return SECANT_BROKEN;
    const c = secant(this.alphas[ia], this.alphas[ib], this.slopes[ia], this.slopes[ib]);
    if (!Number.isFinite(c)) return SECANT_BROKEN;
    this.evaluateSanitized(c);
    this.push(c, this.phiC, this.dphiC);
    let ic = this.count - 1;
    if (this.wolfe(c, this.phiC, this.dphiC)) {
      this.ia = this.ib = ic;
      return SECANT_WOLFE;
    }
    if (!this.update(ia, ib, ic)) return SECANT_BROKEN;
    const iA = this.ia,
      iB = this.ib;
    let c2 = NaN;
    if (iB === ic) c2 = secant(this.alphas[ib], this.alphas[iB], this.slopes[ib], this.slopes[iB]);
    else if (iA === ic) c2 = secant(this.alphas[ia], this.alphas[iA], this.slopes[ia], this.slopes[iA]);
    if ((iA === ic || iB === ic) && this.alphas[iA] <= c2 && c2 <= this.alphas[iB]) {
      this.evaluateSanitized(c2);
      this.push(c2, this.phiC, this.dphiC);
      ic = this.count - 1;
      if (this.wolfe(c2, this.phiC, this.dphiC)) {
        this.ia = this.ib = ic;
        return SECANT_WOLFE;
      }
      if (!this.update(iA, iB, ic)) return SECANT_BROKEN;
    }
    return SECANT_CONTINUE;
  }

  /** HZ "update": shrinks the bracket [α_ia, α_ib] with the point ic; result in ia/ib. */
  private update(ia: number, ib: number, ic: number): boolean {
    const c = this.alphas[ic];
    this.ia = ia;
    this.ib = ib;
    if (c < this.alphas[ia] || c > this.alphas[ib]) return true;
    if (this.slopes[ic] >= 0) {
      this.ib = ic;
      return true;
    }
    if (this.values[ic] <= this.phiLim) {
      this.ia = ic;
      return true;
    }
    return this.bisect(ia, ic);
  }

  /**
   * HZ "bisect" on [a, b] with φ′(a) < 0, φ(a) ≤ limit, φ′(b) < 0, φ(b) > limit: halves until a point
   * with φ′ ≥ 0 is found (it becomes b) or the interval is one ulp wide; result in ia/ib.
   */
  private bisect(ia: number, ib: number): boolean {
    if (!(this.slopes[ia] < 0 && this.values[ia] <= this.phiLim && this.alphas[ib] > this.alphas[ia])) return false;
    let a = this.alphas[ia],
      b = this.alphas[ib];
    while (b - a > ulp(b)) {
      const d = (a + b) / 2;
      this.evaluateSanitized(d);
      this.push(d, this.phiC, this.dphiC);
      const id = this.count - 1;
      if (this.dphiC >= 0) {
        this.ia = ia;
        this.ib = id;
        return true;
      }
      if (this.phiC <= this.phiLim) {
        a = d;
        ia = id;
      } else {
        b = d;
        ib = id;
      }
    }
    this.ia = ia;
    this.ib = ib;
    return true;
  }
}

const SECANT_CONTINUE = 0;
const SECANT_WOLFE = 1;
const SECANT_BROKEN = 2;

/** A copy of a with twice the capacity. */
function grow(a: Float64Array): Float64Array<ArrayBuffer> {
  const b = new Float64Array(2 * a.length);
  b.set(a);
  return b;
}

/** Zero of the linear interpolant of φ′ through (a, φ′(a)) and (b, φ′(b)). */
function secant(a: number, b: number, da: number, db: number): number {
  return (a * db - b * da) / (db - da);
}

function positive(v: number, name: string): number {
  if (!(v > 0)) throw new MLPGFError("VALUE", `line search: ${name} must be > 0, got ${String(v)}`);
  return v;
}

function nonNegative(v: number, name: string): number {
  if (!(v >= 0) || !Number.isFinite(v)) throw new MLPGFError("VALUE", `line search: ${name} must be finite and ≥ 0, got ${String(v)}`);
  return v;
}
