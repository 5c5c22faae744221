#!/usr/bin/env node
// Builds the package: AssemblyScript kernels (release, relaxed SIMD and debug) into dist/, then the TypeScript.
// `--if-stale` builds only when a source is newer than the last complete build (recorded in a stamp
// file under node_modules/.cache), so `npm ci` (prepare), `npm test` and `npm start` in a row build once.
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stamp = join(root, "node_modules", ".cache", "mlp-gradient-flow", "build-stamp");
/** What the build reads: a change to any of these makes dist stale. */
const SOURCES = [
  "assembly",
  "src",
  "scripts/gen-abi.mjs",
  "scripts/vendor-valibot.mjs",
  "asconfig.json",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];
/** What the build writes: all must exist. */
const OUTPUTS = [
  "dist/kernels.wasm",
  "dist/kernels.relaxed.wasm",
  "dist/kernels.debug.wasm",
  "dist/index.js",
  "dist/index.d.ts",
  "dist/cli/main.js",
];

/** Newest modification time (ms) of a file or of the files below a folder. */
function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs);
}

function stale() {
  if (!existsSync(stamp) || OUTPUTS.some((f) => !existsSync(join(root, f)))) return true;
  const built = statSync(stamp).mtimeMs;
  return SOURCES.some((f) => existsSync(join(root, f)) && newest(join(root, f)) > built);
}

if (process.argv.includes("--if-stale") && !stale()) {
  console.log("build: dist/ is up to date");
} else {
  const started = Date.now();
  execSync("npm run build:wasm && npm run build:ts", { cwd: root, stdio: "inherit" });
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, `${new Date(started).toISOString()}\n`);
  // The stamp's time is the build's start: a source saved during the build makes the next run rebuild.
  utimesSync(stamp, new Date(started), new Date(started));
}
