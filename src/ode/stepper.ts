import type { OdeFunction } from "./types.js";

/** Evaluation counters of one solve. */
export interface OdeStats {
  /** Evaluations of f. */
  nf: number;
  /** Jacobian evaluations. */
  njac: number;
  /** LU factorisations. */
  nlu: number;
  /** Linear solves. */
  nsolve: number;
  /** Jacobian-vector products (Krylov methods; callback or difference quotient). */
  njvp: number;
}

/** What a stepping routine needs from the driver: the problem, counted f, tolerances and mode. */
export interface OdeContext {
  readonly n: number;
  readonly fn: OdeFunction;
  /** f(t, x) into dx, counted in `stats.nf`. */
  readonly f: (t: number, x: Float64Array, dx: Float64Array) => void;
  readonly abstol: number;
  readonly reltol: number;
  /** False for fixed steps: implicit methods then take their best Newton iterate instead of failing. */
  readonly adaptive: boolean;
  readonly stats: OdeStats;
}

/**
 * Signal returned by {@link Stepper.step} when the step could not be computed at this size (Newton
 * iteration diverged or the iteration matrix is singular): the driver retries with a much smaller step.
 */
export const STEP_FAILED = Infinity;

/**
 * One stepping routine of a method family (explicit RK, Rosenbrock, ESDIRK), configured by a tableau.
 * The driver (`solve.ts`) owns the state buffers, step-size control and dense output.
 */
export interface Stepper {
  /** The local error estimate is O(h^errorOrder); 0 without estimate (fixed steps only). */
  readonly errorOrder: number;
  /** Order of the method (used for the initial step estimate). */
  readonly order: number;
  /** True if {@link Stepper.step} writes f(t + h, xNew) into fNew (FSAL); else the driver evaluates it. */
  readonly fsal: boolean;
  /**
   * Attempts one step of size h from (t, x) with f0 = f(t, x); writes the new state to xNew (and
   * f(t+h, xNew) to fNew if fsal). Returns the weighted error norm (≤ 1 accepts; 0 without estimate),
   * {@link STEP_FAILED}, or NaN if a non-finite value appeared. Must not modify x or f0.
   */
  step(t: number, h: number, x: Float64Array, f0: Float64Array, xNew: Float64Array, fNew: Float64Array): number;
  /** The last attempted step was accepted (the state moved on). */
  accepted(): void;
  /** Optional veto of a new step size (e.g. keep h to reuse a factorisation); returns the step to use. */
  adjust?(h: number, hNew: number): number;
  /** Releases resources (WASM buffers). */
  dispose(): void;
}
