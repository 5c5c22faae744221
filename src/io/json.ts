import { MLPGFError } from "../errors.js";
import type { TrainResult } from "../train/result.js";
import { asTrainResult } from "./resultcheck.js";
import { type Json, decodeTagged, encodeTagged } from "./tagged.js";

/** Format marker of result files (JSON, and `meta.json` inside `.npz`). */
export const RESULT_FORMAT = "mlp-gradient-flow/result";
/** Version of the result file layout; readers accept versions ≤ this one. */
export const RESULT_VERSION = 1;

/**
 * A training result as JSON text, losslessly: `{ "format": "mlp-gradient-flow/result", "version": 1,
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
  return JSON.stringify({ format: RESULT_FORMAT, version: RESULT_VERSION, result: encodeTagged(result) });
}

/**
 * Reads {@link resultToJSON}'s text back into a {@link TrainResult} (Float64Arrays, NaN and ±Infinity
 * restored). @throws MLPGFError `VALUE` if the text is not JSON, not a result file, of a newer version, or
 * misses the result's vectors.
 */
export function resultFromJSON(text: string): TrainResult {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (e) {
    throw new MLPGFError("VALUE", `resultFromJSON: not valid JSON (${(e as Error).message})`);
  }
  const body = checkEnvelope(doc, "resultFromJSON");
  return asTrainResult(decodeTagged(body.result ?? null, "result"), "resultFromJSON");
}

/** Checks the format marker and version of a parsed result document; returns it as an object. */
export function checkEnvelope(doc: Json, where: string): { [key: string]: Json } {
  if (!doc || typeof doc !== "object" || Array.isArray(doc) || doc.format !== RESULT_FORMAT) {
    throw new MLPGFError("VALUE", `${where}: not a result file (expected "format": "${RESULT_FORMAT}")`);
  }
  const v = doc.version;
  if (typeof v !== "number" || !(v >= 1 && v <= RESULT_VERSION)) {
    throw new MLPGFError("VALUE", `${where}: result file version ${JSON.stringify(v)} is not supported (this reader knows versions 1..${RESULT_VERSION})`);
  }
  return doc;
}
