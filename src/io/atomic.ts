import { MLPGFError } from "../errors.js";

/** Throws a clear `VALUE` error outside Node (no file system there). */
export function requireNode(where: string): void {
  if (typeof process === "undefined" || !process.versions?.node) {
    throw new MLPGFError("VALUE", `${where} needs Node's file system; in a browser use resultToJSON / resultToNpz (and resultFromJSON / resultFromNpz) on text or bytes`);
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
