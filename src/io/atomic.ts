import { MLPGFError } from "../errors.js";

/** Throws a clear `VALUE` error outside Node (no file system there). */
export function requireNode(where: string): void {
  if (typeof process === "undefined" || !process.versions?.node) {
    throw new MLPGFError(
      "VALUE",
      `${where} needs Node's file system; in a browser use resultToJSON / resultToNpz (and resultFromJSON / resultFromNpz) on text or bytes`,
    );
  }
}

/**
 * Checks, before a long run, that {@link writeFileAtomic} will be able to write `path` (Node only): its
 * folder exists and is writable. @throws MLPGFError `IO` (with the file system's error as `cause`).
 *
 * @param what - what the file is, for the message (`"train: checkpoint.path"`).
 */
export async function checkWritable(path: string, what: string): Promise<void> {
  requireNode(what);
  const fs = await import("node:fs/promises");
  const { dirname } = await import("node:path");
  const dir = dirname(path);
  try {
    const s = await fs.stat(dir);
    if (!s.isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: "ENOTDIR" });
    await fs.access(dir, fs.constants.W_OK);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new MLPGFError(
      "IO",
      `${what}: cannot write ${JSON.stringify(path)}: ${typeof code === "string" ? code : "error"} for the folder ${JSON.stringify(dir)}`,
      { cause: e },
    );
  }
}

/**
 * Writes `data` to `path` atomically (Node only): into a new temporary file in the same directory,
 * flushed to disk (fsync), then renamed over `path`, so a crash or kill leaves either the old file or
 * the complete new one. On error the temporary file is removed and the error rethrown.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  requireNode("writing a file");
  const fs = await import("node:fs/promises");
  const { dirname, basename, join } = await import("node:path");
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  let handle: Awaited<ReturnType<typeof fs.open>> | null = null;
  try {
    handle = await fs.open(tmp, "wx");
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = null;
    await fs.rename(tmp, path);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  // make the rename itself durable where directories can be opened (not on Windows)
  const d = await fs.open(dir, "r").catch(() => null);
  await d?.sync().catch(() => undefined);
  await d?.close();
}
