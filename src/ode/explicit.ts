import { combine } from "./combine.js";
import { errorNorm } from "./control.js";
import type { OdeContext, Stepper } from "./stepper.js";
import type { ExplicitTableau } from "./tableaus.js";

/**
 * The stepping routine of every explicit Runge–Kutta tableau (FSAL: the last stage is f at the new
 * state). Stage i: Y = x + h·Σ_{j<i} a_ij·k_j, k_i = f(t + c_i·h, Y), with k_0 = f0 from the driver;
 * x_new = Y of the last stage. Costs s − 1 evaluations of f per attempted step.
 */
export class ExplicitStepper implements Stepper {
  readonly errorOrder: number;
  readonly order: number;
  readonly fsal = true;
  private readonly k: Float64Array[];
  private readonly y: Float64Array;
  private readonly e: Float64Array;

  constructor(
    private readonly ctx: OdeContext,
    private readonly tab: ExplicitTableau,
  ) {
    const s = tab.c.length;
    this.errorOrder = tab.btilde ? tab.errorOrder : 0;
    this.order = tab.order;
    // k[0] and k[s−1] are the driver's f0 and fNew; only the inner stages need storage.
    this.k = Array.from({ length: s }, (_, i) => (i === 0 || i === s - 1 ? new Float64Array(0) : new Float64Array(ctx.n)));
    this.y = new Float64Array(ctx.n);
    this.e = new Float64Array(ctx.n);
  }

  step(t: number, h: number, x: Float64Array, f0: Float64Array, xNew: Float64Array, fNew: Float64Array): number {
    const { a, c, btilde } = this.tab;
    const s = c.length;
    const k = this.k;
    k[0] = f0;
    k[s - 1] = fNew;
    for (let i = 1; i < s; i++) {
      const y = i === s - 1 ? xNew : this.y;
      combine(y, x, h, a[i], k);
      this.ctx.f(t + c[i] * h, y, k[i]);
    }
    if (!btilde || !this.ctx.adaptive) return 0;
    combine(this.e, null, h, btilde, k);
    return errorNorm(this.e, x, xNew, this.ctx.abstol, this.ctx.reltol);
  }

  accepted(): void {}

  dispose(): void {}
}
