import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectSweep, isMLPGFError, planSweep, runSweep } from "../../src/index.js";
import type { SweepProgress, SweepSpec } from "../../src/index.js";
import { tempDir } from "../helpers/cli.js";
import { tinySweep } from "../helpers/sweep.js";

// the worker script is JavaScript: the tests of src use the built one
const workerUrl = new URL("../../dist/sweep/worker.js", import.meta.url);

describe("runSweep (package API)", () => {
  const spec = tinySweep([2, 3], [1, 2, 3]) as SweepSpec;

  it("runs shard 1 of 2 (the odd indices) with progress events, then the rest; collectSweep lists every run in plan order", async () => {
    const dir = tempDir();
    const events: SweepProgress[] = [];
    const s = await runSweep(spec, dir, { workers: 2, shard: { index: 1, count: 2 }, onProgress: (p) => events.push(p), workerUrl });
    expect([s.total, s.done, s.failed, s.pending, s.ran, s.interrupted]).toEqual([3, 3, 0, 0, 3, false]);
    expect(
      events
        .filter((e) => e.event === "start")
        .map((e) => e.index)
        .sort(),
    ).toEqual([1, 3, 5]);
    const done = events.filter((e) => e.event === "done");
    expect(done.map((e) => e.counts.done).sort()).toEqual([1, 2, 3]);
    expect(done.every((e) => Number.isFinite(e.loss) && e.seconds! > 0)).toBe(true);
    const plan = await planSweep(spec);
    expect(readdirSync(join(dir, "runs")).sort()).toEqual([1, 3, 5].map((i) => `${plan.runs[i].id}.json`));
    const partial = await collectSweep(dir);
    expect(partial.rows.map((r) => r[partial.columns.indexOf("status")])).toEqual([
      "pending",
      "done",
      "pending",
      "done",
      "pending",
      "done",
    ]);
    const rest = await runSweep(spec, dir, { workers: 1, workerUrl });
    expect([rest.done, rest.ran]).toEqual([6, 3]);
    const table = await collectSweep(dir);
    expect(table.rows.map((r) => r[0])).toEqual(plan.runs.map((r) => r.id));
    expect(table.rows.map((r) => [r[1], r[2]])).toEqual(plan.runs.map((r) => [r.point["layers.0.0"], r.point["student.seed"]]));
    // a file damaged outside the runner: its row says so, the others are unaffected
    writeFileSync(join(dir, "runs", `${plan.runs[2].id}.json`), "{ not json");
    const damaged = await collectSweep(dir);
    const row = damaged.rows[2];
    expect(row[damaged.columns.indexOf("status")]).toBe("unreadable");
    expect(row[damaged.columns.indexOf("error")]).toMatch(/^FORMAT: /);
    expect(damaged.rows.filter((r) => r[damaged.columns.indexOf("status")] === "done")).toHaveLength(5);
  });

  it("an aborted signal stops before anything runs and says interrupted; bad options are OPTION errors", async () => {
    const dir = tempDir();
    const s = await runSweep(spec, dir, { signal: AbortSignal.abort() });
    expect([s.ran, s.pending, s.interrupted]).toEqual([0, 6, true]);
    for (const opts of [{ workers: 0 }, { shard: { index: 2, count: 2 } }, { format: "csv" }]) {
      const e = await runSweep(spec, dir, opts as never).then(
        () => null,
        (err: unknown) => err,
      );
      expect(isMLPGFError(e, "OPTION"), JSON.stringify(opts)).toBe(true);
    }
    const other = await runSweep({ ...spec, grid: { "student.seed": [9] } }, dir).then(
      () => null,
      (err: unknown) => err,
    );
    expect(isMLPGFError(other, "OPTION")).toBe(true);
    expect((other as Error).message).toMatch(/holds a different sweep/);
  });
});
