import { MLPGFError } from "../errors.js";
import type { Evaluations, IterationInfo, Objective, OptimOptions, OptimResult, StopReason } from "./types.js";
import { isBetterPoint } from "./tierule.js";
import { allFinite, normInf } from "./vector.js";

/** Default of {@link OptimOptions.maxIterations}. */
export const DEFAULT_MAX_ITERATIONS = 1000;

/** Default of {@link OptimOptions.stallIterations}. */
export const DEFAULT_STALL_ITERATIONS = 20;

/**
 * The bookkeeping every optimizer shares: it calls the objective (counting evaluations and keeping
 * the lowest-f finite point seen, line-search trials included), runs the per-iterate checks
 * (callback, iteration limit, exactly zero gradient) and builds the {@link OptimResult}.
 */
export class Monitor {
  /** Dimension. */
  readonly n: number;
  /** Objective calls so far. */
  readonly evaluations: Evaluations = { f: 0, g: 0, h: 0, hv: 0 };
  /** Completed iterations. */
  iterations = 0;
  /** Set by {@link Monitor.stop} or the per-iterate checks; null while running. */
  stoppedBy: StopReason | null = null;
  private readonly bestX: Float64Array;
  private readonly bestG: Float64Array;
  private bestF = NaN;
  private bestGnorm = Infinity;
  private lowestF = Infinity;
  private hasBest = false;
  private bestFinite = false;
  private readonly maxIterations: number;
  private readonly stallIterations: number;
  private stall = 0;
  private improved = false;
  private lastFinite = true;
  private readonly callback: OptimOptions["onIteration"];
  private readonly info: IterationInfo;

  /** Validates the options and the start point (finite, non-empty). */
  constructor(
    private readonly objective: Objective,
    x0: ArrayLike<number>,
    opts: OptimOptions = {},
  ) {
    if (!objective || typeof objective.fg !== "function") throw new MLPGFError("VALUE", "the objective must have a method fg(x, g)");
    const n = x0?.length;
    if (!Number.isInteger(n) || n < 1)
      throw new MLPGFError("SHAPE", `the start point must be a non-empty array of numbers, got length ${String(n)}`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(x0[i])) throw new MLPGFError("VALUE", `the start point must be finite, got x0[${i}] = ${String(x0[i])}`);
    }
    const mi = opts.maxIterations ?? DEFAULT_MAX_ITERATIONS;
    if (!(mi >= 0) || (mi !== Infinity && !Number.isInteger(mi)))
      throw new MLPGFError("VALUE", `maxIterations must be an integer ≥ 0 or Infinity, got ${String(mi)}`);
    const si = opts.stallIterations ?? DEFAULT_STALL_ITERATIONS;
    if (!(si >= 1) || (si !== Infinity && !Number.isInteger(si)))
      throw new MLPGFError("VALUE", `stallIterations must be an integer ≥ 1 or Infinity, got ${String(si)}`);
    if (opts.onIteration !== undefined && typeof opts.onIteration !== "function")
      throw new MLPGFError("VALUE", "onIteration must be a function");
    this.n = n;
    this.maxIterations = mi;
    this.stallIterations = si;
    this.callback = opts.onIteration;
    this.bestX = Float64Array.from(x0);
    this.bestG = new Float64Array(n);
    this.info = { iteration: 0, x: this.bestX, f: NaN, g: this.bestG, evaluations: this.evaluations };
  }

  /** fg with counting and best-point tracking; returns f (possibly non-finite). */
  fg(x: Float64Array, g: Float64Array): number {
    this.evaluations.f++;
    this.evaluations.g++;
    const f = this.objective.fg(x, g);
    this.track(x, f, g);
    return f;
  }

  /** fgh with counting and best-point tracking; throws `VALUE` if the objective has no `fgh`. */
  fgh(x: Float64Array, g: Float64Array, H: Float64Array): number {
    if (typeof this.objective.fgh !== "function")
      throw new MLPGFError("VALUE", "this method needs the Hessian: the objective must have a method fgh(x, g, H)");
    this.evaluations.f++;
    this.evaluations.g++;
    this.evaluations.h++;
    const f = this.objective.fgh(x, g, H);
    this.track(x, f, g);
    return f;
  }

  /** hvp with counting (no best-point tracking: it returns no value); throws `VALUE` without `hvp`. */
  hvp(x: Float64Array, v: Float64Array, out: Float64Array): void {
    if (typeof this.objective.hvp !== "function")
      throw new MLPGFError("VALUE", "this method needs Hessian-vector products: the objective must have a method hvp(x, v, out)");
    this.evaluations.hv++;
    this.objective.hvp(x, v, out);
  }

  /**
   * Per-iterate checks, in order: the callback, the iteration limit, an exactly zero gradient, and
   * `stallIterations` iterations without a better point ("no progress").
   * Returns true (and sets {@link Monitor.stoppedBy}) when the run must end.
   */
  atIterate(x: Float64Array, f: number, g: Float64Array): boolean {
    if (this.callback) {
      const info = this.info;
      info.iteration = this.iterations;
      info.x = x;
      info.f = f;
      info.g = g;
      if (this.callback(info) === true) return this.stop("callback");
    }
    if (this.iterations >= this.maxIterations) return this.stop("maxIterations");
    if (normInf(g) === 0) return this.stop("zero gradient");
    this.stall = this.improved || this.iterations === 0 ? 0 : this.stall + 1;
    this.improved = false;
    if (this.stall >= this.stallIterations) return this.stop(this.lastFinite ? "no progress" : "non-finite objective");
    return false;
  }

  /** Ends the run with `reason` (the first reason wins); returns true. */
  stop(reason: StopReason): true {
    if (this.stoppedBy === null) this.stoppedBy = reason;
    return true;
  }

  /** The result: the best point, copied. */
  result(): OptimResult {
    return {
      x: this.bestX.slice(),
      f: this.bestF,
      g: this.bestG.slice(),
      iterations: this.iterations,
      evaluations: { ...this.evaluations },
      stoppedBy: this.stoppedBy ?? "maxIterations",
    };
  }

  /**
   * Keeps (x, f, g) if it is finite and better than the best so far by the shared tie rule
   * {@link isBetterPoint}: a lower f, or an f equal to within the rounding level and a smaller ‖g‖∞.
   */
  private track(x: Float64Array, f: number, g: Float64Array): void {
    const finite = Number.isFinite(f) && allFinite(g) && allFinite(x);
    this.lastFinite = finite;
    if (this.hasBest) {
      if (!finite) return;
      const low = this.lowestF; // Infinity while only a non-finite start is kept
      if (f < low) this.lowestF = f;
      if (!isBetterPoint(f, normInf(g), low, this.bestGnorm)) return;
    } else if (!finite) {
      // The start point: keep its (non-finite) value so that a failed run still reports something.
      this.bestG.set(g);
      this.bestF = f;
      this.hasBest = true;
      return;
    }
    this.bestX.set(x);
    this.bestG.set(g);
    this.bestF = f;
    this.bestGnorm = normInf(g);
    if (!this.bestFinite || f < this.lowestF) this.lowestF = f;
    this.improved = true;
    this.hasBest = true;
    this.bestFinite = true;
  }
}
