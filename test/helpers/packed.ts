/**
 * The package as a user gets it: `npm pack` of the built repository, installed into a clean scratch
 * project (test-output/package/<hash>/project). Packed and installed once per content of the package
 * (hash of the files that go into the tarball), shared by every test file that asks for it, also
 * across vitest's worker processes (a lock folder; the others wait for the `ready` file).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** The repository root. */
export const REPO = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
/** The npm client of this Node (npm-cli.js next to it), run with `process.execPath`. */
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** What goes into the tarball (package.json "files" plus package.json) and so decides the hash. */
const PACKED = ["package.json", "README.md", "LICENSE", "CHANGELOG.md", "bin", "dist", "examples"];
/** How long a waiting test file waits for another one's install before it fails. */
const WAIT_MS = 300_000;
const POLL_MS = 250;

function filesBelow(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesBelow(join(path, name)));
}

/** Hash of the packed files' names and contents (the debug kernels, not packed, left out). */
function packageHash(): string {
  const h = createHash("sha256");
  for (const file of PACKED.flatMap((p) => filesBelow(join(REPO, p))).sort()) {
    const rel = relative(REPO, file);
    if (rel.startsWith("dist/kernels.debug.") || rel.startsWith("examples/browser/") || rel.startsWith("examples/plain/")) continue;
    h.update(rel).update("\0").update(readFileSync(file)).update("\0");
  }
  return h.digest("hex").slice(0, 16);
}

function npm(args: string[], cwd: string): string {
  return execFileSync(NPM, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Packs the repository and installs the tarball into `project` (a new, empty npm project). */
function packAndInstall(root: string, project: string): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(project, { recursive: true });
  // --ignore-scripts: test what `npm test` built, without `prepare` rebuilding under the tests' feet.
  const out = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", root, REPO], root)) as { filename: string }[];
  const tarball = join(root, out[0]!.filename);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "scratch", version: "1.0.0", private: true }, null, 2));
  const install = ["install", "--no-audit", "--no-fund", "--no-save", tarball];
  try {
    // The runtime dependencies are in npm's cache after the repository's own `npm ci`.
    npm([...install, "--offline"], project);
  } catch {
    npm([...install, "--prefer-offline"], project); // a cache that lacks a manifest: fetch just that
  }
}

let cached: Promise<string> | undefined;

/**
 * Path of a scratch project with the packed package installed in its node_modules (and nothing
 * else). The project folder is shared: a test writes its own files into a subfolder of it.
 */
export function installedProject(): Promise<string> {
  cached ??= (async () => {
    const root = join(REPO, "test-output", "package", packageHash());
    const project = join(root, "project");
    const ready = join(root, "ready");
    const lock = `${root}.lock`;
    mkdirSync(join(REPO, "test-output", "package"), { recursive: true });
    const start = Date.now();
    while (!existsSync(ready)) {
      try {
        mkdirSync(lock);
      } catch {
        if (Date.now() - start > WAIT_MS) throw new Error(`timed out waiting for ${lock} (remove it if no test runs)`);
        await sleep(POLL_MS);
        continue;
      }
      try {
        if (!existsSync(ready)) {
          packAndInstall(root, project);
          writeFileSync(ready, "");
        }
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
    return project;
  })();
  return cached;
}

/** Runs `node file` in `cwd` and returns its standard output (throws with stderr on failure). */
export function runNode(file: string, cwd: string, args: string[] = []): string {
  try {
    return execFileSync(process.execPath, [file, ...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`node ${relative(REPO, file)} failed:\n${err.stderr ?? ""}\n${err.stdout ?? ""}\n${err.message}`);
  }
}
