import { type Steps, runSteps } from "../util/steps.js";
import { MLPGFError } from "../errors.js";
import { parseOptions } from "../options/parse.js";
import { SolveOptionsSchema } from "../options/solvers.js";
import { PIController, allFinite, initialStep } from "./control.js";
import { hermite } from "./dense.js";
import { EsdirkStepper } from "./esdirk.js";
import { ExplicitStepper } from "./explicit.js";
import { RosenbrockStepper } from "./rosenbrock.js";
import { type OdeContext, type OdeStats, STEP_FAILED, type Stepper } from "./stepper.js";
import { DP5, EULER, KENCARP58, RK4, RODAS4, RODAS4_KRYLOV, RODAS5P, TRBDF2, TSIT5, type Tableau } from "./tableaus.js";
import type { MethodName, OdeFunction, SolveOptions, SolveResult, SolveStatus, StepInfo } from "./types.js";

/** The tableau of every method name; the kind of tableau selects the stepping routine. */
export const METHODS: Readonly<Record<MethodName, Tableau>> = {
  euler: EULER,
  rk4: RK4,
  tsit5: TSIT5,
  dp5: DP5,
  rodas4: RODAS4,
  rodas5p: RODAS5P,
  rodas4krylov: RODAS4_KRYLOV,
  trbdf2: TRBDF2,
  kencarp58: KENCARP58,
};

/** Above this many unknowns the default switches from Rodas5P to KenCarp58 (see {@link defaultMethod}). */
export const DEFAULT_STIFF_SWITCH = 32;

/**
 * Default method for n unknowns: Rodas5P for n ≤ 32, KenCarp58 above — both stiff, as gradient flows
 * near minima are. Rodas5P evaluates the Jacobian and factors c·I − J at every step but needs only 8 f
 * per step, so it wins while the Jacobian costs less than a few f; KenCarp58 keeps the Jacobian (2–3 per
 * run) and its LU over steps at ~13 f per step, which wins once Jacobians (an exact Hessian: O(N·P²)) or
 * O(n³) LUs dominate. Measured (bench/ode.js, best of 5 runs) on teacher–student gradient flows of two-layer
 * networks, D = 2, tol 1e-6, to t = 1e6 (loss ≈ 1e-32), with this branch's placeholder activation kernel
 * (linear networks; Hessian/gradient cost ratio 3–13): N = 10⁴, P = 9 / 17 / 25 / 41: Rodas5P 79 / 100 /
 * 124 / 219 ms vs KenCarp58 112 / 179 / 191 / 239 ms; N = 1000, P = 41: 19 vs 17 ms; single runs at
 * P = 201 / 401 / 1001: KenCarp58 1.3–2.4× faster (P = 401: 0.75 vs 1.78 s). TRBDF2 is about as fast
 * as KenCarp58 at tol 1e-6 for mid-size P but takes ~3× the steps and LUs, so it falls behind for large
 * P (O(n³) LUs) and at tighter tolerances (second order). MLPGradientFlow.jl uses KenCarp58 for
 * P ≤ 1024 and TRBDF2 above.
 */
export function defaultMethod(n: number): MethodName {
  return n <= DEFAULT_STIFF_SWITCH ? "rodas5p" : "kencarp58";
}

/** Consecutive non-finite attempts after which the integration gives up with "nonFinite". */
const MAX_NONFINITE = 12;
/** Time scale below which |t| does not shrink the smallest step further (keeps it a normal number). */
const TINY_TIME = 1e-290;

/**
 * Integrates dx/dt = f(t, x) from t0 to tEnd starting at x0 (which is not modified).
 *
 * Every method is a tableau (`src/ode/tableaus.ts`) plus the stepping routine of its kind; step-size
 * control (PI controller on the weighted RMS error, `control.ts`) and dense output (cubic Hermite,
 * `dense.ts`) are shared. Nothing is allocated per step. The caller may stop after any accepted step
 * through `onStep`; non-finite values shrink the step and, if they persist, end the run with status
 * "nonFinite" and the last finite state.
 *
 * @throws MLPGFError `VALUE` for invalid options (unknown method, tEnd ≤ t0, missing dt for fixed
 *   steps, non-positive tolerances), `SHAPE` for an empty x0. Exceptions of f propagate.
 */
export function solveOde(fn: OdeFunction, x0: ArrayLike<number>, opts: SolveOptions): SolveResult {
  return runSteps(solveOdeSteps(fn, x0, opts));
}

/**
 * {@link solveOde} as a loop that yields after every accepted step: drive it with `runSteps`, or with
 * `runStepsAsync` to let the event loop run during a long integration (`src/util/steps.ts`).
 * Options are checked at once; the integration starts at the first `next()`.
 */
