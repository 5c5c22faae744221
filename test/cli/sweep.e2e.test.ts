import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { classifyEndpoint, collectSweep, hessianSpectrum, loadResult, train } from "../../src/index.js";
import type { SweepRecord, TrainOptions } from "../../src/index.js";
import { parseConfig } from "../../src/cli/config.js";
import { buildProblem } from "../../src/cli/problem.js";
import { runCli, tempDir, writeConfig } from "../helpers/cli.js";
import { runnerEvents, tinySweep } from "../helpers/sweep.js";

const bits = (a: ArrayLike<number>) => Array.from(new Uint32Array(Float64Array.from(a).buffer));

describe("mlpgf sweep (child processes)", () => {
  const dir = tempDir();
  const spec = writeConfig(dir, tinySweep([2, 3, 4], [1, 2, 3, 4, 5, 6, 7, 8]), "sweep.json");
  const out = join(dir, "out");

  it("runs 24 runs on 2 workers, each equal bitwise to the same run made alone with train", async () => {
    const run = await runCli(["sweep", "run", spec, "-o", out, "--workers", "2"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/24 runs — done 24, failed 0, pending 0; ran 24 now/);
    const files = readdirSync(join(out, "runs")).sort();
    expect(files).toHaveLength(24);
    const pids = new Set<number>();
    const kinds = new Set<string>();
    for (const f of files) {
      const r = (await loadResult(join(out, "runs", f))) as SweepRecord;
      expect(r.sweep.status).toBe("done");
      expect(f).toBe(`${r.sweep.id}.json`);
      pids.add(r.sweep.pid);
      // the oracle: the run's stored config built and trained here, one run at a time
      const parsed = parseConfig(r.config);
      expect(parsed.layers[0][0]).toBe(r.sweep.point["layers.0.0"]);
      expect(parsed.student?.seed).toBe(r.sweep.point["student.seed"]);
      const p = buildProblem(parsed, dir);
      try {
        const alone = await train(p.net, p.x0, parsed.train as TrainOptions);
        expect(bits(r.x)).toEqual(bits(alone.x));
        expect(Object.is(r.loss, alone.loss)).toBe(true);
        expect(Object.is(r.gnorm, alone.gnorm)).toBe(true);
        expect([r.odeIterations, r.optimIterations, r.converged]).toEqual([alone.odeIterations, alone.optimIterations, alone.converged]);
        expect(bits(r.hessianEigenvalues!)).toEqual(bits(hessianSpectrum(p.net, alone.x).values));
        const c = classifyEndpoint(p.net, alone.x, { channels: { trajectory: alone.trajectory } });
        expect(r.endpoint?.kind).toBe(c.kind);
        expect(bits([r.endpoint!.eigen.min, r.endpoint!.gradient.relative])).toEqual(bits([c.eigen.min, c.gradient.relative]));
        kinds.add(c.kind);
      } finally {
        p.dispose();
      }
    }
    expect(pids.size).toBe(1);
    expect(kinds.size).toBeGreaterThan(1); // the grid reaches different kinds of endpoints
    expect(readdirSync(join(out, "claims"))).toEqual([]);
  });

  it("a second run does nothing; status counts 24 done", async () => {
    const again = await runCli(["sweep", "run", spec, "-o", out]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/done 24, failed 0, pending 0; ran 0 now/);
    expect(runnerEvents(out).filter((e) => e.event === "start")).toHaveLength(24);
    const st = await runCli(["sweep", "status", out]);
    expect(st.code).toBe(0);
    expect(st.stdout).toMatch(/24 runs\n\s+done 24, failed 0, in progress 0, stale 0, pending 0\n\s+mean run [\d.]+ s, ETA 0 s/);
  });

  it("collect writes a CSV that csv-parse reads back bitwise equal to the result files, one row per run", async () => {
    const csv = join(dir, "results.csv");
    const c = await runCli(["sweep", "collect", out, "-o", csv]);
    expect(c.stderr).toBe("");
    expect(c.stdout).toBe(`24 rows written to ${csv}\n`);
    const rows = parse(readFileSync(csv, "utf8"), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual([
      "id",
      "layers.0.0",
      "student.seed",
      "status",
      "loss",
      "gnorm",
      "converged",
      "ode_stop",
      "optim_stop",
      "eig_min",
      "eig_max",
      "kind",
      "seconds",
      "error",
    ]);
    expect(rows).toHaveLength(24);
    for (const row of rows) {
      const r = (await loadResult(join(out, "runs", `${row.id}.json`))) as SweepRecord;
      const ev = r.hessianEigenvalues!;
      expect(Number(row["layers.0.0"])).toBe(r.sweep.point["layers.0.0"]);
      expect(Number(row["student.seed"])).toBe(r.sweep.point["student.seed"]);
      expect(row.status).toBe("done");
      expect(bits([Number(row.loss), Number(row.gnorm), Number(row.eig_min), Number(row.eig_max), Number(row.seconds)])).toEqual(
        bits([r.loss, r.gnorm, ev[0], ev[ev.length - 1], r.sweep.seconds]),
      );
      expect(row.converged).toBe(String(r.converged));
      expect(row.kind).toBe(r.endpoint?.kind);
      expect(["minimum", "saddle", "channel", "not-critical"]).toContain(row.kind);
      expect([row.ode_stop, row.optim_stop]).toEqual([r.odeStop?.kind ?? "", r.optimStop?.kind ?? ""]);
      expect(row.ode_stop).toMatch(/^(maxiterations|minloss|minGnorm|zeroGradient|noProgress)$/);
      expect(row.error).toBe("");
    }
    const table = await collectSweep(out);
    expect(table.rows.map((r) => r[0])).toEqual(rows.map((r) => r.id));
    const html = join(dir, "report.html");
    const rep = await runCli(["sweep", "report", out, "-o", html]);
    expect(rep.code).toBe(0);
    const page = readFileSync(html, "utf8");
    expect(page.match(/<tr><td>\d{4}-[0-9a-f]{8}<\/td>/g)).toHaveLength(24);
    expect(page).toMatch(/24 runs: done 24, failed 0, pending 0/);
    expect(page).toMatch(/<svg/);
  });

  it("Ctrl-C stops cleanly (claims released, nothing half-written) and the next run finishes the sweep", async () => {
    const d = join(dir, "int");
    let sent = false;
    const run = await runCli(
      ["sweep", "run", writeConfig(dir, tinySweep([3], [1, 2, 3, 4, 5, 6], 400), "long.json"), "-o", d, "--workers", "1"],
      {
        onStdout: (text, child) => {
          if (!sent && /\[1\/6\]/.test(text)) {
            sent = true;
            child.kill("SIGINT");
          }
        },
      },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/SIGINT: stopping/);
    expect(readdirSync(join(d, "claims"))).toEqual([]);
    const done = readdirSync(join(d, "runs")).length;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(6);
    const rest = await runCli(["sweep", "run", join(d, "sweep.json"), "-o", d]);
    expect(rest.code).toBe(0);
    expect(rest.stdout).toMatch(new RegExp(`done 6, failed 0, pending 0; ran ${6 - done} now`));
  });

  it("records a run whose config cannot be built as failed, keeps it failed on rerun, redoes it with --retry-failed", async () => {
    const d = join(dir, "fail");
    // a 3-output student cannot fit a 1-output teacher: the schema accepts it, building the network fails
    const s = writeConfig(dir, { ...tinySweep([2], [1]), grid: { "layers.1.0": [1, 3] } }, "fail.json");
    const run = await runCli(["sweep", "run", s, "-o", d, "--workers", "1"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/done 1, failed 1, pending 0/);
    const failed = readdirSync(join(d, "runs")).find((f) => f.includes(".failed."))!;
    const r = (await loadResult(join(d, "runs", failed))) as SweepRecord;
    expect(r.sweep.status).toBe("failed");
    expect(r.error?.code).toBe("OPTION");
    expect(Number.isNaN(r.loss)).toBe(true);
    expect((await runCli(["sweep", "run", s, "-o", d])).stdout).toMatch(/failed 1, pending 0; ran 0 now/);
    expect((await runCli(["sweep", "run", s, "-o", d, "--retry-failed"])).stdout).toMatch(/failed 1, pending 0; ran 1 now/);
    expect((await runCli(["sweep", "collect", d, "-o", join(d, "r.csv")])).code).toBe(0);
    const rows = parse(readFileSync(join(d, "r.csv"), "utf8"), { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => [row["layers.1.0"], row.status, row.loss])).toEqual([
      ["1", "done", expect.stringMatching(/^\d/)],
      ["3", "failed", ""],
    ]);
    expect(rows[1].error).toMatch(/^OPTION: layers: /);
  });

  it("writes .npz results with --format npz that loadResult reads", async () => {
    const d = join(dir, "npz");
    const run = await runCli([
      "sweep",
      "run",
      writeConfig(dir, tinySweep([2], [1, 2]), "npz.json"),
      "-o",
      d,
      "--format",
      "npz",
      "--workers",
      "1",
    ]);
    expect(run.code).toBe(0);
    const files = readdirSync(join(d, "runs")).sort();
    expect(files.every((f) => f.endsWith(".npz"))).toBe(true);
    const r = (await loadResult(join(d, "runs", files[0]))) as SweepRecord;
    expect(r.sweep.status).toBe("done");
    expect(r.x.length).toBe(9);
    expect((await collectSweep(d)).rows.map((row) => row[3])).toEqual(["done", "done"]);
  });

  it("rejects bad sweeps and arguments with exit 2 and one line each, before anything runs", async () => {
    const cases: [string[], RegExp][] = [
      [[writeConfig(dir, { ...tinySweep([2], [1]), grid: { "student.sed": [1] } }, "b1.json")], /unknown field "sed"/],
      [[writeConfig(dir, { ...tinySweep([2], [1]), grid: { "layers.0.0": [2, 0] } }, "b2.json")], /layers\.0\.0 = 0\): layers\[0\]/],
      [[writeConfig(dir, { ...tinySweep([2], [1]), grid: { "layers.9.0": [2] } }, "b3.json")], /grid path "layers\.9\.0"/],
      [
        [writeConfig(dir, { ...tinySweep([2], [1]), grid: { "student.seed": 3 } }, "b4.json")],
        /grid "student\.seed": expected a non-empty array/,
      ],
      [[writeConfig(dir, { ...tinySweep([2], [1]), grid: { "train.maxT": ["long"] } }, "b5.json")], /train\.maxT = "long"\): train\.maxT/],
      [[join(dir, "missing.json")], /cannot read sweep file .*missing\.json: ENOENT/],
      [[spec, "--shard", "3/2"], /--shard.*0 ≤ I < N/],
      [[spec, "--workers", "0"], /--workers.*expected an integer ≥ 1/],
      [[writeConfig(dir, tinySweep([2], [9]), "other.json")], /holds a different sweep/],
    ];
    writeFileSync(join(dir, "notjson.json"), "{ grid: ");
    cases.push([[join(dir, "notjson.json")], /invalid JSON/]);
    for (const [args, message] of cases) {
      const r = await runCli(["sweep", "run", ...args, "-o", out]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split("\n"), r.stderr).toHaveLength(1);
    }
    expect(existsSync(join(out, "runs"))).toBe(true);
    expect(readdirSync(join(out, "runs"))).toHaveLength(24);
  });
});
