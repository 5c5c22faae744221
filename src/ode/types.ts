/**
 * The right-hand side of `dx/dt = f(t, x)` and, optionally, its derivatives.
 * Nothing here is specific to neural networks: any system of n ordinary differential equations.
 */
export interface OdeFunction {
  /** Writes f(t, x) into `dx` (length n). Must not keep references to `x` or `dx`. */
  f(t: number, x: Float64Array, dx: Float64Array): void;
  /**
   * Writes the Jacobian ∂f/∂x at (t, x) into `J` (n×n, row-major: J[i·n + j] = ∂fᵢ/∂xⱼ).
   * Used by the stiff methods; without it they use forward differences (n extra f evaluations).
   */
  jacobian?(t: number, x: Float64Array, J: Float64Array): void;
  /**
   * Writes J(t, x)·v = (∂f/∂x)·v into `out` (length n). Used by the Krylov method (`rodas4krylov`)
   * instead of a Jacobian; without it, J·v comes from a difference quotient of f (one f per product).
   */
  jvp?(t: number, x: Float64Array, v: Float64Array, out: Float64Array): void;
  /**
   * Writes ∂f/∂t at (t, x) into `out`. Used by the Rosenbrock methods for non-autonomous f; without
   * it (and unless {@link OdeFunction.autonomous}) they use a forward difference (1 extra f evaluation).
   */
  dfdt?(t: number, x: Float64Array, out: Float64Array): void;
  /** True if f does not depend on t (e.g. a gradient flow): saves the ∂f/∂t work of Rosenbrock methods. */
  autonomous?: boolean;
}

/** Names of the integration methods; see `METHODS` in `src/ode/solve.ts` for orders and kinds. */
export type MethodName = "euler" | "rk4" | "tsit5" | "dp5" | "rodas4" | "rodas5p" | "rodas4krylov" | "trbdf2" | "kencarp58";

/** Options of {@link solveOde}. */
export interface SolveOptions {
  /** Integration method. Default: `defaultMethod(n)` (Rodas5P for n ≤ 32, KenCarp58 above). */
  method?: MethodName;
  /** Start time. Default 0. */
  t0?: number;
  /** End time (> t0; may be Infinity, then only `onStep`, `maxSteps` or a failure end the run). */
  tEnd: number;
  /** Absolute tolerance of the local error (per component). Default 1e-6. */
  abstol?: number;
  /** Relative tolerance of the local error. Default 1e-6. */
  reltol?: number;
  /**
   * Step size: the fixed step when not adaptive (required for `euler`), else the first step
   * (default: estimated from f at t0 as in Hairer–Nørsett–Wanner, 1 extra f evaluation).
   */
  dt?: number;
  /**
   * Adaptive step-size control. Default: true, except for `euler` (no error estimate) and for `rk4`
   * when `dt` is given. With `adaptive: false`, `dt` is required; the stiff methods then still use
   * abstol/reltol for their Newton iterations.
   */
  adaptive?: boolean;
  /** Largest step size. Default: tEnd − t0. */
  dtmax?: number;
  /** Maximum number of accepted steps. Default 100000. */
  maxSteps?: number;
  /**
   * Called after every accepted step. Return `true` to stop the integration (status "stopped").
   * The {@link StepInfo} object and its arrays are reused: copy what you keep.
   */
  onStep?(s: StepInfo): boolean | void;
  /**
   * Continue an earlier integration exactly: the state returned by {@link StepInfo.resumeState} at
   * its last accepted step (with `t0` and `x0` that step's t and x). Skips the initial evaluation of f
   * and the initial-step estimate, and restores the step-size controller, so explicit and Rosenbrock
   * methods continue bitwise as if never stopped (ESDIRK methods re-evaluate their Jacobian). Give
   * the first run's `dtmax` too (its default, tEnd − t0, changes with t0).
   */
  resume?: OdeResumeState;
}

/** What an integration needs to continue bitwise from an accepted step (see {@link SolveOptions.resume}). */
export interface OdeResumeState {
  /** f(t, x) at the step's end, as the solver holds it. */
  f0: Float64Array;
  /** The next step size the controller proposed. */
  h: number;
  /** The PI controller's memory. */
  controller: { errPrev: number; rejectedLast: boolean };
}

/** What {@link SolveOptions.onStep} sees after an accepted step. Valid only during the call. */
export interface StepInfo {
  /** Time reached by the step. */
  t: number;
  /** Time at the start of the step. */
  tPrev: number;
  /** State at `t` (a live buffer of the solver: copy it to keep it). */
  x: Float64Array;
  /** A copy of what {@link SolveOptions.resume} needs to continue from this step. */
  resumeState(): OdeResumeState;
  /** f(t, x) (a live buffer of the solver). */
  dxdt: Float64Array;
  /** Accepted steps so far, this one included. */
  steps: number;
  /** Rejected step attempts so far. */
  rejected: number;
  /**
   * Writes the dense-output state at time `s` into `out` (cubic Hermite on [tPrev, t], third order;
   * outside that interval it extrapolates).
   */
  interpolate(s: number, out: Float64Array): void;
}

/** Why {@link solveOde} returned. */
export type SolveStatus =
  /** tEnd reached. */
  | "done"
  /** `onStep` returned true. */
  | "stopped"
  /** maxSteps accepted steps taken. */
  | "maxSteps"
  /** the adaptive step fell below 16 ulp of t (error test or Newton iteration kept failing). */
  | "stepTooSmall"
  /** f, the Jacobian or the state became NaN/±Infinity and smaller steps did not help; x is the last finite state. */
  | "nonFinite"
  /** a fixed step could not be completed (exactly singular iteration matrix). */
  | "failed";

/** Result of {@link solveOde}. */
export interface SolveResult {
  /** Final time (the time of `x`). */
  t: number;
  /** Final state (a new array). */
  x: Float64Array;
  /** Accepted steps. */
  steps: number;
  /** Rejected step attempts (error test, Newton failure or non-finite values). */
  rejected: number;
  /** Evaluations of f (including finite-difference Jacobians and the initial-step estimate). */
  nf: number;
  /** Jacobian evaluations (user callback or finite differences). */
  njac: number;
  /** LU factorisations. */
  nlu: number;
  /** Linear solves (with an LU factorisation, or by GMRES for a Krylov method). */
  nsolve: number;
  /** Jacobian-vector products of a Krylov method. */
  njvp: number;
  /** Why the integration ended. */
  status: SolveStatus;
  /** A one-line human-readable account of the status. */
  message: string;
}
