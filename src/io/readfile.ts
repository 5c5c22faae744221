import { MLPGFError } from "../errors.js";
import { show } from "../util/show.js";

// Reading a whole file that the caller names (a result, a checkpoint, a config or data file) without
// trusting what the name points to: a FIFO would block the read forever, /dev/zero or /dev/urandom
// would fill the memory, a directory fails late with EISDIR. The file is opened without blocking
// (O_NONBLOCK: a FIFO opens at once), the open handle is checked to be a regular file of at most
// `maxBytes`, and only then read — the checks and the read see the same file even if the name is
// replaced meanwhile.

/** The file system's reason for an error: its code (ENOENT, EISDIR, EACCES, …) and message. */
export function ioReason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return `${typeof code === "string" ? `${code}: ` : ""}${e instanceof Error ? e.message : String(e)}`;
}

/**
 * The bytes of the regular file `path` (Node only).
 * @throws MLPGFError `IO` (with the file system's error as `cause`) if it cannot be opened or read or
 * is not a regular file (a directory, a FIFO, a device), `FORMAT` if it has more than `maxBytes` bytes.
 *
 * @param what - who reads it and what the file is, for messages (`"loadResult"`).
 */
export async function readRegularFile(path: string, maxBytes: number, what: string): Promise<Uint8Array> {
  const fs = process.getBuiltinModule("node:fs/promises");
  const { constants } = process.getBuiltinModule("node:fs");
  let handle: Awaited<ReturnType<typeof fs.open>> | null = null;
  try {
    handle = await fs.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    checkStat(await handle.stat(), path, maxBytes, what);
    return new Uint8Array(await handle.readFile());
  } catch (e) {
    if (e instanceof MLPGFError) throw e;
    throw new MLPGFError("IO", `${what}: cannot read ${show(path)} (${ioReason(e)})`, { cause: e });
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The synchronous form of {@link readRegularFile} (the command line's config and data files). */
export function readRegularFileSync(path: string, maxBytes: number, what: string): Uint8Array {
  const fs = process.getBuiltinModule("node:fs");
  let fd = -1;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    checkStat(fs.fstatSync(fd), path, maxBytes, what);
    return new Uint8Array(fs.readFileSync(fd));
  } catch (e) {
    if (e instanceof MLPGFError) throw e;
    throw new MLPGFError("IO", `${what}: cannot read ${show(path)} (${ioReason(e)})`, { cause: e });
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}

/**
 * Why a read of {@link readRegularFile} failed, in a few words: the file system's code (ENOENT,
 * EACCES, …) when it gave one, else the error's message ("… is a directory", "… has N bytes, …").
 */
export function readFailure(e: unknown): string {
  const code = ((e as { cause?: { code?: unknown } } | null)?.cause as { code?: unknown } | undefined)?.code;
  if (typeof code === "string") return code;
  return e instanceof Error ? e.message : String(e);
}

function checkStat(s: { isFile(): boolean; isDirectory(): boolean; size: number }, path: string, maxBytes: number, what: string): void {
  if (s.isDirectory()) {
    // the error reading it would have raised, as the cause (IO errors carry the file system's error)
    const cause = Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${path}'`), { code: "EISDIR" });
    throw new MLPGFError("IO", `${what}: ${show(path)} is a directory`, { cause });
  }
  if (!s.isFile()) throw new MLPGFError("IO", `${what}: ${show(path)} is not a regular file (a FIFO, socket or device)`);
  if (s.size > maxBytes)
    throw new MLPGFError("FORMAT", `${what}: ${show(path)} has ${s.size} bytes, more than the ${maxBytes} such a file can have`);
}