export function solveOdeSteps(fn: OdeFunction, x0: ArrayLike<number>, opts: SolveOptions): Steps<SolveResult> {
  checkOdeFunction(fn);
  const start = checkStart(x0);
  const n = start.length;
  opts = parseOptions(SolveOptionsSchema, opts, "solveOde") as SolveOptions;
  const methodName = opts.method ?? defaultMethod(n);
  const tab = Object.hasOwn(METHODS, methodName) ? METHODS[methodName] : undefined;
  if (!tab)
    throw new MLPGFError("OPTION", `unknown ODE method ${JSON.stringify(methodName)}; use one of ${Object.keys(METHODS).join(", ")}`);
  const t0 = opts.t0 ?? 0;
  const tEnd = opts.tEnd;
  if (!Number.isFinite(t0)) throw new MLPGFError("OPTION", `t0 must be finite, got ${t0}`);
  if (!(tEnd > t0)) throw new MLPGFError("OPTION", `tEnd must be greater than t0 = ${t0}, got ${tEnd}`);
  const abstol = opts.abstol ?? 1e-6;
  const reltol = opts.reltol ?? 1e-6;
  if (!(abstol > 0) || !(reltol >= 0)) throw new MLPGFError("OPTION", `abstol must be > 0 and reltol ≥ 0, got ${abstol} and ${reltol}`);
  const hasEstimate = tab.kind !== "explicit" || tab.btilde !== null;
  const adaptive = opts.adaptive ?? (hasEstimate && !(methodName === "rk4" && opts.dt !== undefined));
  if (adaptive && !hasEstimate) throw new MLPGFError("OPTION", `method "${methodName}" has no error estimate: give a fixed step dt`);
  const dt = opts.dt;
  if (dt !== undefined && !(dt > 0 && dt < Infinity)) throw new MLPGFError("OPTION", `dt must be a positive finite number, got ${dt}`);
  if (!adaptive && dt === undefined) throw new MLPGFError("OPTION", `fixed steps with method "${methodName}" need dt`);
  const dtmax = opts.dtmax ?? tEnd - t0;
  if (!(dtmax > 0)) throw new MLPGFError("OPTION", `dtmax must be positive, got ${dtmax}`);
  const maxSteps = opts.maxSteps ?? 100_000;

  const stats: OdeStats = { nf: 0, njac: 0, nlu: 0, nsolve: 0, njvp: 0 };
  const f = (t: number, x: Float64Array, dx: Float64Array): void => {
    stats.nf++;
    fn.f(t, x, dx);
  };
  const ctx: OdeContext = { n, fn, f, abstol, reltol, adaptive, stats };
  return (function* () {
    const stepper = makeStepper(ctx, tab);
    try {
      return yield* integrate(ctx, stepper, start, t0, tEnd, adaptive, dt, dtmax, maxSteps, opts.onStep, opts.resume);
    } finally {
      stepper.dispose();
    }
  })();
}

/** Checks that `fn` has a method `f` and that its optional derivatives are methods. */
function checkOdeFunction(fn: unknown): asserts fn is OdeFunction {
  if (fn === null || typeof fn !== "object" || typeof (fn as OdeFunction).f !== "function") {
    throw new MLPGFError("VALUE", "solveOde: the right-hand side must be an object with a method f(t, x, dx)");
  }
  for (const key of ["jacobian", "dfdt"] as const) {
    const m = (fn as OdeFunction)[key];
    if (m !== undefined && typeof m !== "function")
      throw new MLPGFError("VALUE", `solveOde: ${key} of the right-hand side must be a method or absent, got ${typeof m}`);
  }
}

/** The start point as a new Float64Array: a non-empty array or typed array of finite numbers. */
function checkStart(x0: unknown): Float64Array {
  if (!(Array.isArray(x0) || (ArrayBuffer.isView(x0) && !(x0 instanceof DataView)))) {
    throw new MLPGFError("SHAPE", `solveOde: x0 must be an array or typed array of numbers, got ${x0 === null ? "null" : typeof x0}`);
  }
  const v = x0 as ArrayLike<unknown>;
  if (v.length === 0) throw new MLPGFError("SHAPE", "solveOde needs at least one unknown (x0 is empty)");
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const xi = v[i];
    if (typeof xi !== "number" || !Number.isFinite(xi))
      throw new MLPGFError("VALUE", `solveOde: x0[${i}] must be a finite number, got ${typeof xi === "number" ? xi : typeof xi}`);
    out[i] = xi;
  }
  return out;
}

function makeStepper(ctx: OdeContext, tab: Tableau): Stepper {
  switch (tab.kind) {
    case "explicit":
      return new ExplicitStepper(ctx, tab);
    case "rosenbrock":
      return new RosenbrockStepper(ctx, tab);
    case "esdirk":
      return new EsdirkStepper(ctx, tab);
  }
}

