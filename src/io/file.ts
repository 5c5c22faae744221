import { MLPGFError } from "../errors.js";
import { type ResultFormat, type SaveResultOptions, SaveResultOptionsSchema } from "../options/saveresult.js";
import { parseOptions } from "../options/parse.js";
import { show } from "../util/show.js";
import type { TrainResult } from "../train/result.js";
import { requireNode, writeFileAtomic } from "./atomic.js";
import { MAX_JSON_BYTES, resultFromJSON, resultToJSON } from "./json.js";
import { ioReason, readRegularFile } from "./readfile.js";
import { MAX_UNZIPPED_BYTES } from "./unzip.js";
import { resultFromNpz, resultToNpz } from "./npz.js";

export type { ResultFormat, SaveResultOptions } from "../options/saveresult.js";

/** The format named by `format`, else by the extension of `path`. */
function formatOf(path: string, format: ResultFormat | undefined, where: string): ResultFormat {
  if (format !== undefined) return format;
  const ext = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
  if (ext === "json" || ext === "npz") return ext;
  throw new MLPGFError(
    "VALUE",
    `${where}: cannot tell the format of ${show(path)}: use a .json or .npz extension or give { format: "json" | "npz" }`,
  );
}

/**
 * Saves a training result to a file (Node only), atomically: a crash or kill mid-write leaves the
 * previous file intact. JSON ({@link resultToJSON}) is lossless for JS readers; `.npz`
 * ({@link resultToNpz}) opens with `numpy.load`.
 * @throws MLPGFError `VALUE` for a bad argument, `IO` (with the file system's error as `cause`) if
 * the file cannot be written.
 *
 * @example
 * ```ts
 * await saveResult("run.npz", result);            // format from the extension
 * await saveResult("run.out", result, { format: "json" });
 * ```
 */
export async function saveResult(path: string, result: TrainResult, opts: SaveResultOptions = {}): Promise<void> {
  if (typeof path !== "string" || path === "")
    throw new MLPGFError("VALUE", `saveResult: path must be a non-empty string, got ${show(path)}`);
  if (!result || typeof result !== "object" || !(result.x instanceof Float64Array))
    throw new MLPGFError("VALUE", "saveResult: expected a TrainResult (with a Float64Array x)");
  const format = formatOf(path, parseOptions(SaveResultOptionsSchema, opts, "saveResult").format, "saveResult");
  requireNode("saveResult");
  const data = format === "json" ? resultToJSON(result) : await resultToNpz(result);
  try {
    await writeFileAtomic(path, data);
  } catch (e) {
    throw new MLPGFError("IO", `saveResult: cannot write ${show(path)} (${ioReason(e)})`, { cause: e });
  }
}

/**
 * Loads a result saved by {@link saveResult} (or an `.npz` written by numpy with the same entries);
 * the format comes from the extension, else from the content (zip or JSON). Node only.
 * @throws MLPGFError `IO` (with the file system's error as `cause`) if the file cannot be read,
 * `FORMAT` if its content is not a valid result file.
 */
export async function loadResult(path: string): Promise<TrainResult> {
  if (typeof path !== "string" || path === "")
    throw new MLPGFError("VALUE", `loadResult: path must be a non-empty string, got ${show(path)}`);
  requireNode("loadResult");
  const ext = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
  // a FIFO, a device or a directory is refused before reading; so is a file larger than any result
  const bytes = await readRegularFile(path, ext === "json" ? MAX_JSON_BYTES : MAX_NPZ_BYTES, "loadResult");
  let format: ResultFormat;
  try {
    format = formatOf(path, undefined, "loadResult");
  } catch {
    format = bytes[0] === 0x50 && bytes[1] === 0x4b ? "npz" : "json"; // "PK": a zip
  }
  if (format === "npz") return resultFromNpz(bytes);
  if (bytes.length > MAX_JSON_BYTES)
    throw new MLPGFError(
      "FORMAT",
      `loadResult: ${show(path)} has ${bytes.length} bytes, more than a JSON result can have (${MAX_JSON_BYTES}); large results are saved as .npz`,
    );
  return resultFromJSON(new TextDecoder().decode(bytes));
}

/** Largest .npz result file read (its entries may decompress to at most MAX_UNZIPPED_BYTES in all). */
const MAX_NPZ_BYTES = MAX_UNZIPPED_BYTES;
