import * as v from "valibot";
import { ACTIVATIONS, isActivationName } from "../api/activations.js";
import { METHODS } from "../ode/index.js";
import { UsageError } from "./usererror.js";

/**
 * The run configuration of `mlpgf train`, validated with valibot: the network (`layers`), the data
 * (a file, a teacher with N Gaussian samples, or a teacher with infinite Gaussian data), the student
 * initialisation and any `train` option. Unknown fields are errors, so a misspelt option never goes
 * unnoticed.
 */

const positiveInt = v.pipe(v.number(), v.integer("expected an integer"), v.minValue(1, "expected an integer ≥ 1"));
const nonNegativeInt = v.pipe(v.number(), v.integer("expected an integer"), v.minValue(0, "expected an integer ≥ 0"));
/** A number, or the string "Infinity" (JSON has no infinite numbers). */
const numberOrInf = v.pipe(
  v.union([v.number(), v.literal("Infinity")], 'expected a number (or "Infinity")'),
  v.transform((x) => (x === "Infinity" ? Infinity : x)),
);
const nonNegative = v.pipe(numberOrInf, v.minValue(0, "expected a number ≥ 0"));
const positive = v.pipe(numberOrInf, v.gtValue(0, "expected a number > 0"));
const seed = v.pipe(v.number(), v.integer("expected an integer seed"));

function isActivation(a: unknown): boolean {
  if (typeof a === "string") return isActivationName(a);
  if (Array.isArray(a)) return a.length > 0 && a.every(isActivation);
  return !!a && typeof a === "object" && Object.keys(a).length === 1 && Array.isArray((a as { poly?: unknown }).poly) &&
    (a as { poly: unknown[] }).poly.every((c) => typeof c === "number");
}

const activation = v.custom<string | { poly: number[] } | (string | { poly: number[] })[]>(
  isActivation,
  () => `unknown activation; expected one of ${ACTIVATIONS.join(", ")}, { "poly": [c0, c1, …] } or a per-neuron array of those`,
);

/** Layer specs `[width, activation, bias]` as in the API. */
const layers = v.pipe(
  v.array(
    v.tuple([v.nullable(positiveInt), activation, v.boolean("expected a boolean (bias)")], "expected a layer [width, activation, bias]"),
    "expected an array of layers [width, activation, bias]",
  ),
  v.minLength(1, "expected at least one layer"),
);

const teacher = v.strictObject({
  layers,
  /** Seed of the teacher's Glorot parameters. */
  seed: v.optional(seed),
  /** Explicit teacher parameters (overrides seed). */
  params: v.optional(v.array(v.number())),
});

const columns = v.union([v.string(), v.pipe(v.array(v.string()), v.minLength(1)), v.pipe(v.array(nonNegativeInt), v.minLength(1))], "expected a column/array name or a non-empty list of column names or indices");

/** Data from a file: CSV with a header, JSON, .npy or .npz. */
const fileData = v.strictObject({
  kind: v.literal("file"),
  /** Path of the data file (relative to the config file). */
  path: v.pipe(v.string(), v.minLength(1)),
  /** Input columns (CSV, JSON records), array name (JSON object, .npz) or column indices (.npy). */
  input: columns,
  /** Target columns / array name / indices, as `input`. */
  target: columns,
});

/** A teacher network labels N inputs drawn from N(0, I_din). */
const teacherData = v.strictObject({
  kind: v.literal("teacher"),
  teacher,
  din: positiveInt,
  samples: positiveInt,
  /** Seed of the Gaussian inputs. Default 1. */
  seed: v.optional(seed),
});

/** Infinite Gaussian data: the student is a `NetI` of the teacher. */
const gaussianData = v.strictObject({
  kind: v.literal("gaussian"),
  teacher,
  din: positiveInt,
});

const data = v.variant("kind", [fileData, teacherData, gaussianData], 'expected data of kind "file", "teacher" or "gaussian"');

const student = v.strictObject({
  /** Seed of the Glorot start point. Default 1 (the CLI's --seed overrides it). */
  seed: v.optional(seed),
  /** Factor applied to the random start point. Default 1. */
  scale: v.optional(v.pipe(v.number(), v.gtValue(0, "expected a number > 0"))),
  distribution: v.optional(v.picklist(["glorot_normal", "glorot_uniform"])),
});

