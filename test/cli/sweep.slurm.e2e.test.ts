// The sweep as a Slurm job array on a real one-node Slurm cluster (Debian's slurm-wlm + munge, set up
// by the shared local-slurm.sh). Under CI=true the cluster must be there (.ci/run starts it): the test
// fails otherwise. Elsewhere the test starts the cluster itself if it can (and stops it again), or
// says in one line that it did not run.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadResult } from "../../src/index.js";
import type { SweepRecord } from "../../src/index.js";
import { runCli, tempDir, writeConfig } from "../helpers/cli.js";
import { cutShortRunners, runnerEvents, tinySweep } from "../helpers/sweep.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const SCRIPT = [
  process.env.MLPGF_LOCAL_SLURM,
  resolve(repo, "../shared/slurm/local-slurm.sh"),
  resolve(repo, "../../shared/slurm/local-slurm.sh"),
].find((p) => p && existsSync(p));
const sh = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: "utf8", timeout: 180_000 });
const up = () => !!SCRIPT && sh("bash", [SCRIPT, "status"]).status === 0;

let startedHere = false;
let why = "";
if (!up()) {
  if (!SCRIPT) why = "no local-slurm.sh found (../shared/slurm beside the repository, or MLPGF_LOCAL_SLURM)";
  else {
    const r = sh("bash", [SCRIPT, "start"]);
    startedHere = r.status === 0;
    if (!startedHere) why = `local-slurm.sh start failed: ${(r.stderr || r.error?.message || "").trim().split("\n").pop()}`;
  }
}
const ready = up() && sh("sinfo", ["-h"]).status === 0;
const inCI = process.env.CI === "true";
if (!ready && !inCI) console.warn(`sweep.slurm.e2e: Slurm not available, the Slurm array test did not run (${why || "sinfo fails"})`);

afterAll(() => {
  if (startedHere && SCRIPT) sh("bash", [SCRIPT, "stop"]);
});

/** Polls `f` every 100 ms until it returns true; fails after `seconds`. */
async function until(what: string, f: () => boolean, seconds = 120): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const jobDone = (job: string) => sh("squeue", ["-h", "-j", job]).stdout.trim() === "";

describe.runIf(ready || inCI)("mlpgf sweep slurm on a local Slurm cluster", () => {
  it("a 6-task array over 24 runs with one task cancelled mid-run: resubmitting completes the sweep, every run done exactly once", async () => {
    expect(ready, `CI=true but Slurm is not available: ${why}`).toBe(true);
    const dir = tempDir();
    const spec = writeConfig(dir, tinySweep([3, 4], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 15_000), "sweep.json");
    const out = join(dir, "out");
    const sub = await runCli(["sweep", "slurm", spec, "-o", out, "--tasks", "6", "--time", "10:00", "--submit"]);
    expect(sub.stderr).toBe("");
    expect(sub.code).toBe(0);
    const job = /submitted job (\d+)/.exec(sub.stdout)![1];
    const script = readFileSync(join(out, "sweep.sbatch"), "utf8");
    expect(script).toMatch(/^#SBATCH --array=0-5$/m);
    expect(script).toMatch(/--shard "\$SLURM_ARRAY_TASK_ID\/6"/);

    // cancel task 3 once its first run is done (three of its four runs left, one of them running)
    const log3 = join(out, "logs", `slurm-${job}_3.out`);
    await until("task 3 to finish its first run", () => existsSync(log3) && /\[1\/4\]/.test(readFileSync(log3, "utf8")));
    expect(sh("scancel", [`${job}_3`]).status).toBe(0);
    await until(`job ${job} to end`, () => jobDone(job));
    expect(sh("scontrol", ["show", "job", "-o", `${job}_3`]).stdout).toMatch(/JobState=CANCELLED/);
    const missing = 24 - readdirSync(join(out, "runs")).length;
    expect(missing).toBeGreaterThanOrEqual(2);
    expect(missing).toBeLessThanOrEqual(3);
    const st = await runCli(["sweep", "status", out]);
    expect(st.stdout).toMatch(new RegExp(`done ${24 - missing}, failed 0, in progress 0, stale \\d, pending \\d`));

    // resubmit the whole array: the complete shards find nothing to do, shard 3 finishes
    const again = sh("sbatch", ["--parsable", join(out, "sweep.sbatch")]);
    expect(again.status).toBe(0);
    const job2 = again.stdout.trim().split(";")[0];
    await until(`job ${job2} to end`, () => jobDone(job2));
    expect(readdirSync(join(out, "runs"))).toHaveLength(24);
    const events = runnerEvents(out);
    const cut = cutShortRunners(out);
    expect(cut.size).toBe(1); // the cancelled task
    for (const f of readdirSync(join(out, "runs"))) {
      const r = (await loadResult(join(out, "runs", f))) as SweepRecord;
      expect(r.sweep.status).toBe("done");
      const id = r.sweep.id;
      expect(
        events.filter((e) => e.id === id && e.event === "done").map((e) => e.pid),
        id,
      ).toEqual([r.sweep.pid]);
      for (const s of events.filter((e) => e.id === id && e.event === "start" && e.pid !== r.sweep.pid))
        expect(cut.has(s.pid), id).toBe(true);
    }
    // the second job ran exactly the missing runs
    const secondJobLogs = readdirSync(join(out, "logs")).filter((f) => f.startsWith(`slurm-${job2}_`));
    expect(secondJobLogs).toHaveLength(6);
    const ranNow = secondJobLogs.map((f) => Number(/ran (\d+) now/.exec(readFileSync(join(out, "logs", f), "utf8"))?.[1]));
    expect(ranNow.reduce((a, b) => a + b, 0)).toBe(missing);
    const c = await runCli(["sweep", "collect", out]);
    expect(c.stdout).toMatch(/^24 rows written to /);
  });
});
