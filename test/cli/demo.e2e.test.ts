import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadResult } from "../../src/index.js";
import type { RunRecord } from "../../src/cli/resultfile.js";
import { runCli, tempDir } from "../helpers/cli.js";

/** The printed summaries without what depends on the machine's speed: progress lines and seconds. */
function machineIndependent(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((l) => !/^\s+(ode|optim)\s+\d/.test(l)) // progress lines, printed every few wall-clock seconds
    .map((l) => l.replace(/ in \d+\.\d+ s\b/g, " in … s"));
}

/** Busy loops on every core, so that a run's wall-clock time per step changes several-fold. */
function loadEveryCore(): ChildProcess[] {
  return cpus().map(() => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
}

// `npm start` = `mlpgf demo`: the whole demo as a user runs it, twice — once with every core busy, once
// without. Its runs stop on step counts, so both print the same summaries and write the same results.
describe("mlpgf demo (child process)", () => {
  it("runs the three students twice, under different CPU load, with identical summaries; files written", { timeout: 900_000 }, async () => {
    const dir = tempDir();
    const burners = loadEveryCore();
    let loaded;
    try {
      loaded = await runCli(["demo", "-o", "loaded"], { cwd: dir });
    } finally {
      for (const b of burners) b.kill("SIGKILL");
    }
    const run = await runCli(["demo", "-o", "out"], { cwd: dir });
    for (const r of [loaded, run]) {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    }
    const summary = machineIndependent(run.stdout);
    expect(machineIndependent(loaded.stdout.replaceAll("loaded/", "out/"))).toEqual(summary);
    const headings = ["student with 4 neurons", "student with 8 neurons", "student with 8 neurons, phase 2 with varpro"];
    for (const h of headings) expect(run.stdout).toContain(`\n${h}`);
    expect(run.stdout.match(/smallest Hessian eigenvalues/g)?.length).toBe(3);
    expect(run.stdout).toMatch(/configs, results and reports are in out\//);
    for (const key of ["student4", "student8", "student8-varpro"]) {
      const base = join(dir, "out", key);
      expect(existsSync(`${base}.config.json`)).toBe(true);
      expect(readFileSync(`${base}.html`, "utf8")).toMatch(/^<!DOCTYPE html>/i);
      const r = (await loadResult(`${base}.result.json`)) as RunRecord;
      const l = (await loadResult(join(dir, "loaded", `${key}.result.json`))) as RunRecord;
      expect(r.loss).toBeLessThan(1e-6);
      expect(l.loss).toBe(r.loss);
      expect(Array.from(l.x)).toEqual(Array.from(r.x));
      expect([l.odeIterations, l.optimIterations]).toEqual([r.odeIterations, r.optimIterations]);
      expect(r.x.length).toBe(key === "student4" ? 17 : 33);
    }
    // same gradient-flow budget; phase 2 with varpro gets much further than the full-space trust region
    const s8 = (await loadResult(join(dir, "out", "student8.result.json"))) as RunRecord;
    const vp = (await loadResult(join(dir, "out", "student8-varpro.result.json"))) as RunRecord;
    expect((vp.config?.train as { varpro?: boolean } | undefined)?.varpro).toBe(true);
    expect(vp.optimIterations).toBeGreaterThan(0);
    expect(vp.loss).toBeLessThan(1e-3 * s8.loss);
  });
});
