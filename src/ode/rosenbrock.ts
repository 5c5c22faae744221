import { errorNorm } from "./control.js";
import { combine } from "./combine.js";
import { IterationMatrix } from "./jacobian.js";
import { KrylovMatrix } from "./krylov.js";
import { type OdeContext, STEP_FAILED, type Stepper } from "./stepper.js";
import type { RosenbrockTableau } from "./tableaus.js";

/** Relative step of the forward difference in t for ∂f/∂t: √ε. */
const FD_STEP = Math.sqrt(Number.EPSILON);

/**
 * The stepping routine of every Rosenbrock tableau (transformed form, Hairer–Wanner II §IV.7):
 * one Jacobian per step at the step's start (reused by retries after a rejection), one LU of
 * c·I − J with c = 1/(h·γ) per attempted step size, one linear solve and one f per stage (the first
 * stage's f is the driver's f0). ∂f/∂t enters for non-autonomous f. A `krylov` tableau solves the
 * stages by GMRES on J·v instead (no J, no LU); a solve that does not converge fails the step.
 */
export class RosenbrockStepper implements Stepper {
  readonly errorOrder: number;
  readonly order: number;
  readonly fsal = false;
  private readonly W: IterationMatrix | KrylovMatrix;
  private readonly k: Float64Array[];
  private readonly y: Float64Array;
  private readonly fy: Float64Array;
  private readonly rhs: Float64Array;
  private readonly dT: Float64Array;
  private readonly e: Float64Array;
  private readonly autonomous: boolean;
  private fresh = false;
  private jacobianFinite = true;

  constructor(
    private readonly ctx: OdeContext,
    private readonly tab: RosenbrockTableau,
  ) {
    const n = ctx.n;
    this.errorOrder = tab.errorOrder;
    this.order = tab.order;
    this.W = tab.krylov ? new KrylovMatrix(ctx) : new IterationMatrix(ctx);
    this.k = tab.c.map(() => new Float64Array(n));
    this.y = new Float64Array(n);
    this.fy = new Float64Array(n);
    this.rhs = new Float64Array(n);
    this.e = new Float64Array(n);
    this.autonomous = !!ctx.fn.autonomous;
    this.dT = new Float64Array(this.autonomous ? 0 : n);
  }

  step(t: number, h: number, x: Float64Array, f0: Float64Array, xNew: Float64Array, _fNew: Float64Array): number {
    const { a, C, c, d, b, btilde, gamma } = this.tab;
    const s = c.length;
    const n = this.ctx.n;
    if (!this.fresh) {
      this.jacobianFinite = this.W.evaluate(t, x, f0);
      if (this.jacobianFinite && !this.autonomous) this.timeDerivative(t, x, f0);
      this.fresh = true;
    }
    if (!this.jacobianFinite) return NaN;
    if (!this.W.factor(1 / (h * gamma))) return STEP_FAILED;
    const k = this.k,
      rhs = this.rhs;
    for (let i = 0; i < s; i++) {
      let fi = f0;
      if (i > 0) {
        combine(this.y, x, 1, a[i], k);
        this.ctx.f(t + c[i] * h, this.y, this.fy);
        fi = this.fy;
      }
      // rhs = f_i + Σ_{j<i} (C_ij/h)·k_j + h·d_i·∂f/∂t
      rhs.set(fi);
      const Ci = C[i];
      for (let j = 0; j < i; j++) {
        const w = Ci[j] / h;
        if (w === 0) continue;
        const kj = k[j];
        for (let m = 0; m < n; m++) rhs[m] += w * kj[m];
      }
      if (!this.autonomous && d[i] !== 0) {
        const w = h * d[i];
        for (let m = 0; m < n; m++) rhs[m] += w * this.dT[m];
      }
      if (this.W.solve(rhs, k[i]) === false) return STEP_FAILED;
    }
    combine(xNew, x, 1, b, k);
    if (!this.ctx.adaptive) return 0;
    const e = this.e;
    combine(e, null, 1, btilde, k);
    return errorNorm(e, x, xNew, this.ctx.abstol, this.ctx.reltol);
  }

  accepted(): void {
    this.fresh = false;
  }

  dispose(): void {
    this.W.dispose();
  }

  /** ∂f/∂t at (t, x): the callback, or (f(t + δ, x) − f(t, x))/δ with δ = √ε·max(|t|, 1). */
  private timeDerivative(t: number, x: Float64Array, f0: Float64Array): void {
    const fn = this.ctx.fn;
    if (fn.dfdt) {
      fn.dfdt(t, x, this.dT);
      return;
    }
    const tp = t + FD_STEP * Math.max(Math.abs(t), 1);
    const dt = tp - t;
    this.ctx.f(tp, x, this.dT);
    for (let m = 0; m < this.dT.length; m++) this.dT[m] = (this.dT[m] - f0[m]) / dt;
  }
}
