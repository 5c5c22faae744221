import type { UnzipOptions, Unzipped } from "fflate";
import { MLPGFError } from "../errors.js";

/**
 * Most bytes the entries of one archive may decompress to (2 GiB), judged from the sizes its
 * directory declares before anything is decompressed: a small "zip bomb" is refused instead of
 * exhausting memory.
 */
export const MAX_UNZIPPED_BYTES = 2 ** 31;

/** fflate's `unzipSync` (passed in: the result reader loads fflate lazily, the CLI statically). */
export type UnzipSync = (data: Uint8Array, opts?: UnzipOptions) => Unzipped;

/**
 * The entries of a zip archive by name. @throws MLPGFError `FORMAT` if the bytes are not a zip archive
 * or its entries declare more than {@link MAX_UNZIPPED_BYTES} in total. Entries are read back as own
 * properties of fflate's result only (an entry named "__proto__" is dropped: it cannot be one).
 */
export function unzipEntries(unzipSync: UnzipSync, bytes: Uint8Array, where: string): Map<string, Uint8Array> {
  let total = 0;
  const names: string[] = [];
  let files: Unzipped;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        total += f.originalSize;
        if (!(total <= MAX_UNZIPPED_BYTES)) {
          throw new MLPGFError(
            "FORMAT",
            `${where}: the archive's entries decompress to more than ${MAX_UNZIPPED_BYTES} bytes (${f.name}: ${f.originalSize} bytes)`,
          );
        }
        names.push(f.name);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof MLPGFError) throw e;
    throw new MLPGFError("FORMAT", `${where}: not a zip archive (${(e as Error).message})`, { cause: e });
  }
  const out = new Map<string, Uint8Array>();
  // fflate stores entries with plain assignments: read them back as own properties only
  for (const name of names) {
    if (Object.hasOwn(files, name)) out.set(name, files[name]);
  }
  return out;
}
