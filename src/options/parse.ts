import { MLPGFError } from "../errors.js";
import { show } from "../util/show.js";
import { ownOptions } from "./snapshot.js";
import * as v from "../vendor/valibot.js";

/** A failed option check in words: where (a dotted path, "" for the options object itself) and what. */
export interface OptionProblem {
  /** Dotted path of the offending key (`"alg.adam.beta"`, `"tauinv[3]"`), "" for the object itself. */
  path: string;
  /** The key itself when it is unknown (else undefined). */
  unknownKey?: string;
  /** "did you mean …? (expected one of …)" for an unknown key; "expected …, got …" otherwise; "required" for a missing key. */
  text: string;
}

/** The first issue of a failed parse as an {@link OptionProblem}. */
export function optionProblem(issue: v.BaseIssue<unknown>): OptionProblem {
  const keys = issue.path?.map((p) => p.key as string | number) ?? [];
  const path = keys.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
  if (issue.type === "strict_object" && issue.expected === "never")
    return { path, unknownKey: String(keys[keys.length - 1]), text: issue.message };
  if (issue.type === "strict_object" && issue.input === undefined && keys.length > 0) return { path, text: "required" };
  return { path, text: `expected ${issue.message}, got ${show(issue.input)}` };
}

/**
 * Checks an options object against its schema and returns the checked copy (`undefined` stands for
 * `{}`: all defaults). @throws MLPGFError `OPTION` naming the first offending key: an unknown key
 * with the closest valid name, or a value of the wrong type or range with what was expected and what
 * was given; `null` or a non-object is an error too. Only the object's own enumerable string keys are
 * options, each read once (see {@link ownOptions}): a getter that throws is an OPTION error naming it.
 *
 * @param who - the function, for the message (`"train"`).
 */
export function parseOptions<const S extends v.GenericSchema>(schema: S, input: unknown, who: string): v.InferOutput<S> {
  if (input === null || typeof input !== "object" || Array.isArray(input) || ArrayBuffer.isView(input)) {
    if (input !== undefined)
      throw new MLPGFError("OPTION", `${who}: ${optionMessage({ path: "", text: `expected an object, got ${show(input)}` })}`);
  }
  const own = ownOptions(input, who);
  let r: v.SafeParseResult<S>;
  try {
    r = v.safeParse(schema, own, { abortEarly: true });
  } catch (e) {
    // a nested value whose reads throw (a Proxy array, a getter inside an array): not a stray exception
    throw new MLPGFError("OPTION", `${who}: options: a value could not be read (${e instanceof Error ? e.message : show(e)})`, {
      cause: e,
    });
  }
  if (r.success) return r.output;
  throw new MLPGFError("OPTION", `${who}: ${optionMessage(optionProblem(r.issues[0]))}`);
}

/** Longest option path printed in full. */
const MAX_PATH = 80;

/** The message of an {@link OptionProblem} as the API words it. */
export function optionMessage(p: OptionProblem): string {
  // the path is clipped (show): a key of ten million characters makes a one-line message too
  if (p.unknownKey !== undefined) return `unknown option ${show(p.path)}; ${p.text}`;
  if (p.path === "") return `options: ${p.text}`;
  return `option ${p.path.length > MAX_PATH ? show(p.path) : p.path}: ${p.text}`;
}

/** An `OPTION` error about one key that the schema alone cannot check (it depends on the network or other options). */
export function optionError(who: string, path: string, text: string): MLPGFError {
  return new MLPGFError("OPTION", `${who}: ${optionMessage({ path, text })}`);
}
