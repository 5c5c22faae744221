import * as v from "../vendor/valibot.js";
import { closestName } from "./closest.js";

// Building blocks of the option schemas. Every leaf schema's message is what it expects ("a number
// ≥ 0"); parseOptions (parse.ts) turns a failed check into "option: expected …, got …".

/** Compile-time check: `A` and `B` have the same keys (else the type is `never` and the assignment fails). */
export type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;

/** A number for which `ok` holds; `expected` describes such numbers. */
export function num(expected: string, ok: (x: number) => boolean = () => true) {
  return v.custom<number>((x) => typeof x === "number" && ok(x), expected);
}

/** A number > 0 (Infinity allowed). */
export const positive = num("a number > 0", (x) => x > 0);
/** A finite number > 0. */
export const positiveFinite = num("a finite number > 0", (x) => x > 0 && x < Infinity);
/** A number ≥ 0 (Infinity allowed). */
export const nonNegative = num("a number ≥ 0", (x) => x >= 0);
/** A finite number. */
export const finite = num("a finite number", Number.isFinite);
/** An integer ≥ 0, or Infinity (no limit). */
export const count = num("an integer ≥ 0 (or Infinity)", (x) => x === Infinity || (Number.isInteger(x) && x >= 0));
/** A finite integer ≥ 0. */
export const index = num("an integer ≥ 0", (x) => Number.isInteger(x) && x >= 0);
/** A finite integer ≥ 1. */
export const positiveInt = num("an integer ≥ 1", (x) => Number.isInteger(x) && x >= 1);
/** A finite integer (a seed). */
export const integer = num("an integer", Number.isInteger);
/** true or false. */
export const bool = v.custom<boolean>((x) => typeof x === "boolean", "true or false");
/** A file path: a non-empty string without NUL characters (which no file system accepts). */
export const filePath = v.custom<string>(
  (x) => typeof x === "string" && x !== "" && !x.includes("\0"),
  "a file path (a non-empty string without NUL characters)",
);
/** A non-empty string. */
export const nonEmptyString = v.custom<string>((x) => typeof x === "string" && x !== "", "a non-empty string");
/** A function (a callback). */
export function fn<F extends (...args: never[]) => unknown>(expected = "a function") {
  return v.custom<F>((x) => typeof x === "function", expected);
}

/**
 * An `AbortSignal`, or an object with an `aborted` property standing in for one (`train` only reads
 * `aborted`; the property is not read here, as a stand-in's getter may count the reads).
 */
export const abortSignal = v.custom<AbortSignal>(
  (x) => (typeof AbortSignal !== "undefined" && x instanceof AbortSignal) || (!!x && typeof x === "object" && "aborted" in x),
  "an AbortSignal",
);

/** One of the strings `names`; a near miss names the closest one. */
export function oneOf<const T extends string>(names: readonly T[], what = "one of") {
  const list = names.map((n) => JSON.stringify(n)).join(", ");
  return v.custom<T>(
    (x) => typeof x === "string" && (names as readonly string[]).includes(x),
    (issue) => {
      const near = typeof issue.input === "string" ? closestName(issue.input, names) : null;
      return `${what} ${list}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ""}`;
    },
  );
}

/** True for a plain array or a (non-BigInt) typed array. */
function isArrayLikeNumbers(x: unknown): x is ArrayLike<number> {
  return (
    Array.isArray(x) ||
    (ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array))
  );
}

/**
 * An array or typed array of numbers for which `ok` holds (every entry is checked; the length is the
 * caller's business, as it depends on the network). `expected` describes it.
 */
export function vector(expected: string, ok: (x: number) => boolean = Number.isFinite) {
  return v.custom<ArrayLike<number>>((x) => {
    if (!isArrayLikeNumbers(x)) return false;
    for (let i = 0; i < x.length; i++) if (typeof x[i] !== "number" || !ok(x[i])) return false;
    return true;
  }, expected);
}

/**
 * An object with exactly these entries (a key not among them is an error naming the closest valid
 * key). Wrap it in {@link optionsObject} at the top level.
 */
export function strict<const E extends v.ObjectEntries>(entries: E) {
  const keys = Object.keys(entries);
  return v.strictObject(entries, (issue) => {
    if (issue.expected === "never") {
      const near = typeof issue.input === "string" ? closestName(issue.input, keys) : null;
      return `${near ? `did you mean ${JSON.stringify(near)}? ` : ""}(expected one of ${keys.join(", ")})`;
    }
    return issue.input === undefined && issue.path ? "required" : "an object";
  });
}
