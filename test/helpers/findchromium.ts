/**
 * Finds the Chromium that the real-browser tests (test/browser) drive, once per test run (called by
 * vitest.config.ts, which passes the answer to the test workers in `CHROMIUM_PATH` and
 * `CHROMIUM_LIBRARY_PATH`). In order:
 *
 * 1. `CHROMIUM_PATH` when it is set (a path that does not exist means "no browser": this is how the
 *    fallback is tested, e.g. `CHROMIUM_PATH=/nonexistent npm test`);
 * 2. the Chromium shipped inside the npm package `@sparticuz/chromium` (a devDependency; Linux x64):
 *    its brotli-compressed binary and the NSS/expat libraries it needs are unpacked once into
 *    `node_modules/.cache/mlp-gradient-flow/`, so a machine with nothing but Node runs the tests;
 * 3. Debian's `/usr/bin/chromium`.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { brotliDecompressSync } from "node:zlib";

/** A browser to launch, or why there is none. */
export type ChromiumLookup = { found: true; path: string; libraryPath?: string; source: string } | { found: false; reason: string };

/** Debian's Chromium, the last place looked at. */
const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/** Size of one tar header or data block. */
const TAR_BLOCK = 512;

/** Reads a NUL-terminated ASCII field of a tar header. */
function tarField(b: Buffer, start: number, length: number): string {
  const raw = b.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString("latin1");
}

/** Unpacks the regular files of an uncompressed (ustar) tar archive into `dir`. */
function untar(tar: Buffer, dir: string): void {
  for (let at = 0; at + TAR_BLOCK <= tar.length; ) {
    const header = tar.subarray(at, at + TAR_BLOCK);
    const name = tarField(header, 0, 100);
    if (name === "") break; // two zero blocks end the archive
    const size = parseInt(tarField(header, 124, 12).trim() || "0", 8);
    const type = tarField(header, 156, 1);
    const prefix = tarField(header, 345, 155);
    const data = at + TAR_BLOCK;
    if (type === "0" || type === "") {
      const file = join(dir, prefix ? `${prefix}/${name}` : name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, tar.subarray(data, data + size), { mode: 0o755 });
    }
    at = data + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
  }
}

/**
 * Unpacks `@sparticuz/chromium`'s binary and libraries into a folder named after its version
 * (built in a temporary folder, then renamed: a concurrent run never sees half a browser).
 */
function unpackPackagedChromium(root: string): ChromiumLookup {
  if (process.platform !== "linux" || process.arch !== "x64") {
    return { found: false, reason: `the packaged Chromium is for Linux x64, this is ${process.platform} ${process.arch}` };
  }
  const pkgJson = join(root, "node_modules", "@sparticuz", "chromium", "package.json");
  if (!existsSync(pkgJson)) return { found: false, reason: "@sparticuz/chromium is not installed (npm install)" };
  const { version } = JSON.parse(readFileSync(pkgJson, "utf8")) as { version: string };
  const bin = join(dirname(pkgJson), "bin");
  const dir = join(root, "node_modules", ".cache", "mlp-gradient-flow", `chromium-${version}`);
  const path = join(dir, "chromium");
  const libraryPath = join(dir, "lib");
  if (!existsSync(path)) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    writeFileSync(join(tmp, "chromium"), brotliDecompressSync(readFileSync(join(bin, "chromium.br"))), { mode: 0o755 });
    untar(brotliDecompressSync(readFileSync(join(bin, "al2023.tar.br"))), tmp); // lib/libnss3.so, … (no system NSS needed)
    try {
      renameSync(tmp, dir);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(path)) throw e; // else another run unpacked it first
    }
  }
  return { found: true, path, libraryPath, source: `@sparticuz/chromium ${version}` };
}

/** Looks for a Chromium as described in this file's header; `root` is the repository. */
export function findChromium(root: string, env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const given = env.CHROMIUM_PATH;
  if (given !== undefined && given !== "") {
    return existsSync(given)
      ? { found: true, path: given, libraryPath: env.CHROMIUM_LIBRARY_PATH || undefined, source: "CHROMIUM_PATH" }
      : { found: false, reason: `CHROMIUM_PATH=${given} does not exist` };
  }
  const packaged = unpackPackagedChromium(root);
  if (packaged.found) return packaged;
  if (existsSync(DEBIAN_CHROMIUM)) return { found: true, path: DEBIAN_CHROMIUM, source: "Debian's chromium" };
  return { found: false, reason: `${packaged.reason}, and ${DEBIAN_CHROMIUM} does not exist` };
}
