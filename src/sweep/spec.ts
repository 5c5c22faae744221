import { show } from "../util/show.js";
import { MLPGFError } from "../errors.js";

/** A grid value: anything JSON can hold (a number, a string, a layer spec, an `alg` object, …). */
export type GridValue = unknown;

/**
 * A sweep file: a `mlpgf train` config plus `grid`, a map from dotted paths into the config
 * (`"layers.0.0"`, `"student.seed"`, `"train.alg"`) to the list of values that path takes. The runs
 * are the Cartesian product of the lists (the first path varies slowest).
 */
export interface SweepSpec {
  /** `{ "<dotted path>": [value, …] }`; every list non-empty. */
  grid: Record<string, readonly GridValue[]>;
  /** Every other key is a field of the `mlpgf train` config. */
  [field: string]: unknown;
}

/** The base config and the grid of a sweep, split and checked for shape (not yet for content). */
export interface SplitSpec {
  /** The config without `grid` (a deep copy). */
  base: Record<string, unknown>;
  /** Grid paths in file order. */
  paths: string[];
  /** The value lists, in the order of `paths`. */
  values: GridValue[][];
}

/**
 * Splits a sweep spec into its base config and its grid, checking that the spec is an object and
 * the grid maps non-empty dotted paths to non-empty arrays. Throws `MLPGFError("OPTION")` naming the
 * offending key.
 */
export function splitSpec(spec: unknown): SplitSpec {
  try {
    return readSpec(spec);
  } catch (e) {
    if (e instanceof MLPGFError) throw e;
    // a getter or Proxy trap that throws, a value structuredClone cannot copy (a function, a Symbol)
    throw new MLPGFError("OPTION", `sweep: the spec could not be read as JSON-like data (${e instanceof Error ? e.message : show(e)})`, {
      cause: e,
    });
  }
}

function readSpec(spec: unknown): SplitSpec {
  if (!isPlainObject(spec))
    throw new MLPGFError("OPTION", `sweep: expected an object (a train config plus "grid"), got ${describeValue(spec)}`);
  const { grid, ...base } = spec as Record<string, unknown>;
  if (grid === undefined) throw new MLPGFError("OPTION", 'sweep: missing field "grid" (expected { "<dotted path>": [values, …] })');
  if (!isPlainObject(grid))
    throw new MLPGFError("OPTION", `sweep: grid: expected an object { "<dotted path>": [values, …] }, got ${describeValue(grid)}`);
  const paths = Object.keys(grid as Record<string, unknown>);
  const values: GridValue[][] = [];
  for (const p of paths) {
    if (!/^[^.]+(\.[^.]+)*$/.test(p))
      throw new MLPGFError("OPTION", `sweep: grid path ${JSON.stringify(p)}: expected dotted keys such as "student.seed" or "layers.0.0"`);
    const forbidden = p.split(".").find((k) => FORBIDDEN_KEYS.has(k));
    if (forbidden !== undefined)
      throw new MLPGFError(
        "OPTION",
        `sweep: grid path ${JSON.stringify(p)}: "${forbidden}" is not a config field (no path goes through it)`,
      );
    const list = (grid as Record<string, unknown>)[p];
    if (!Array.isArray(list) || list.length === 0)
      throw new MLPGFError("OPTION", `sweep: grid ${JSON.stringify(p)}: expected a non-empty array of values, got ${describeValue(list)}`);
    const bad = Array.from(list as unknown[]).findIndex((x) => !isJsonValue(x, 0));
    if (bad >= 0)
      throw new MLPGFError(
        "OPTION",
        `sweep: grid ${JSON.stringify(p)}: value ${bad} is ${describeValue(list[bad])}; grid values are JSON values (finite numbers, strings, booleans, null, arrays, objects; "Infinity" for ∞)`,
      );
    values.push(list.map((x) => structuredClone(x)));
  }
  const count = values.reduce((n, list) => n * list.length, 1);
  if (count > MAX_RUNS)
    throw new MLPGFError(
      "OPTION",
      `sweep: grid: ${paths.map((p, k) => `${values[k].length} (${p})`).join(" × ")} = ${count} runs, more than the ${MAX_RUNS} one sweep plans; split it into several sweeps`,
    );
  return { base: structuredClone(base), paths, values };
}

/**
 * Sets `value` at the dotted `path` of `target` (in place). Missing object fields on the way are
 * created; array entries must exist (no holes). Throws `MLPGFError("OPTION")` when the path runs
 * through a value that is neither an object nor an array, or past the end of an array.
 */
export function setPath(target: Record<string, unknown>, path: string, value: GridValue): void {
  const keys = path.split(".");
  let node: unknown = target;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const last = i === keys.length - 1;
    const here = keys.slice(0, i).join(".") || "(top level)";
    if (Array.isArray(node)) {
      const j = Number(k);
      if (!/^\d+$/.test(k) || j >= node.length)
        throw new MLPGFError(
          "OPTION",
          `sweep: grid path ${JSON.stringify(path)}: ${here} is an array of ${node.length} entries, so "${k}" must be an index 0…${node.length - 1}`,
        );
      if (last) node[j] = structuredClone(value);
      else node = node[j];
    } else if (isPlainObject(node)) {
      // own keys only, written as own data properties: a path "__proto__.x" or "constructor.prototype.x"
      // would otherwise write into Object.prototype (every object of the process)
      if (FORBIDDEN_KEYS.has(k))
        throw new MLPGFError("OPTION", `sweep: grid path ${JSON.stringify(path)}: "${k}" is not a config field (no path goes through it)`);
      const o = node as Record<string, unknown>;
      if (last) setOwn(o, k, structuredClone(value));
      else {
        if (!Object.hasOwn(o, k) || o[k] === undefined) setOwn(o, k, {});
        node = o[k];
      }
    } else {
      throw new MLPGFError("OPTION", `sweep: grid path ${JSON.stringify(path)}: ${here} is ${describeValue(node)}, not an object or array`);
    }
  }
}

/** Deepest nesting of a grid value. */
const MAX_JSON_DEPTH = 64;

/**
 * True for a value that JSON holds exactly (the sweep file, the run ids and `sweep.json` are JSON):
 * a NaN or ∞ would be written as null, a BigInt or a function cannot be written at all.
 */
function isJsonValue(v: unknown, depth: number): boolean {
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v);
  if (depth >= MAX_JSON_DEPTH || typeof v !== "object") return false;
  if (Array.isArray(v)) return Array.from(v).every((x) => isJsonValue(x, depth + 1));
  const proto = Object.getPrototypeOf(v);
  if (proto !== null && proto !== Object.prototype) return false;
  return Object.values(v).every((x) => isJsonValue(x, depth + 1));
}

/** Most runs one sweep plans (each is a config held in memory, and a file in the sweep's folder). */
export const MAX_RUNS = 1_000_000;

/** Keys that name an object's prototype machinery, never a config field. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** `o[k] = v` as an own data property (an assignment to "__proto__" would replace the prototype). */
function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isPlainObject(v)) {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, sortKeys(o[k])]),
    );
  }
  return v;
}

function isPlainObject(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return v.length === 0 ? "an empty array" : "an array";
  return typeof v === "object" ? "an object" : `${typeof v} ${show(v)}`;
}
