import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { sweepLayout } from "../../src/sweep/layout.js";
import { shellQuote, slurmScript } from "../../src/sweep/slurm.js";

describe("slurmScript", () => {
  const layout = sweepLayout("/data/my sweeps/widths");

  it("writes a job array of N tasks, each running its shard with --workers = cpus-per-task, log under DIR/logs", () => {
    const s = slurmScript(layout, 4420, ["/opt/node/bin/node", "/opt/mlpgf/dist/cli/main.js"], {
      tasks: 50,
      time: "12:00:00",
      partition: "cpu",
      cpusPerTask: 2,
      sbatchArgs: ["--mem-per-cpu=2G", "--account=lab"],
      runArgs: ["--format", "npz"],
    });
    const lines = s.split("\n");
    expect(lines[0]).toBe("#!/bin/bash");
    for (const l of [
      "#SBATCH --array=0-49",
      "#SBATCH --cpus-per-task=2",
      "#SBATCH --time=12:00:00",
      "#SBATCH --partition=cpu",
      "#SBATCH --mem-per-cpu=2G",
      "#SBATCH --account=lab",
      "#SBATCH --open-mode=append",
      '#SBATCH --output="/data/my sweeps/widths/logs/slurm-%A_%a.out"',
    ])
      expect(lines).toContain(l);
    expect(lines.at(-2)).toBe(
      `exec /opt/node/bin/node /opt/mlpgf/dist/cli/main.js sweep run '/data/my sweeps/widths/sweep.json' -o '/data/my sweeps/widths' --workers 2 --format npz --shard "$SLURM_ARRAY_TASK_ID/50"`,
    );
    // every #SBATCH line comes before the first command (sbatch stops reading directives there)
    const firstCommand = lines.findIndex((l) => l !== "" && !l.startsWith("#"));
    expect(lines.slice(firstCommand).some((l) => l.startsWith("#SBATCH"))).toBe(false);
  });

  it("defaults to min(runs, 100) tasks of one CPU; the exec line is valid sh that expands the shard", () => {
    expect(slurmScript(layout, 24, ["node", "main.js"])).toMatch(/^#SBATCH --array=0-23$/m);
    expect(slurmScript(layout, 5000, ["node", "main.js"])).toMatch(/^#SBATCH --array=0-99$/m);
    const s = slurmScript(layout, 24, ["printf", "%s|"], { tasks: 6 }).replace("exec ", "");
    const r = spawnSync(
      "sh",
      [
        "-c",
        s
          .split("\n")
          .filter((l) => !l.startsWith("#"))
          .join("\n"),
      ],
      { encoding: "utf8", env: { SLURM_ARRAY_TASK_ID: "4", PATH: process.env.PATH } },
    );
    expect(r.stdout).toBe("sweep|run|/data/my sweeps/widths/sweep.json|-o|/data/my sweeps/widths|--workers|1|--shard|4/6|");
  });

  it("quotes for sh only when needed, embedded quotes included", () => {
    expect(shellQuote("/a/b-c_d.json")).toBe("/a/b-c_d.json");
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
  });
});
