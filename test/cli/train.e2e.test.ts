import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hessianSpectrum, loadResult } from "../../src/index.js";
import { parseConfig } from "../../src/cli/config.js";
import { buildProblem } from "../../src/cli/problem.js";
import type { RunRecord } from "../../src/cli/resultfile.js";
import { runCli, smallConfig, tempDir, writeConfig } from "../helpers/cli.js";

describe("mlpgf train (child process)", () => {
  it.each(["json", "npz"])(
    "trains a small config and writes a .%s result that loadResult reads, with config and Hessian spectrum",
    async (ext) => {
      const dir = tempDir();
      const config = writeConfig(dir, smallConfig());
      const out = join(dir, `r.${ext}`);
      const run = await runCli(["train", config, "-o", out, "--seed", "9"]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/smallest Hessian eigenvalues/);
      expect(run.stdout).toMatch(/gradient flow\s+\d+ steps in [\d.]+ s, stopped by: /);
      const r = (await loadResult(out)) as RunRecord;
      expect(r.x).toBeInstanceOf(Float64Array);
      expect(r.x.length).toBe(13);
      expect(r.config?.student).toEqual({ seed: 9 });
      expect(r.interrupted).toBe(false);
      // the stored result matches the rebuilt problem: start point of seed 9, loss and spectrum at x
      const problem = buildProblem(parseConfig(r.config), dir, 9);
      try {
        expect(Array.from(r.init)).toEqual(Array.from(problem.x0));
        expect(r.loss).toBe(problem.net.loss(r.x));
        expect(r.loss).toBeLessThan(problem.net.loss(problem.x0));
        const ev = hessianSpectrum(problem.net, r.x).values;
        expect(r.hessianEigenvalues).toBeInstanceOf(Float64Array);
        expect(Array.from(r.hessianEigenvalues!)).toEqual(Array.from(ev));
      } finally {
        problem.dispose();
      }
      expect(r.trajectory.every((p) => typeof p.wallTime === "number")).toBe(true);
    },
  );

  it("reads data files relative to the config (CSV), defaults the output name to <config>.result.json in the cwd", async () => {
    const dir = tempDir();
    const csv = new URL("../fixtures/cli/data.csv", import.meta.url).pathname;
    const config = writeConfig(
      dir,
      {
        layers: [
          [2, "tanh", true],
          [1, "identity", true],
        ],
        data: { kind: "file", path: csv, input: ["x1", "x2"], target: "y" },
        train: { maxtimeOde: 0.3, maxtimeOptim: 0.3 },
      },
      "fromcsv.json",
    );
    const run = await runCli(["train", config], { cwd: dir });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, "fromcsv.result.json"))).toBe(true);
    const r = (await loadResult(join(dir, "fromcsv.result.json"))) as RunRecord;
    expect(r.description?.data).toMatch(/^12 samples from .*data\.csv/);
  });

  it("runs a NetI (infinite Gaussian data) config", async () => {
    const dir = tempDir();
    const config = writeConfig(dir, {
      layers: [
        [2, "relu", false],
        [1, "identity", false],
      ],
      data: {
        kind: "gaussian",
        teacher: {
          layers: [
            [2, "relu", false],
            [1, "identity", false],
          ],
          seed: 1,
        },
        din: 3,
      },
      train: { maxtimeOde: 0.3, maxtimeOptim: 0.3 },
    });
    const run = await runCli(["train", config, "-o", join(dir, "i.json")]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const r = (await loadResult(join(dir, "i.json"))) as RunRecord;
    expect(r.description?.network).toMatch(/NetI/);
    expect(r.hessianEigenvalues?.length).toBe(r.x.length);
  });
});
