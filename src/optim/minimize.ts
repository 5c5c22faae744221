import { MLPGFError } from "../errors.js";
import { parseOptions } from "../options/parse.js";
import { OPTIMIZER_OPTION_SCHEMAS } from "../options/solvers.js";
import { type Steps, runSteps } from "../util/steps.js";
import { type BFGSOptions, bfgsSteps } from "./bfgs.js";
import { type LBFGSOptions, lbfgsSteps } from "./lbfgs.js";
import { type NewtonOptions, newtonSteps } from "./newton.js";
import { type NewtonCGOptions, newtonCGSteps } from "./newtoncg.js";
import { type TrustRegionOptions, newtonTrustRegionSteps } from "./trustregion.js";
import type { Objective, OptimResult } from "./types.js";

/** The options of each method. */
export interface MethodOptions {
  /** Newton with a Hager–Zhang line search (`"newton"`). */
  newton: NewtonOptions;
  /** Newton with a Moré–Sorensen trust region ({@link newtonTrustRegion}). */
  newtonTrustRegion: TrustRegionOptions;
  /** Newton with a Steihaug–Toint CG trust region on Hessian-vector products ({@link newtonCG}). */
  newtonCG: NewtonCGOptions;
  /** BFGS ({@link bfgs}). */
  bfgs: BFGSOptions;
  /** L-BFGS ({@link lbfgs}). */
  lbfgs: LBFGSOptions;
}

/** Names of the optimizers (the `optimSolver` values of `train`). */
export type Method = keyof MethodOptions;

const METHODS = {
  newton: newtonSteps,
  newtonTrustRegion: newtonTrustRegionSteps,
  newtonCG: newtonCGSteps,
  bfgs: bfgsSteps,
  lbfgs: lbfgsSteps,
} as const;

/**
 * Minimises `obj` from `x0` with one of the optimizers, with the stopping semantics of
 * MLPGradientFlow.jl's phase 2 (all tolerances disabled): the run ends on `maxIterations`, when
 * `onIteration` returns true, at an exactly zero gradient, when the line search or trust region can
 * make no further progress, or at a non-finite value (see {@link OptimStopReason}). The result is the
 * lowest-f point seen.
 *
 * `newton` and `newtonTrustRegion` need `obj.fgh` and the WASM engine (`await init()`); `newtonCG`
 * needs `obj.hvp`; `bfgs` and `lbfgs` only `obj.fg`.
 *
 * @example
 * ```ts
 * const rosenbrock = { fg(x, g) { … return f; } };
 * const r = minimize(rosenbrock, [-1.2, 1], "bfgs", {
 *   onIteration: ({ g }) => Math.max(...g.map(Math.abs)) < 1e-12, // stop rule of the caller
 * });
 * ```
 */
export function minimize<M extends Method>(obj: Objective, x0: ArrayLike<number>, method: M, opts?: MethodOptions[M]): OptimResult {
  return runSteps(minimizeSteps(obj, x0, method, opts));
}

/**
 * {@link minimize} as a loop that yields after every iteration: drive it with `runSteps` or, to let
 * the event loop run during a long optimisation, `runStepsAsync` (`src/util/steps.ts`).
 */
export function minimizeSteps<M extends Method>(
  obj: Objective,
  x0: ArrayLike<number>,
  method: M,
  opts?: MethodOptions[M],
): Steps<OptimResult> {
  const run = METHODS[method] as ((o: Objective, x: ArrayLike<number>, p?: MethodOptions[M]) => Steps<OptimResult>) | undefined;
  if (typeof run !== "function" || !Object.hasOwn(METHODS, method)) {
    throw new MLPGFError(
      "VALUE",
      `unknown optimizer ${JSON.stringify(method)}: use one of ${Object.keys(METHODS)
        .map((m) => JSON.stringify(m))
        .join(", ")}`,
    );
  }
  return run(obj, x0, parseOptions(OPTIMIZER_OPTION_SCHEMAS[method], opts, `minimize (${method})`) as MethodOptions[M]);
}
