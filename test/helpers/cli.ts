/** Runs the built `mlpgf` CLI (dist/cli/main.js) as a child process, as a user would. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Absolute path of the CLI entry. */
export const CLI = new URL("../../dist/cli/main.js", import.meta.url).pathname;

/** Exit code and captured output of a finished CLI run. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Spawns `node dist/cli/main.js ...args` (stdout/stderr piped, so not a TTY) and resolves when it exits.
 * `onStdout` sees the output as it arrives, with the child process (to send signals).
 */
export function runCli(
  args: string[],
  opts: { cwd?: string; onStdout?: (text: string, child: ChildProcess) => void } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      opts.onStdout?.(stdout, child);
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "mlpgf-test-"));
}

/** Writes `config` as JSON to `dir/name` and returns the path. */
export function writeConfig(dir: string, config: unknown, name = "config.json"): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

/** A small teacher–student config that trains in about a second. */
export function smallConfig(train: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    layers: [
      [3, "softplus", true],
      [1, "identity", true],
    ],
    data: {
      kind: "teacher",
      teacher: {
        layers: [
          [2, "softplus", true],
          [1, "identity", true],
        ],
        seed: 3,
      },
      din: 2,
      samples: 200,
      seed: 5,
    },
    student: { seed: 4 },
    train: { maxtimeOde: 0.5, maxtimeOptim: 0.5, ...train },
  };
}
