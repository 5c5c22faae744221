import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { loadResult } from "../../src/index.js";
import type { SweepRecord } from "../../src/index.js";
import { CLI, runCli, tempDir, writeConfig } from "../helpers/cli.js";
import { runnerEvents, tinySweep } from "../helpers/sweep.js";

/** Starts `mlpgf sweep run`, SIGKILLs it after `ms`; resolves with its pid and whether the kill landed. */
function runAndKill(args: string[], ms: number): Promise<{ pid: number; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "sweep", "run", ...args], { stdio: "ignore" });
    const timer = setTimeout(() => child.kill("SIGKILL"), ms);
    child.on("error", reject);
    child.on("close", (_code, signal) => {
      clearTimeout(timer);
      resolve({ pid: child.pid!, killed: signal === "SIGKILL" });
    });
  });
}

/**
 * Checks that every run of the sweep in `dir` was completed by exactly one process: its result file
 * loads and names its writer, no other process logged it done, and every other start of it was made
 * by a process in `killed` (cut short). Returns the number of runs that were started more than once.
 */
async function expectExactlyOnce(dir: string, nRuns: number, killed: ReadonlySet<number>): Promise<number> {
  const files = readdirSync(join(dir, "runs")).filter((f) => !f.startsWith("."));
  expect(files).toHaveLength(nRuns);
  const events = runnerEvents(dir);
  let restarted = 0;
  for (const f of files) {
    const r = (await loadResult(join(dir, "runs", f))) as SweepRecord;
    expect(r.sweep.status).toBe("done");
    expect(Number.isFinite(r.loss)).toBe(true);
    const id = r.sweep.id;
    const starts = events.filter((e) => e.id === id && e.event === "start");
    const completers = new Set([r.sweep.pid, ...events.filter((e) => e.id === id && e.event === "done").map((e) => e.pid)]);
    expect([...completers], id).toEqual([r.sweep.pid]);
    expect(
      starts.filter((e) => e.pid === r.sweep.pid),
      id,
    ).toHaveLength(1);
    for (const s of starts) if (s.pid !== r.sweep.pid) expect(killed.has(s.pid), `${id} started by ${s.pid}`).toBe(true);
    if (starts.length > 1) restarted++;
  }
  return restarted;
}

describe("mlpgf sweep run under SIGKILL and with two runners on one directory", () => {
  it("killed with SIGKILL at random moments 10 times, then resumed: every run completed exactly once, every file loads, the table complete", async () => {
    const dir = tempDir();
    const spec = writeConfig(dir, tinySweep([3, 4, 5, 6], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 15_000), "sweep.json");
    const out = join(dir, "out");
    const args = [spec, "-o", out, "--workers", "2"];
    const killed = new Set<number>();
    // a fixed-seed LCG: random moments, the same in every test run
    let state = 12345;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 10; k++) {
      const r = await runAndKill(args, 500 + 2000 * random());
      expect(r.killed, `runner ${k} finished the sweep before it was killed`).toBe(true);
      killed.add(r.pid);
    }
    const before = readdirSync(join(out, "runs")).filter((f) => !f.startsWith(".")).length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(48);
    const last = await runCli(["sweep", "run", ...args]);
    expect(last.stderr).toBe("");
    expect(last.code).toBe(0);
    expect(last.stdout).toMatch(new RegExp(`48 runs — done 48, failed 0, pending 0; ran ${48 - before} now`));
    const restarted = await expectExactlyOnce(out, 48, killed);
    expect(restarted).toBeGreaterThan(0); // some kills did land in the middle of runs
    expect(readdirSync(join(out, "claims"))).toEqual([]);
    // what a writer killed mid-write leaves is a temporary dot file (never read; removed when old)
    for (const f of readdirSync(join(out, "runs")).filter((n) => n.startsWith(".")))
      expect(f).toMatch(/^\.\d{4}-[0-9a-f]{8}\.json\.\d+\.\w+\.tmp$/);
    const c = await runCli(["sweep", "collect", out, "-o", join(dir, "t.csv")]);
    expect(c.code).toBe(0);
    const rows = parse(readFileSync(join(dir, "t.csv"), "utf8"), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(48);
    expect(rows.every((r) => r.status === "done" && Number.isFinite(Number(r.loss)))).toBe(true);
  });

  it("two runners started together on the same directory and shard share the runs: each done exactly once", async () => {
    const dir = tempDir();
    const spec = writeConfig(dir, tinySweep([3, 4], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 300), "sweep.json");
    const out = join(dir, "out");
    const [a, b] = await Promise.all([
      runCli(["sweep", "run", spec, "-o", out, "--workers", "1"]),
      runCli(["sweep", "run", spec, "-o", out, "--workers", "1"]),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stderr + b.stderr).toBe("");
    await expectExactlyOnce(out, 24, new Set());
    const starts = runnerEvents(out).filter((e) => e.event === "start");
    expect(starts).toHaveLength(24);
    expect(new Set(starts.map((e) => e.pid)).size).toBe(2); // both did work
  });
});
