import { MLPGFError } from "../errors.js";
import type { TrainResult } from "../train/result.js";
import { requireNode, writeFileAtomic } from "./atomic.js";
import { resultFromJSON, resultToJSON } from "./json.js";
import { resultFromNpz, resultToNpz } from "./npz.js";

/** Result file formats. */
export type ResultFormat = "json" | "npz";

/** Options of {@link saveResult}. */
export interface SaveResultOptions {
  /** File format; default from the extension of `path` (`.json` or `.npz`). */
  format?: ResultFormat;
}

/** The format named by `format`, else by the extension of `path`. */
function formatOf(path: string, format: unknown, where: string): ResultFormat {
  if (format !== undefined) {
    if (format === "json" || format === "npz") return format;
    throw new MLPGFError("VALUE", `${where}: format must be "json" or "npz", got ${JSON.stringify(format)}`);
  }
  const ext = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
  if (ext === "json" || ext === "npz") return ext;
  throw new MLPGFError("VALUE", `${where}: cannot tell the format of ${JSON.stringify(path)}: use a .json or .npz extension or give { format: "json" | "npz" }`);
}

/**
 * Saves a training result to a file (Node only), atomically: a crash or kill mid-write leaves the
 * previous file intact. JSON ({@link resultToJSON}) is lossless for JS readers; `.npz`
 * ({@link resultToNpz}) opens with `numpy.load`.
 *
 * @example
 * ```ts
 * await saveResult("run.npz", result);            // format from the extension
 * await saveResult("run.out", result, { format: "json" });
 * ```
 */
export async function saveResult(path: string, result: TrainResult, opts: SaveResultOptions = {}): Promise<void> {
  if (typeof path !== "string" || path === "") throw new MLPGFError("VALUE", `saveResult: path must be a non-empty string, got ${JSON.stringify(path)}`);
  if (!result || typeof result !== "object" || !(result.x instanceof Float64Array)) throw new MLPGFError("VALUE", "saveResult: expected a TrainResult (with a Float64Array x)");
  const format = formatOf(path, opts?.format, "saveResult");
  requireNode("saveResult");
  await writeFileAtomic(path, format === "json" ? resultToJSON(result) : await resultToNpz(result));
}

/**
 * Loads a result saved by {@link saveResult} (or an `.npz` written by numpy with the same entries);
 * the format comes from the extension, else from the content (zip or JSON). Node only.
 */
export async function loadResult(path: string): Promise<TrainResult> {
  if (typeof path !== "string" || path === "") throw new MLPGFError("VALUE", `loadResult: path must be a non-empty string, got ${JSON.stringify(path)}`);
  requireNode("loadResult");
  const { readFile } = await import("node:fs/promises");
  const bytes = new Uint8Array(await readFile(path));
  let format: ResultFormat;
  try {
    format = formatOf(path, undefined, "loadResult");
  } catch {
    format = bytes[0] === 0x50 && bytes[1] === 0x4b ? "npz" : "json"; // "PK": a zip
  }
  return format === "npz" ? resultFromNpz(bytes) : resultFromJSON(new TextDecoder().decode(bytes));
}
