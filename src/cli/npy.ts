import { unzipSync } from "fflate";
import { MLPGFError } from "../errors.js";
import { type NpyArray, decodeNpy, decodeNpyEntries } from "../io/npy.js";
import { unzipEntries } from "../io/unzip.js";
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
  return asUsage(() => decodeNpyEntries(unzipEntries(unzipSync, bytes, source), `${source}/`));
}