const ALG_EXPECTED = `expected an ODE method (${Object.keys(METHODS).join(", ")}), { "descent": { "eta": … } } or { "adam": { "eta": … } }`;
const odeMethod = v.picklist(Object.keys(METHODS) as [string, ...string[]], ALG_EXPECTED);
const alg = v.union(
  [
    odeMethod,
    v.strictObject({ descent: v.strictObject({ eta: v.optional(positive) }) }),
    v.strictObject({ adam: v.strictObject({ eta: v.optional(positive), beta: v.optional(v.tuple([v.number(), v.number()])), epsilon: v.optional(positive) }) }),
  ],
  ALG_EXPECTED,
);

/** Every `train` option that can be written in JSON, with its type. */
const trainOptions = v.strictObject({
  alg: v.optional(alg),
  maxT: v.optional(positive),
  abstol: v.optional(positive),
  reltol: v.optional(positive),
  dt: v.optional(positive),
  maxtimeOde: v.optional(nonNegative),
  maxiterationsOde: v.optional(nonNegativeInt),
  nSamplesTrajectory: v.optional(positiveInt),
  optimSolver: v.optional(v.picklist(["newton", "newtonTrustRegion", "newtonCG", "bfgs", "lbfgs"])),
  varpro: v.optional(v.boolean()),
  maxiterationsOptim: v.optional(nonNegativeInt),
  maxtimeOptim: v.optional(nonNegative),
  minGnorm: v.optional(nonNegative),
  minloss: v.optional(nonNegative),
  patience: v.optional(nonNegativeInt),
  maxnorm: v.optional(positive),
  merge: v.optional(v.strictObject({ layer: nonNegativeInt, pair: v.tuple([nonNegativeInt, nonNegativeInt]), lambda: v.number() })),
  tauinv: v.optional(v.union([v.pipe(v.number(), v.minValue(0)), v.array(v.pipe(v.number(), v.minValue(0)))], "expected a number ≥ 0 or an array of them")),
  batchsize: v.optional(positiveInt),
  losstype: v.optional(v.picklist(["mse", "nll"])),
  progressInterval: v.optional(positive),
});

/** The whole config file. */
export const ConfigSchema = v.strictObject({
  /** Free-form name shown in the report. */
  name: v.optional(v.string()),
  layers,
  data,
  student: v.optional(student),
  train: v.optional(trainOptions),
});

/** A validated config (input form: what the JSON file holds). */
export type Config = v.InferInput<typeof ConfigSchema>;
/** A validated config with defaults resolved ("Infinity" strings turned into numbers). */
export type ParsedConfig = v.InferOutput<typeof ConfigSchema>;
/** The data part of a config. */
export type DataConfig = ParsedConfig["data"];
/** The train options of a config. */
export type TrainConfig = NonNullable<ParsedConfig["train"]>;

/**
 * Validates a parsed JSON config. Throws a {@link UsageError} whose one-line message names the first
 * offending field (as a dotted path) and what was expected.
 *
 * @param json - the parsed JSON value.
 * @param source - a name for messages (the file name).
 */
export function parseConfig(json: unknown, source = "config"): ParsedConfig {
  const r = v.safeParse(ConfigSchema, json);
  if (r.success) return r.output;
  throw new UsageError(`${source}: ${describeIssue(r.issues[0])}`);
}

/** "field.path: what was expected (got …)" for one valibot issue. */
function describeIssue(issue: v.BaseIssue<unknown>): string {
  const keys = issue.path?.map((p) => p.key as string | number) ?? [];
  const where = keys.length === 0 ? "(top level)" : keys.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
  if (issue.expected === "never" && issue.type === "strict_object") {
    return `${where}: unknown field ${JSON.stringify(keys[keys.length - 1])}${fieldHint(keys.slice(0, -1).join("."))}`;
  }
  const custom = /^Invalid \w+: Expected/.test(issue.message) ? "" : issue.message;
  if (issue.received === "undefined" && issue.kind === "schema") return `${where}: missing required field${custom ? ` (${custom})` : ""}`;
  if (custom) return `${where}: ${custom}, got ${issue.received}`;
  return `${where}: expected ${issue.expected ?? "something else"}, got ${issue.received}`;
}

/** Lists the allowed names when an unknown key sits in a known object. */
function fieldHint(parent: string): string {
  const known: Record<string, readonly string[]> = {
    "": Object.keys(ConfigSchema.entries),
    train: Object.keys(trainOptions.entries),
    student: Object.keys(student.entries),
  };
  const k = known[parent];
  return k ? `; expected one of ${k.join(", ")}` : "";
}
