import { MLPGFError } from "../errors.js";
import { show } from "../util/show.js";

// An options object read once, as data. What the schemas then check is a copy holding the object's
// own enumerable string keys, each read exactly once: a getter runs once (and one that throws is an
// OPTION error naming its key, not a stray exception), an inherited property is not an option (an
// `Object.create({ maxtimeODE: 1 })` cannot smuggle a typo past the unknown-key check, nor an
// inherited `layers` stand in for a missing one), Symbol keys are ignored, and an object that is not a
// plain `{ … }` (a Map, a Date, a class instance) is refused instead of being read as `{}`.

/** Deepest nesting of plain objects copied (options nest two or three levels; deeper is left to the schema). */
const MAX_DEPTH = 8;

/**
 * True for a plain object: `{ … }`, `Object.create(null)`, or a plain object of another realm (a
 * `vm` context): its prototype is null or a prototype whose own prototype is null.
 */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object" || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * True for an object built from plain objects only: every object on its prototype chain is plain
 * (`Object.create({ layer: 0 })` is one; a Map, a URL or an AbortSignal is not).
 */
function isDataObject(x: unknown): boolean {
  if (x === null || typeof x !== "object" || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
  // an object with accessors is a live object, not data: a stand-in `signal: { get aborted() {…} }`
  // must be read on every poll, not once here
  for (const d of Object.values(Object.getOwnPropertyDescriptors(x))) if (d.get || d.set) return false;
  for (let p: unknown = Object.getPrototypeOf(x); p !== null; p = Object.getPrototypeOf(p)) {
    if (Object.getPrototypeOf(p) === null) break; // a realm's Object.prototype
    // a class's prototype (URL.prototype, Map.prototype) has its own `constructor`; a plain parent has none
    if (!isPlainObject(p) || Object.hasOwn(p as object, "constructor")) return false;
  }
  return true;
}

/**
 * A copy of the options object `input` (undefined → `{}`) with its own enumerable string keys, nested
 * objects made of plain objects and without accessors copied the same way (own keys only); other values (arrays, typed arrays, functions, signals) are kept
 * as they are for the schema to check. @throws MLPGFError `OPTION` for a value that is not a plain
 * object, and for a property whose read throws (a getter, a Proxy trap), with the thrown value as `cause`.
 *
 * @param who - the function, for the message (`"train"`).
 */
export function ownOptions(input: unknown, who: string): Record<string, unknown> {
  if (input === undefined) return {};
  let plain: boolean;
  try {
    plain = isPlainObject(input);
  } catch (e) {
    throw new MLPGFError("OPTION", `${who}: options: the object could not be inspected (${errorText(e)})`, { cause: e });
  }
  if (!plain) throw new MLPGFError("OPTION", `${who}: options: expected a plain object { … }, got ${kindOf(input)}`);
  return copyOwn(input as object, who, "", 0);
}

function copyOwn(o: object, who: string, path: string, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let keys: (string | symbol)[];
  try {
    keys = Reflect.ownKeys(o);
  } catch (e) {
    throw new MLPGFError("OPTION", `${who}: option ${path || "(the options object)"}: its keys could not be listed (${errorText(e)})`, {
      cause: e,
    });
  }
  for (const k of keys) {
    if (typeof k !== "string") continue;
    const where = path ? `${path}.${k}` : k;
    let value: unknown;
    try {
      if (!Object.getOwnPropertyDescriptor(o, k)?.enumerable) continue;
      value = (o as Record<string, unknown>)[k];
    } catch (e) {
      throw new MLPGFError("OPTION", `${who}: option ${where}: reading it threw (${errorText(e)})`, { cause: e });
    }
    let nested = false;
    try {
      nested = depth < MAX_DEPTH && isDataObject(value); // its inherited keys are not read either
    } catch (e) {
      throw new MLPGFError("OPTION", `${who}: option ${where}: the value could not be inspected (${errorText(e)})`, { cause: e });
    }
    // defineProperty, not assignment: a key "__proto__" stays an own key (and an unknown option)
    Object.defineProperty(out, k, {
      value: nested ? copyOwn(value as object, who, where, depth + 1) : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** "a Map", "a Date", "an Options", "an object inheriting from another" … for the message. */
function kindOf(x: unknown): string {
  if (x === null || typeof x !== "object") return show(x);
  try {
    const proto = Object.getPrototypeOf(x) as object | null;
    if (proto && isPlainObject(proto)) return "an object that inherits from another (options are the own keys of a plain object)";
    const name = (proto as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    if (typeof name === "string" && name !== "") return `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name}`;
  } catch {
    // a Proxy whose getPrototypeOf trap throws: described by show
  }
  return show(x);
}

/** The message of a thrown value, never throwing itself. */
function errorText(e: unknown): string {
  try {
    return e instanceof Error ? `${e.name}: ${e.message}` : show(e);
  } catch {
    return "an unprintable value";
  }
}
