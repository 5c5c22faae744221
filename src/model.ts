import type { Matrix } from "./api/matrix.js";
import type { LossOptions } from "./api/net.js";

/**
 * A differentiable model: a loss L(x) of P parameters with its gradient, and optionally its exact
 * Hessian and Hessian-vector products. `Net` and `NetI` implement it; so can any smooth objective of
 * your own. `train`, `trainMany` (for `Net`/`NetI`, which workers can rebuild), `hessianSpectrum`,
 * `subspaceMinloss` and `subspaceMinlossOnGrid` accept it.
 *
 * Values are sums over samples for a model on data (`nsamples` = N: `train` minimises the mean L/N)
 * and expectations otherwise (`nsamples` absent or 0). `opts` are the model's own evaluation options
 * ({@link LossOptions} for `Net` and `NetI`); consumers that never pass options accept any `O`.
 *
 * @typeParam O - the options the evaluation methods take.
 *
 * @example A user objective: the Rosenbrock function, trained by gradient flow and analysed like a network.
 * ```ts
 * import { init, hessianSpectrum, train, type DifferentiableModel } from "mlp-gradient-flow";
 * await init();
 * const rosenbrock: DifferentiableModel & { hessian: NonNullable<DifferentiableModel["hessian"]> } = {
 *   nparams: 2,
 *   loss: (x) => (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2,
 *   gradient: (x) => rosenbrock.lossAndGradient(x).gradient,
 *   lossAndGradient: (x) => ({
 *     loss: rosenbrock.loss(x),
 *     gradient: Float64Array.of(-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)),
 *   }),
 *   hessian: (x) => ({ rows: 2, cols: 2, data: Float64Array.of(2 - 400 * x[1] + 1200 * x[0] ** 2, -400 * x[0], -400 * x[0], 200) }),
 * };
 * const result = await train(rosenbrock, [-1.2, 1], { maxiterationsOde: 2000 });
 * console.log(result.x, hessianSpectrum(rosenbrock, result.x).values); // ≈ [1, 1], both eigenvalues > 0
 * ```
 */
export interface DifferentiableModel<O = LossOptions> {
  /** Number of parameters P. */
  readonly nparams: number;
  /** N for a model on a finite data set (values are sums over the N samples); absent or 0 for an expectation. */
  readonly nsamples?: number;
  /** L(x). */
  loss(x: ArrayLike<number>, opts?: O): number;
  /** ∇L(x), length P. */
  gradient(x: ArrayLike<number>, opts?: O): Float64Array;
  /** L(x) and ∇L(x) together (one fused pass for a network). */
  lossAndGradient(x: ArrayLike<number>, opts?: O): { loss: number; gradient: Float64Array };
  /** The exact Hessian ∇²L(x): P × P, symmetric. Needed by the Newton methods, implicit ODE solvers and `hessianSpectrum`. */
  hessian?(x: ArrayLike<number>, opts?: O): Matrix;
  /** ∇²L(x)·v without forming the Hessian (used by `optimSolver: "newtonCG"`). */
  hvp?(x: ArrayLike<number>, v: ArrayLike<number>, opts?: O): Float64Array;
}

/** A {@link DifferentiableModel} with its exact Hessian: what `train` and `hessianSpectrum` take. */
export type TwiceDifferentiableModel<O = LossOptions> = DifferentiableModel<O> & {
  /** Exact P × P Hessian at x (required here, optional in {@link DifferentiableModel}). */
  hessian(x: ArrayLike<number>, opts?: O): Matrix;
};
