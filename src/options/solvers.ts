import type { NewtonOptions } from "../optim/newton.js";
import type { NewtonCGOptions } from "../optim/newtoncg.js";
import type { TrustRegionOptions } from "../optim/trustregion.js";
import type { BFGSOptions } from "../optim/bfgs.js";
import type { LBFGSOptions } from "../optim/lbfgs.js";
import type { LineSearchOptions } from "../optim/linesearch.js";
import type { SubproblemOptions } from "../optim/moresorensen.js";
import type { OptimOptions } from "../optim/types.js";
import type { SolveOptions } from "../ode/types.js";
import * as v from "../vendor/valibot.js";
import { bool, count, finite, fn, num, positiveInt, strict } from "./schema.js";

// Schemas of the options of the public solvers `solveOde` and `minimize`. The option types stay the
// documented interfaces next to the solvers; `KeysOf` below makes the build fail when a schema and its
// interface stop listing the same keys. Ranges that depend on other options (tEnd > t0, dt for fixed
// steps) are checked by the solvers.

/** Compile-time check: `A` and `B` have the same keys (else the type is `never` and the assignment fails). */
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;

/** A finite number > 0 or Infinity. */
const positive = num("a number > 0", (x) => x > 0);
/** Any number but NaN (a time, possibly ±Infinity where the solver allows it). */
const time = num("a number", (x) => !Number.isNaN(x));
/** An object (checked further by the solver that reads it). */
const object = v.custom<object>((x) => !!x && typeof x === "object", "an object");

/** Options of `solveOde` ({@link SolveOptions}). */
export const SolveOptionsSchema = strict({
  method: v.optional(v.custom<string>((x) => typeof x === "string", "an ODE method name")),
  t0: v.optional(finite),
  tEnd: time,
  abstol: v.optional(positive),
  reltol: v.optional(num("a number ≥ 0", (x) => x >= 0)),
  dt: v.optional(positive),
  adaptive: v.optional(bool),
  dtmax: v.optional(positive),
  maxSteps: v.optional(count),
  onStep: v.optional(fn()),
  resume: v.optional(object),
});
const solveKeys: SameKeys<SolveOptions, v.InferInput<typeof SolveOptionsSchema>> = true;

/** Entries every optimizer takes ({@link OptimOptions}). */
const optimEntries = {
  maxIterations: v.optional(count),
  stallIterations: v.optional(num("an integer ≥ 1 (or Infinity)", (x) => x === Infinity || (Number.isInteger(x) && x >= 1))),
  onIteration: v.optional(fn()),
};
const optimKeys: SameKeys<OptimOptions, v.InferInput<ReturnType<typeof strict<typeof optimEntries>>>> = true;

const LineSearchSchema = strict({
  delta: v.optional(finite),
  sigma: v.optional(finite),
  epsilon: v.optional(finite),
  rho: v.optional(finite),
  gamma: v.optional(finite),
  psi3: v.optional(finite),
  maxIterations: v.optional(positiveInt),
  alphaMax: v.optional(positive),
  acceptInitial: v.optional(finite),
});
const lineSearchKeys: SameKeys<LineSearchOptions, v.InferInput<typeof LineSearchSchema>> = true;

const SubproblemSchema = strict({ sigma1: v.optional(finite), sigma2: v.optional(finite), maxIterations: v.optional(positiveInt) });
const subproblemKeys: SameKeys<SubproblemOptions, v.InferInput<typeof SubproblemSchema>> = true;

const trustRegionEntries = {
  initialRadius: v.optional(positive),
  maxRadius: v.optional(positive),
  eta: v.optional(finite),
  rhoLower: v.optional(finite),
  rhoUpper: v.optional(finite),
};

/** Options of each `minimize` method. */
export const OPTIMIZER_OPTION_SCHEMAS = {
  newton: strict({
    ...optimEntries,
    lineSearch: v.optional(LineSearchSchema),
    shiftFactor: v.optional(positive),
    pivotTolerance: v.optional(positive),
  }),
  newtonTrustRegion: strict({ ...optimEntries, ...trustRegionEntries, subproblem: v.optional(SubproblemSchema) }),
  newtonCG: strict({ ...optimEntries, ...trustRegionEntries, maxCgIterations: v.optional(positiveInt) }),
  bfgs: strict({ ...optimEntries, lineSearch: v.optional(LineSearchSchema), initialScaling: v.optional(bool) }),
  lbfgs: strict({ ...optimEntries, lineSearch: v.optional(LineSearchSchema), memory: v.optional(positiveInt) }),
} as const;
type In<K extends keyof typeof OPTIMIZER_OPTION_SCHEMAS> = v.InferInput<(typeof OPTIMIZER_OPTION_SCHEMAS)[K]>;
const methodKeys: [
  SameKeys<NewtonOptions, In<"newton">>,
  SameKeys<TrustRegionOptions, In<"newtonTrustRegion">>,
  SameKeys<NewtonCGOptions, In<"newtonCG">>,
  SameKeys<BFGSOptions, In<"bfgs">>,
  SameKeys<LBFGSOptions, In<"lbfgs">>,
] = [true, true, true, true, true];
void [solveKeys, optimKeys, lineSearchKeys, subproblemKeys, methodKeys];
