import { DenseLU } from "../engine/lu.js";
import { allFinite } from "./control.js";
import type { OdeContext } from "./stepper.js";

/** Relative perturbation of forward differences: √ε. */
const FD_STEP = Math.sqrt(Number.EPSILON);

/**
 * The Jacobian J = ∂f/∂x of the stiff methods and the factorisation of their iteration matrix c·I − J
 * (formed and factored in WASM by {@link DenseLU}, partial pivoting: J may be indefinite). J comes from
 * `fn.jacobian` or, without it, from forward differences. A factorisation is reused while J and c
 * stay the same.
 */
export class IterationMatrix {
  private readonly J: Float64Array;
  private readonly lu: DenseLU;
  private readonly tmp: Float64Array;
  private readonly fd: Float64Array;
  private luC = NaN;
  /** True once a Jacobian was evaluated. */
  hasJacobian = false;

  constructor(private readonly ctx: OdeContext) {
    const n = ctx.n;
    this.lu = new DenseLU(n);
    this.J = new Float64Array(n * n);
    this.tmp = new Float64Array(ctx.fn.jacobian ? 0 : n);
    this.fd = new Float64Array(ctx.fn.jacobian ? 0 : n);
  }

  /**
   * Evaluates J at (t, x), with f0 = f(t, x) for finite differences. Returns false if J is not finite.
   */
  evaluate(t: number, x: Float64Array, f0: Float64Array): boolean {
    const { fn, n, stats } = this.ctx;
    const J = this.J;
    if (fn.jacobian) fn.jacobian(t, x, J);
    else {
      // J[i, j] = (f(x + δ_j·e_j)_i − f(x)_i) / δ_j,  δ_j = √ε·max(|x_j|, 1)
      const xp = this.tmp;
      xp.set(x);
      for (let j = 0; j < n; j++) {
        const xj = x[j];
        const d = FD_STEP * Math.max(Math.abs(xj), 1);
        xp[j] = xj + d;
        const dj = xp[j] - xj;
        this.ctx.f(t, xp, this.fd);
        xp[j] = xj;
        for (let i = 0; i < n; i++) J[i * n + j] = (this.fd[i] - f0[i]) / dj;
      }
    }
    stats.njac++;
    this.luC = NaN;
    this.hasJacobian = true;
    if (!allFinite(J)) return false;
    this.lu.setJacobian(J);
    return true;
  }

  /** Factors c·I − J unless that factorisation is current. Returns false if it is exactly singular. */
  factor(c: number): boolean {
    if (c === this.luC) return true;
    this.ctx.stats.nlu++;
    const ok = this.lu.factorShifted(c);
    this.luC = ok ? c : NaN;
    return ok;
  }

  /** out = (c·I − J)⁻¹·b with the current factorisation (b and out may alias). */
  solve(b: Float64Array, out: Float64Array): void {
    this.ctx.stats.nsolve++;
    this.lu.solve(b, out);
  }

  /** Returns the WASM buffers. */
  dispose(): void {
    this.lu.dispose();
  }
}
