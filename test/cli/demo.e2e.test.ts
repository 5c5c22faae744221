import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadResult } from "../../src/index.js";
import type { RunRecord } from "../../src/cli/resultfile.js";
import { runCli, tempDir } from "../helpers/cli.js";

// `npm start` = `mlpgf demo`: the whole demo as a user runs it (≈ 40 s, its runs have wall-clock budgets).
describe("mlpgf demo (child process)", () => {
  it("runs the three students, prints a summary for each and writes config, result and report files", { timeout: 180_000 }, async () => {
    const dir = tempDir();
    const run = await runCli(["demo", "-o", "out"], { cwd: dir });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const headings = ["student with 4 neurons", "student with 8 neurons", "student with 8 neurons, phase 2 with varpro"];
    for (const h of headings) expect(run.stdout).toContain(`\n${h}`);
    expect(run.stdout.match(/smallest Hessian eigenvalues/g)?.length).toBe(3);
    expect(run.stdout).toMatch(/configs, results and reports are in out\//);
    for (const key of ["student4", "student8", "student8-varpro"]) {
      const base = join(dir, "out", key);
      expect(existsSync(`${base}.config.json`)).toBe(true);
      expect(readFileSync(`${base}.html`, "utf8")).toMatch(/^<!DOCTYPE html>/i);
      const r = (await loadResult(`${base}.result.json`)) as RunRecord;
      expect(r.loss).toBeLessThan(1e-6);
      expect(r.x.length).toBe(key === "student4" ? 17 : 33);
    }
    // same gradient-flow budget; phase 2 with varpro gets much further than the full-space trust region
    const s8 = (await loadResult(join(dir, "out", "student8.result.json"))) as RunRecord;
    const vp = (await loadResult(join(dir, "out", "student8-varpro.result.json"))) as RunRecord;
    expect(vp.config?.train?.varpro).toBe(true);
    expect(vp.optimIterations).toBeGreaterThan(0);
    expect(vp.loss).toBeLessThan(1e-3 * s8.loss);
  });
});
