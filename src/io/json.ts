import { MLPGFError } from "../errors.js";
import { show } from "../util/show.js";
import type { TrainResult } from "../train/result.js";
import { asTrainResult, checkResultArgument } from "./resultcheck.js";
import { currentResult } from "./resultversion.js";
import { type Json, decodeTagged, encodeTagged } from "./tagged.js";

/** Format marker of result files (JSON, and `meta.json` inside `.npz`). */
export const RESULT_FORMAT = "mlp-gradient-flow/result";
/**
 * Version of the result file layout; readers accept versions ≤ this one. 2: stop kinds (`odeStop`,
 * `optimStop`) and evaluation counts; version 1 files are read with kinds derived from their stop strings.
 */
export const RESULT_VERSION = 2;

/** Longest JSON text read, in bytes: the text must fit in one JS string (V8: 2²⁹ − 24 UTF-16 units). */
export const MAX_JSON_BYTES = 2 ** 29 - 24;

/**
 * A training result as JSON text, losslessly: `{ "format": "mlp-gradient-flow/result", "version": 2,
 * "result": … }` where every Float64Array is `{ "$f64": [...] }` and NaN, ±Infinity and −0 are tagged
 * strings (JSON has no literals for them); finite numbers print in the shortest form that reads back to
 * the same float64. Unknown extra fields of the result are kept. Works in browsers.
 *
 * @example
 * ```ts
 * const text = resultToJSON(result);
 * const back = resultFromJSON(text); // back.x is a Float64Array bitwise equal to result.x
 * ```
 */
export function resultToJSON(result: TrainResult): string {
  checkResultArgument(result, "resultToJSON");
  const doc = { format: RESULT_FORMAT, version: RESULT_VERSION, result: encodeTagged(result) };
  try {
    return JSON.stringify(doc);
  } catch (e) {
    // a RangeError: the text would exceed the longest string the JS engine can hold (≈ 512 MiB)
    throw new MLPGFError("MEMORY", "resultToJSON: the result is too large for one JSON text; save it as .npz", { cause: e });
  }
}

/**
 * Reads {@link resultToJSON}'s text back into a {@link TrainResult} (Float64Arrays, NaN and ±Infinity
 * restored; keys "__proto__" dropped). @throws MLPGFError `FORMAT` if the text is not JSON, not a result
 * file, of a newer version, nested deeper than 64 levels, or misses the result's vectors.
 */
export function resultFromJSON(text: string): TrainResult {
  if (typeof text !== "string")
    throw new MLPGFError("VALUE", `resultFromJSON: expected the text of a result file (a string), got ${show(text)}`);
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (e) {
    throw new MLPGFError("FORMAT", `resultFromJSON: not valid JSON (${(e as Error).message})`);
  }
  const body = checkEnvelope(doc, "resultFromJSON");
  return currentResult(
    asTrainResult(decodeTagged(body.result ?? null, "result"), "resultFromJSON"),
    body.version as number,
    "resultFromJSON",
  );
}

/** Checks the format marker and version of a parsed result document; returns it as an object. */
export function checkEnvelope(doc: Json, where: string): { [key: string]: Json } {
  if (!doc || typeof doc !== "object" || Array.isArray(doc) || doc.format !== RESULT_FORMAT) {
    throw new MLPGFError("FORMAT", `${where}: not a result file (expected "format": "${RESULT_FORMAT}")`);
  }
  const v = doc.version;
  if (typeof v !== "number" || !(v >= 1 && v <= RESULT_VERSION)) {
    throw new MLPGFError(
      "FORMAT",
      `${where}: result file version ${show(v)} is not supported (this reader knows versions 1..${RESULT_VERSION})`,
    );
  }
  return doc;
}
