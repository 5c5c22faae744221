// A value as short text for error messages, for any value a caller may pass: JSON.stringify throws on
// BigInt and cycles, prints NaN as null and undefined as nothing, and a template literal throws on a
// Symbol, so error messages built with them can turn a clear MLPGFError into a TypeError.

/** Longest text {@link show} returns (longer text is cut with "…"). */
const MAX_CHARS = 80;
/** Arrays and objects with more entries than this are described by their size only. */
const MAX_ENTRIES = 16;

/**
 * `v` as short readable text: numbers as JS prints them (NaN, Infinity, -0 kept), strings quoted,
 * small arrays and plain objects as JSON, anything else by its kind. Never throws.
 */
export function show(v: unknown): string {
  let s: string;
  try {
    s = text(v);
  } catch {
    s = "a value that cannot be printed"; // a Proxy whose traps throw, …
  }
  return s.length > MAX_CHARS ? `${s.slice(0, MAX_CHARS)}…` : s;
}

function text(v: unknown): string {
  switch (typeof v) {
    case "number":
      return Object.is(v, -0) ? "-0" : String(v);
    case "bigint":
      return `${String(v)}n`;
    case "string":
      return JSON.stringify(v.length > MAX_CHARS ? v.slice(0, MAX_CHARS) : v);
    case "symbol":
      return v.toString();
    case "function":
      return "a function";
    case "undefined":
      return "undefined";
    case "boolean":
      return String(v);
  }
  if (v === null) return "null";
  if (Array.isArray(v)) return v.length > MAX_ENTRIES ? `an array of length ${v.length}` : json(v, `an array of length ${v.length}`);
  if (ArrayBuffer.isView(v)) return `a ${v.constructor?.name ?? "typed array"}`;
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return "an object";
  let keys: number;
  try {
    keys = Object.keys(v as object).length;
  } catch {
    return "an object";
  }
  return keys > MAX_ENTRIES ? `an object with ${keys} keys` : json(v, "an object");
}

/** JSON of `v` (BigInt as `1n`, NaN/±Infinity as JS prints them), or `fallback` when it cannot be written. */
function json(v: unknown, fallback: string): string {
  try {
    return (
      JSON.stringify(v, (_k, x: unknown) =>
        typeof x === "bigint"
          ? `${String(x)}n`
          : typeof x === "number" && !Number.isFinite(x)
            ? String(x)
            : typeof x === "symbol"
              ? x.toString()
              : x,
      ) ?? fallback
    );
  } catch {
    return fallback;
  }
}
