import * as v from "../vendor/valibot.js";
import { ACTIVATIONS, isActivationName } from "../api/activations.js";
import { optionProblem } from "../options/parse.js";
import { type StoredTrainOptions, StoredTrainOptionsSchema } from "../options/train.js";
import { UsageError } from "./usererror.js";
import { show } from "../util/show.js";

/**
 * The run configuration of `mlpgf train`, validated with valibot: the network (`layers`), the data
 * (a file, a teacher with N Gaussian samples, or a teacher with infinite Gaussian data), the student
 * initialisation and any `train` option. Unknown fields are errors, so a misspelt option never goes
 * unnoticed. The `train` section is checked by the API's own schema of the storable train options
 * (src/options/train.ts), with the string "Infinity" standing for ∞ (JSON has no infinite numbers).
 */

const positiveInt = v.pipe(v.number(), v.integer("expected an integer"), v.minValue(1, "expected an integer ≥ 1"));
const nonNegativeInt = v.pipe(v.number(), v.integer("expected an integer"), v.minValue(0, "expected an integer ≥ 0"));
const seed = v.pipe(v.number(), v.integer("expected an integer seed"));

function isActivation(a: unknown): boolean {
  if (typeof a === "string") return isActivationName(a);
  if (Array.isArray(a)) return a.length > 0 && a.every(isActivation);
  return (
    !!a &&
    typeof a === "object" &&
    Object.keys(a).length === 1 &&
    Array.isArray((a as { poly?: unknown }).poly) &&
    (a as { poly: unknown[] }).poly.every((c) => typeof c === "number")
  );
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

const columns = v.union(
  [v.string(), v.pipe(v.array(v.string()), v.minLength(1)), v.pipe(v.array(nonNegativeInt), v.minLength(1))],
  "expected a column/array name or a non-empty list of column names or indices",
);

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

/** The string "Infinity" as ∞, anywhere in a JSON value (JSON has no infinite numbers). */
function infinityStrings(x: unknown): unknown {
  if (x === "Infinity") return Infinity;
  if (Array.isArray(x)) return x.map(infinityStrings);
  if (x && typeof x === "object") return Object.fromEntries(Object.entries(x).map(([k, a]) => [k, infinityStrings(a)]));
  return x;
}

/**
 * The `train` section as the JSON file holds it: the storable options of `train`, where any option
 * may be the string "Infinity" for ∞ (JSON has no infinite numbers).
 */
export type TrainConfigJson = { [K in keyof StoredTrainOptions]?: StoredTrainOptions[K] | "Infinity" };

/** The `train` section: the JSON-storable options of `train`, checked by the API's schema (typed by it, not `unknown`). */
const trainOptions = v.pipe(
  v.custom<TrainConfigJson>(() => true), // the input type only: the API's schema below checks every key
  v.transform((x: TrainConfigJson): unknown => infinityStrings(x)),
  StoredTrainOptionsSchema,
);

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
  const r = v.safeParse(ConfigSchema, json, { message: NO_MESSAGE });
  if (r.success) return r.output;
  throw new UsageError(`${source}: ${describeIssue(r.issues[0])}`);
}

/** The message of issues whose schema has none of its own: empty, so describeIssue uses `expected`. */
const NO_MESSAGE = (): string => "";

/** "field.path: what was expected (got …)" for one valibot issue. */
function describeIssue(issue: v.BaseIssue<unknown>): string {
  const keys = issue.path?.map((p) => p.key as string | number) ?? [];
  const path = keys.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
  // clipped: a key of a million characters still makes a one-line message
  const where = keys.length === 0 ? "(top level)" : path.length > 80 ? `${path.slice(0, 80)}…` : path;
  if (keys[0] === "train") {
    // the API's train schema: its issues read as the API's option errors do
    const p = optionProblem(issue);
    return p.unknownKey === undefined ? `${where}: ${p.text}` : `${where}: unknown field ${show(p.unknownKey)}; ${p.text}`;
  }
  if (issue.expected === "never" && issue.type === "strict_object") {
    return `${where}: unknown field ${show(keys[keys.length - 1])}${fieldHint(keys.slice(0, -1).join("."))}`;
  }
  const custom = issue.message;
  if (issue.received === "undefined" && issue.kind === "schema") return `${where}: missing required field${custom ? ` (${custom})` : ""}`;
  if (custom) return `${where}: ${custom}, got ${issue.received}`;
  return `${where}: expected ${issue.expected ?? "something else"}, got ${issue.received}`;
}

/** Lists the allowed names when an unknown key sits in a known object. */
function fieldHint(parent: string): string {
  const known: Record<string, readonly string[]> = {
    "": Object.keys(ConfigSchema.entries),
    student: Object.keys(student.entries),
  };
  const k = known[parent];
  return k ? `; expected one of ${k.join(", ")}` : "";
}
