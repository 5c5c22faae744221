// The interface shared by the optimizers: objective, options, callback information and result.

/**
 * A scalar objective f: ℝⁿ → ℝ with its gradient and, for the Newton methods, its Hessian.
 * The optimizers never keep references to the arrays they pass in; an objective must not keep them
 * either (they are reused buffers).
 */
export interface Objective {
  /** Writes ∇f(x) into `g` and returns f(x). */
  fg(x: Float64Array, g: Float64Array): number;
  /**
   * Writes ∇f(x) into `g` and the Hessian ∇²f(x) into `H` (n × n, row-major, both triangles filled:
   * symmetric) and returns f(x). Needed by `newton` and `newtonTrustRegion`.
   */
  fgh?(x: Float64Array, g: Float64Array, H: Float64Array): number;
  /** Writes the Hessian-vector product ∇²f(x)·v into `out`. Needed by `newtonCG`. */
  hvp?(x: Float64Array, v: Float64Array, out: Float64Array): void;
}

/**
 * Numbers of objective calls: `f` and `g` count every call (both compute value and gradient), `h`
 * the `fgh` calls, `hv` the Hessian-vector products.
 */
export interface Evaluations {
  /** Calls counted as value evaluations. */
  f: number;
  /** Calls counted as gradient evaluations. */
  g: number;
  /** Hessian evaluations (`fgh` calls). */
  h: number;
  /** Hessian-vector products. */
  hv: number;
}

/**
 * What `onIteration` sees at every iterate (iteration 0 is the start point). `x` and `g` are the
 * optimizer's own buffers: read them during the call, copy what you keep, do not modify them.
 */
export interface IterationInfo {
  /** Number of completed iterations. */
  iteration: number;
  /** Current iterate. */
  x: Float64Array;
  /** f(x). */
  f: number;
  /** ∇f(x). */
  g: Float64Array;
  /** Objective calls so far (a live object: copy it to keep it). */
  evaluations: Readonly<Evaluations>;
}

/**
 * Why an optimizer stopped:
 * - `"maxIterations"`: `maxIterations` iterations were done;
 * - `"callback"`: `onIteration` returned true;
 * - `"zero gradient"`: the gradient at the iterate is exactly 0 (a critical point);
 * - `"line search failed"`: the line search found no acceptable step (usually: the objective is flat
 *   to rounding along the direction, i.e. the iterate is at machine precision);
 * - `"no progress"`: the step or trust region became too small to change x, or `stallIterations`
 *   iterations found no better point;
 * - `"non-finite objective"`: f or ∇f was NaN/±∞ at the start point, or everywhere the line search
 *   or the shrinking trust region looked (non-finite trial points are otherwise just rejected);
 * - `"non-finite Hessian"`: the Hessian at the iterate holds NaN/±∞.
 */
export type StopReason =
  | "maxIterations"
  | "callback"
  | "zero gradient"
  | "line search failed"
  | "no progress"
  | "non-finite objective"
  | "non-finite Hessian";

/** Options of every method. No tolerance-based stop exists: the caller decides through `onIteration`. */
export interface OptimOptions {
  /** Stop after this many iterations. Default 1000. */
  maxIterations?: number;
  /**
   * Stop ("no progress") after this many consecutive iterations that found no better point (see
   * {@link OptimResult.x}). This ends runs that wander at the rounding level of f and ∇f once the
   * minimum is reached to machine precision; it is not a tolerance. Default 20; `Infinity` disables
   * it (the original's behaviour: only the callback ends such runs).
   */
  stallIterations?: number;
  /**
   * Called at the start point (iteration 0) and after every iteration; return `true` to stop
   * (`stoppedBy = "callback"`). This is where a trainer checks its own rules (minimal loss, minimal
   * gradient norm, patience, wall-clock time).
   */
  onIteration?(info: IterationInfo): boolean | void;
}

/** Result of an optimizer run. */
export interface OptimResult {
  /**
   * The best point among all evaluations (start point and line-search trials included): the lowest
   * finite f, where values within 1e-13·|f| (rounding) count as equal and the smaller ‖∇f‖∞ wins.
   * Always finite.
   */
  x: Float64Array;
  /** f(x) (NaN/±∞ only if the start point itself was not finite). */
  f: number;
  /** ∇f(x). */
  g: Float64Array;
  /** Completed iterations. */
  iterations: number;
  /** Objective calls. */
  evaluations: Evaluations;
  /** Why the run ended. */
  stoppedBy: StopReason;
}
