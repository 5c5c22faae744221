import { errorNorm, weightedNorm } from "./control.js";
import { combine } from "./combine.js";
import { IterationMatrix } from "./jacobian.js";
import { type OdeContext, STEP_FAILED, type Stepper } from "./stepper.js";
import type { EsdirkTableau } from "./tableaus.js";

/** Newton tolerance: the estimated iteration error must be below κ in the error norm (κ of OrdinaryDiffEq). */
const KAPPA = 0.01;
/** Most Newton iterations per stage. */
const MAX_ITER = 10;
/** A convergence rate above this asks for a new Jacobian at the next step. */
const THETA_NEW_JACOBIAN = 0.2;
/** Keep the step size (and so the factorisation) when the controller proposes a ratio in [1, this]. */
const KEEP_H_RATIO = 1.2;

/** Outcome of the Newton iteration of one stage. */
const enum Newton {
  Converged,
  Failed,
  NonFinite,
}

/**
 * The stepping routine of every stiffly accurate ESDIRK tableau. Stage i solves
 *   Y_i = T_i + h·γ·f(t + c_i·h, Y_i),  T_i = x + h·Σ_{j<i} a_ij·k_j,
 * by simplified Newton with the matrix c·I − J (c = 1/(h·γ)), then sets k_i = c·(Y_i − T_i); x_new = Y_s
 * and f(x_new) ≈ k_s (FSAL). The local error estimate h·Σ btilde_i·k_i is filtered by (I − h·γ·J)⁻¹
 * (Shampine's smoothing, as in OrdinaryDiffEq's KenCarp methods) so that stiff components do not
 * inflate it.
 *
 * Work is saved where the method allows: J is kept over steps while Newton converges fast (rate
 * ≤ THETA_NEW_JACOBIAN) and is renewed after a slow or failed iteration; the LU of c·I − J is kept while
 * h is unchanged, and the step size is held when the controller would grow it by less than KEEP_H_RATIO
 * (Hairer–Wanner's RADAU5 strategy). Convergence test of Hairer–Wanner II §IV.8: with the rate
 * θ = ‖Δ_m‖/‖Δ_{m−1}‖, stop when θ/(1−θ)·‖Δ_m‖ ≤ κ; fail when θ ≥ 1 or when the predicted error after
 * the remaining iterations exceeds κ.
 */
export class EsdirkStepper implements Stepper {
  readonly errorOrder: number;
  readonly order: number;
  readonly fsal = true;
  private readonly W: IterationMatrix;
  private readonly k: Float64Array[];
  /** Explicit part of each row: a_ij for j < i. */
  private readonly lower: number[][];
  private readonly T: Float64Array;
  private readonly y: Float64Array;
  private readonly fy: Float64Array;
  private readonly r: Float64Array;
  private readonly e: Float64Array;
  /** J was evaluated at the current step's start. */
  private fresh = false;
  /** Evaluate J at the next step's start. */
  private renew = true;
  private jacobianFinite = true;
  /** η = θ/(1−θ) of the last converged iteration, for the first-iteration test of the next stage. */
  private eta = 1;
  /** Largest convergence rate in the current step. */
  private thetaMax = 0;

  constructor(
    private readonly ctx: OdeContext,
    private readonly tab: EsdirkTableau,
  ) {
    const n = ctx.n;
    this.errorOrder = tab.errorOrder;
    this.order = tab.order;
    this.W = new IterationMatrix(ctx);
    // k[0] is the driver's f0; the last k is written to the driver's fNew.
    this.k = tab.c.map((_, i) => new Float64Array(i === 0 || i === tab.c.length - 1 ? 0 : n));
    this.lower = tab.a.map((row, i) => row.slice(0, i));
    this.T = new Float64Array(n);
    this.y = new Float64Array(n);
    this.fy = new Float64Array(n);
    this.r = new Float64Array(n);
    this.e = new Float64Array(n);
  }

