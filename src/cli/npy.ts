import { unzipSync } from "fflate";
import { MLPGFError } from "../errors.js";
import { type NpyArray, decodeNpy, decodeNpyEntries } from "../io/npy.js";
import { UsageError } from "./usererror.js";

/** `f()`, with the package's decoding errors as {@link UsageError}s. */
function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof MLPGFError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * Reads a NumPy .npy data file (any numeric dtype, byte order or memory order; the package's NPY
 * decoder). Errors become a {@link UsageError} naming `source`.
 */
export function parseNpy(bytes: Uint8Array, source: string): NpyArray {
  return asUsage(() => decodeNpy(bytes, source));
}

/** Reads every array of a .npz archive (a zip of .npy files, stored or deflated), by name without ".npy". */
export function parseNpz(bytes: Uint8Array, source: string): Map<string, NpyArray> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new UsageError(`${source}: not a readable .npz (zip) archive: ${(e as Error).message}`);
  }
  return asUsage(() => decodeNpyEntries(files, `${source}/`));
}
