import { MLPGFError } from "../errors.js";
import { show } from "../util/show.js";

// Lossless JSON for values that plain JSON cannot hold: Float64Array, NaN, ±Infinity and −0.
//   Float64Array      → { "$f64": [1.5, "NaN", "Infinity", "-Infinity", "-0", …] }
//   NaN, ±Infinity, −0 (outside a Float64Array) → { "$num": "NaN" | "Infinity" | "-Infinity" | "-0" }
//   an object with a key starting with "$"      → { "$obj": { …its entries… } } (no ambiguity)
// Finite numbers are written by JSON.stringify, whose shortest round-trip printing reads back bitwise.

/** A JSON value (what `JSON.parse` returns). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A number that JSON cannot write as a number literal, as its tag string; null for ordinary numbers. */
function special(v: number): string | null {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (v === 0 && 1 / v < 0) return "-0";
  return null;
}

const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity, "-0": -0 };

function unspecial(s: unknown, where: string): number {
  if (typeof s === "number") return s;
  if (typeof s === "string" && Object.hasOwn(SPECIAL, s)) return SPECIAL[s];
  throw new MLPGFError("FORMAT", `${where}: expected a number or "NaN"/"Infinity"/"-Infinity"/"-0", got ${show(s)}`);
}

/**
 * Deepest nesting of arrays and objects read or written (a result is 4 levels deep; a checkpoint 6):
 * deeper input is refused instead of overflowing the call stack (or looping on a cycle when writing).
 */
export const MAX_DEPTH = 64;

/**
 * Sets `o[k] = v` as an own data property. An assignment `o["__proto__"] = v` would replace the
 * prototype of `o`; a key "__proto__" read from a file is therefore dropped.
 */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__") return;
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/**
 * Encodes a value as plain JSON data (see the tags above). Functions and `undefined` entries are
 * dropped as `JSON.stringify` would; other typed arrays become plain number arrays.
 */
export function encodeTagged(v: unknown, depth = 0): Json {
  if (depth > MAX_DEPTH) throw new MLPGFError("VALUE", `a value nested deeper than ${MAX_DEPTH} levels (or a cycle) cannot be written`);
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") {
    const s = special(v);
    return s === null ? v : { $num: s };
  }
  if (v instanceof Float64Array) return { $f64: Array.from(v, (a) => special(a) ?? a) };
  if (ArrayBuffer.isView(v) && !(v instanceof DataView))
    return Array.from(v as unknown as ArrayLike<number>, (a) => encodeTagged(Number(a)));
  if (Array.isArray(v))
    return Array.from(v as unknown[], (a) => (a === undefined || typeof a === "function" ? null : encodeTagged(a, depth + 1)));
  if (typeof v === "object") {
    const out: { [key: string]: Json } = {};
    let dollar = false;
    for (const [k, a] of Object.entries(v)) {
      if (a === undefined || typeof a === "function" || typeof a === "symbol") continue;
      if (k.startsWith("$")) dollar = true;
      setOwn(out, k, encodeTagged(a, depth + 1));
    }
    return dollar ? { $obj: out } : out;
  }
  if (typeof v === "bigint") return Number(v);
  return null;
}

/**
 * Decodes what {@link encodeTagged} wrote. Objects are built key by key as own properties (a key
 * "__proto__" is dropped: it cannot replace a prototype); nesting deeper than {@link MAX_DEPTH} is
 * `FORMAT`, as are malformed tags.
 */
export function decodeTagged(v: Json, where = "value", depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new MLPGFError("FORMAT", `${where}: nested deeper than ${MAX_DEPTH} levels`);
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return Array.from(v, (a, i) => decodeTagged(a, `${where}[${i}]`, depth + 1));
  const keys = Object.keys(v);
  if (keys.length === 1) {
    const k = keys[0];
    if (k === "$f64") {
      const a = v.$f64;
      if (!Array.isArray(a)) throw new MLPGFError("FORMAT", `${where}: "$f64" must hold an array`);
      return Float64Array.from(a, (s, i) => unspecial(s, `${where}[${i}]`));
    }
    if (k === "$num") return unspecial(v.$num, where);
    if (k === "$obj") return decodeObject(v.$obj, where, depth);
  }
  return decodeObject(v, where, depth);
}

function decodeObject(v: Json, where: string, depth: number): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new MLPGFError("FORMAT", `${where}: "$obj" must hold an object`);
  const out: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(v)) setOwn(out, k, decodeTagged(a, `${where}.${k}`, depth + 1));
  return out;
}