  step(t: number, h: number, x: Float64Array, f0: Float64Array, xNew: Float64Array, fNew: Float64Array): number {
    if (this.renew && !this.fresh) this.evaluateJacobian(t, x, f0);
    if (!this.jacobianFinite) return NaN;
    const c = 1 / (h * this.tab.gamma);
    if (!this.W.factor(c)) return STEP_FAILED;
    let outcome = this.stages(t, h, x, f0, xNew, fNew);
    if (outcome === Newton.Failed && !this.fresh) {
      // a stale Jacobian may be the cause: renew it and retry at the same h
      this.evaluateJacobian(t, x, f0);
      if (!this.jacobianFinite) return NaN;
      if (!this.W.factor(c)) return STEP_FAILED;
      outcome = this.stages(t, h, x, f0, xNew, fNew);
    }
    if (outcome === Newton.NonFinite) return NaN;
    if (outcome === Newton.Failed && this.ctx.adaptive) return STEP_FAILED;
    if (!this.ctx.adaptive) return 0;
    // err = (I − hγJ)⁻¹·h·Σ btilde_j·k_j = (c·I − J)⁻¹·(c·h·Σ btilde_j·k_j)
    const e = this.e;
    combine(e, null, c * h, this.tab.btilde, this.k);
    this.W.solve(e, e);
    return errorNorm(e, x, xNew, this.ctx.abstol, this.ctx.reltol);
  }

  accepted(): void {
    this.fresh = false;
    if (this.thetaMax > THETA_NEW_JACOBIAN) this.renew = true;
  }

  adjust(h: number, hNew: number): number {
    const ratio = hNew / h;
    return !this.renew && ratio >= 1 && ratio <= KEEP_H_RATIO ? h : hNew;
  }

  dispose(): void {
    this.W.dispose();
  }

  private evaluateJacobian(t: number, x: Float64Array, f0: Float64Array): void {
    this.jacobianFinite = this.W.evaluate(t, x, f0);
    this.fresh = true;
    this.renew = false;
  }

  /** All stages of one attempt; k_0 = f0, the last stage value goes to xNew and its k to fNew. */
  private stages(t: number, h: number, x: Float64Array, f0: Float64Array, xNew: Float64Array, fNew: Float64Array): Newton {
    const { c: nodes, gamma } = this.tab;
    const s = nodes.length;
    const k = this.k;
    const n = this.ctx.n;
    const c = 1 / (h * gamma);
    k[0] = f0;
    k[s - 1] = fNew;
    this.thetaMax = 0;
    for (let i = 1; i < s; i++) {
      const Y = i === s - 1 ? xNew : this.y;
      const T = this.T;
      combine(T, x, h, this.lower[i], k);
      // predictor: Y = T + h·γ·k_{i−1}
      const kp = k[i - 1],
        hg = h * gamma;
      for (let m = 0; m < n; m++) Y[m] = T[m] + hg * kp[m];
      const outcome = this.newton(t + nodes[i] * h, Y, T, c, x);
      if (outcome !== Newton.Converged && (outcome === Newton.NonFinite || this.ctx.adaptive || !this.fresh)) return outcome;
      const ki = k[i];
      for (let m = 0; m < n; m++) ki[m] = c * (Y[m] - T[m]);
    }
    return Newton.Converged;
  }

  /** Simplified Newton for Y = T + f(tc, Y)/c, in place on Y (scaled by the weights of x). */
  private newton(tc: number, Y: Float64Array, T: Float64Array, c: number, x: Float64Array): Newton {
    const { abstol, reltol, n } = this.ctx;
    const fy = this.fy,
      r = this.r;
    let eta = Math.pow(Math.max(this.eta, Number.EPSILON), 0.8);
    let prev = 0;
    for (let it = 1; it <= MAX_ITER; it++) {
      this.ctx.f(tc, Y, fy);
      // r = f(Y) − c·(Y − T);  Δ = (c·I − J)⁻¹·r
      for (let m = 0; m < n; m++) r[m] = fy[m] - c * (Y[m] - T[m]);
      this.W.solve(r, r);
      for (let m = 0; m < n; m++) Y[m] += r[m];
      const ndz = weightedNorm(r, x, abstol, reltol);
      if (!(ndz < Infinity)) return Newton.NonFinite;
      if (it > 1) {
        const theta = ndz / prev;
        this.thetaMax = Math.max(this.thetaMax, theta);
        if (theta >= 1) return Newton.Failed;
        if ((Math.pow(theta, MAX_ITER - it) / (1 - theta)) * ndz > KAPPA) return Newton.Failed;
        eta = theta / (1 - theta);
      }
      if (eta * ndz <= KAPPA || ndz === 0) {
        this.eta = eta;
        return Newton.Converged;
      }
      prev = ndz;
    }
    return Newton.Failed;
  }
}