/** The shared driver: step attempts, acceptance, step-size control, dense output and callbacks; yields after every accepted step. */
function* integrate(
  ctx: OdeContext,
  stepper: Stepper,
  x0: Float64Array,
  t0: number,
  tEnd: number,
  adaptive: boolean,
  dt: number | undefined,
  dtmax: number,
  maxSteps: number,
  onStep: SolveOptions["onStep"],
  resume: SolveOptions["resume"],
): Steps<SolveResult> {
  const n = ctx.n;
  let x = Float64Array.from(x0);
  let fx = new Float64Array(n);
  let xNew = new Float64Array(n);
  let fNew = new Float64Array(n);
  let t = t0;
  let tPrev = t0;
  let steps = 0;
  let rejected = 0;
  const finish = (status: SolveStatus, message: string): SolveResult => ({
    t,
    x: Float64Array.from(x),
    steps,
    rejected,
    ...ctx.stats,
    status,
    message,
  });

  if (!allFinite(x)) return finish("nonFinite", "the initial state x0 is not finite");
  if (resume) {
    if (resume.f0.length !== n || !(resume.h > 0)) throw new MLPGFError("OPTION", `resume: f0 must have ${n} values and h must be > 0`);
    fx.set(resume.f0);
  } else ctx.f(t, x, fx);
  if (!allFinite(fx)) return finish("nonFinite", `f(t0, x0) is not finite at t0 = ${t0}`);

  const controller = new PIController(Math.max(1, stepper.errorOrder));
  if (resume) controller.restore(resume.controller);
  let h = resume
    ? resume.h
    : (dt ?? initialStep(t0, x, fx, stepper.order, ctx.abstol, ctx.reltol, Math.min(dtmax, tEnd - t0), ctx.f, xNew, fNew));
  h = Math.min(h, dtmax);

  const info: StepInfo = {
    t,
    tPrev,
    x,
    dxdt: fx,
    steps: 0,
    rejected: 0,
    // after a step, (xNew, fNew) hold the start of the step and (x, fx) its end
    interpolate: (s: number, out: Float64Array) => hermite(tPrev, xNew, fNew, t, x, fx, s, out),
    resumeState: () => ({ f0: Float64Array.from(fx), h, controller: controller.state() }),
  };

  let nonFinite = 0;
  for (;;) {
    if (t >= tEnd) return finish("done", `reached tEnd = ${tEnd}`);
    if (steps >= maxSteps) return finish("maxSteps", `stopped after maxSteps = ${maxSteps} steps at t = ${t}`);
    const remaining = tEnd - t;
    // a step ending within 1e-10·h of tEnd lands on it (no sliver step from rounded sums of t)
    const last = h >= remaining - 1e-10 * h;
    const hStep = last ? remaining : h;
    const tNew = last ? tEnd : t + hStep;
    if (adaptive && hStep < 16 * Number.EPSILON * Math.max(Math.abs(t), TINY_TIME)) {
      if (nonFinite > 0) return finish("nonFinite", `non-finite values near t = ${t} persist with step size ${hStep}`);
      return finish("stepTooSmall", `step size ${hStep} too small at t = ${t} (stiff or singular problem?)`);
    }

    let err = stepper.step(t, hStep, x, fx, xNew, fNew);
    if (err <= 1 || !adaptive) {
      if (err === STEP_FAILED) return finish("failed", `the fixed step ${hStep} at t = ${t} failed (singular iteration matrix)`);
      if (!stepper.fsal && err === err) ctx.f(tNew, xNew, fNew);
      if (!(allFinite(xNew) && allFinite(fNew))) err = NaN;
    }

    if (err !== err) {
      // non-finite values: shrink hard and retry, give up if it persists
      nonFinite++;
      if (!adaptive || nonFinite >= MAX_NONFINITE)
        return finish("nonFinite", `f or the state became non-finite in the step from t = ${t} (size ${hStep})`);
      rejected++;
      h = controller.reject(hStep, STEP_FAILED);
      continue;
    }
    if (adaptive && !(err <= 1)) {
      rejected++;
      h = controller.reject(hStep, err);
      continue;
    }

    // accepted
    nonFinite = 0;
    tPrev = t;
    t = tNew;
    const xs = x,
      fs = fx;
    x = xNew;
    xNew = xs;
    fx = fNew;
    fNew = fs;
    steps++;
    stepper.accepted();
    if (adaptive) {
      let hNext = controller.accept(hStep, err);
      if (stepper.adjust && !last) hNext = stepper.adjust(hStep, hNext);
      h = Math.min(hNext, dtmax);
    }
    if (onStep) {
      info.t = t;
      info.tPrev = tPrev;
      info.x = x;
      info.dxdt = fx;
      info.steps = steps;
      info.rejected = rejected;
      if (onStep(info) === true) return finish("stopped", `stopped by onStep at t = ${t}`);
    }
    yield;
  }
}
