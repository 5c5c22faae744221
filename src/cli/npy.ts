import { unzipSync } from "fflate";
import { MLPGFError } from "../errors.js";
import { decodeNpy } from "../io/npy.js";
import { UsageError } from "./usererror.js";

/** A numeric array read from a .npy file: its shape and its values in row-major (C) order as float64. */
export interface NpyArray {
  shape: number[];
  data: Float64Array;
}

/**
 * Reads a NumPy .npy data file (any numeric dtype, byte order or memory order; the package's NPY
 * decoder). Errors become a {@link UsageError} naming `source`.
 */
export function parseNpy(bytes: Uint8Array, source: string): NpyArray {
  try {
    const a = decodeNpy(bytes, source);
    return { shape: a.shape, data: a.values };
  } catch (e) {
    if (e instanceof MLPGFError) throw new UsageError(e.message);
    throw e;
  }
}

/** Reads every array of a .npz archive (a zip of .npy files, stored or deflated), by name without ".npy". */
export function parseNpz(bytes: Uint8Array, source: string): Map<string, NpyArray> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new UsageError(`${source}: not a readable .npz (zip) archive: ${(e as Error).message}`);
  }
  const out = new Map<string, NpyArray>();
  for (const [name, content] of Object.entries(files)) {
    if (name.endsWith(".npy")) out.set(name.slice(0, -4), parseNpy(content, `${source}/${name}`));
  }
  return out;
}
