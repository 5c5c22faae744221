import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Command, InvalidArgumentError } from "commander";
import { MLPGFError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic.js";
import { MAX_JSON_BYTES } from "../io/json.js";
import { readFailure, readRegularFileSync } from "../io/readfile.js";
import { collectSweep } from "../sweep/collect.js";
import { toCsv } from "../sweep/csv.js";
import { type SweepFormat, sweepLayout } from "../sweep/layout.js";
import { absoluteSpec, planSweep, type SweepPlan } from "../sweep/plan.js";
import { type SweepProgress, runSweep } from "../sweep/runner.js";
import { parseShard, type Shard } from "../sweep/shard.js";
import { slurmScript } from "../sweep/slurm.js";
import type { SweepSpec } from "../sweep/spec.js";
import { statusLines, sweepStatus } from "../sweep/status.js";
import { storeSpec } from "../sweep/sweepfile.js";
import { sweepReportCommand } from "./sweepreport.js";
import type { Output } from "./progress.js";
import { EXIT } from "./traincommand.js";
import { UsageError } from "./usererror.js";

/** How `mlpgf` is started on a compute node: this Node and this package's CLI entry, absolute. */
const CLI_ENTRY = [process.execPath, fileURLToPath(new URL("./main.js", import.meta.url))];

/**
 * Adds `run`, `status`, `collect`, `slurm` and `report` to the `mlpgf sweep` command. `setCode`
 * receives the exit code of a command that has one besides success (an interrupted run: 1).
 */
export function registerSweepCommands(sweep: Command, out: Output, setCode: (code: number) => void): void {
  sweep
    .command("run")
    .description("run the runs of a sweep (or of one shard) not yet complete in DIR, on worker threads; resumable")
    .argument("<sweep>", 'sweep file: a train config plus "grid": { "<dotted path>": [values, …] }')
    .requiredOption("-o, --output <dir>", "sweep directory (results, claims, logs)")
    .option("--workers <n>", "worker threads, each running one training at a time (default: every core)", positiveInt)
    .option("--shard <i/n>", "run only shard I of N (0-based: the runs with index % N = I)", shardArg)
    .option("--retry-failed", "run again the runs recorded as failed")
    .option("--format <fmt>", "result files: json or npz", formatArg, "json" as SweepFormat)
    .action(async (file: string, o: { output: string; workers?: number; shard?: Shard; retryFailed?: boolean; format: SweepFormat }) => {
      setCode(await sweepRunCommand(file, o, out));
    });
  sweep
    .command("status")
    .description("counts of done, failed, in progress, stale and pending runs, and an ETA")
    .argument("<dir>", "sweep directory")
    .action((dir: string) => {
      for (const line of statusLines(
        dir,
        usage(() => sweepStatus(dir)),
      ))
        out.write(`${line}\n`);
    });
  sweep
    .command("collect")
    .description(
      "one CSV row per run: id, grid values, loss, gnorm, converged, stop reasons, Hessian eigenvalue range, kind, seconds, error",
    )
    .argument("<dir>", "sweep directory")
    .option("-o, --output <file>", "CSV file (default: DIR/results.csv)")
    .action(async (dir: string, o: { output?: string }) => {
      const output = o.output ?? join(dir, "results.csv");
      if (!/\.csv$/i.test(output)) throw new UsageError(`collect: ${output}: only .csv output is written (see docs/SCALING.md on Parquet)`);
      const table = await usageAsync(() => collectSweep(dir));
      await writeFileAtomic(output, toCsv(table.columns, table.rows));
      out.write(`${table.rows.length} rows written to ${output}\n`);
    });
  sweep
    .command("slurm")
    .description("write DIR/sweep.sbatch, a Slurm job array whose task k runs shard k of N; --submit submits it")
    .argument("<sweep>", "sweep file")
    .requiredOption("-o, --output <dir>", "sweep directory")
    .option("--tasks <n>", "array tasks (shards); default min(runs, 100)", positiveInt)
    .option("--time <limit>", "time limit of each task (sbatch --time, e.g. 12:00:00)")
    .option("--partition <name>", "partition (sbatch --partition)")
    .option("--cpus-per-task <n>", "CPUs of each task = its worker threads (default 1)", positiveInt)
    .option("--sbatch-arg <arg>", "another #SBATCH line, e.g. --sbatch-arg=--mem=2G (repeatable)", (v: string, acc: string[] = []) => [
      ...acc,
      v,
    ])
    .option("--format <fmt>", "result files: json or npz", formatArg)
    .option("--submit", "submit the script with sbatch and print the job id")
    .action(async (file: string, o: SlurmCommandOptions) => {
      setCode(await sweepSlurmCommand(file, o, out));
    });
  sweep
    .command("report")
    .description("a self-contained HTML page of a sweep: counts, loss per run, the results table")
    .argument("<dir>", "sweep directory")
    .option("-o, --output <file>", "HTML file (default: DIR/report.html)")
    .action(async (dir: string, o: { output?: string }) => {
      await usageAsync(() => sweepReportCommand(dir, o.output ?? join(dir, "report.html"), out));
    });
}

/** Options of `mlpgf sweep slurm`. */
interface SlurmCommandOptions {
  output: string;
  tasks?: number;
  time?: string;
  partition?: string;
  cpusPerTask?: number;
  sbatchArg?: string[];
  format?: SweepFormat;
  submit?: boolean;
}

/**
 * `mlpgf sweep run`: validates the sweep (exit 2 before anything runs), runs the shard with one line
 * per finished run, stops cleanly on the first SIGINT / SIGTERM (running trainings abandoned, claims
 * released; a second signal exits at once with 130). Returns 0 when the shard is complete (failed
 * runs included: they are recorded), 1 when interrupted.
 */
export async function sweepRunCommand(
  file: string,
  o: { output: string; workers?: number; shard?: Shard; retryFailed?: boolean; format?: SweepFormat },
  out: Output,
): Promise<number> {
  const spec = readSweepFile(file);
  const baseDir = dirname(resolve(file));
  const plan = usage(() => planSweep(spec, { baseDir }));
  await usageAsync(() => storeSpec(sweepLayout(o.output), absoluteSpec(spec, baseDir)));
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    out.write(`\n${sig}: stopping (running trainings are abandoned and will be redone by the next run; again to exit at once)\n`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const shardText = o.shard ? `shard ${o.shard.index}/${o.shard.count}` : "all runs";
  out.write(`sweep ${file}: ${plan.runs.length} runs, ${shardText}, into ${o.output}\n`);
  try {
    const s = await runSweep(spec, o.output, {
      workers: o.workers,
      shard: o.shard,
      retryFailed: o.retryFailed,
      format: o.format,
      baseDir,
      signal: controller.signal,
      onProgress: (p) => out.write(progressLine(p, plan)),
    });
    out.write(
      `${shardText}: ${s.total} runs — done ${s.done}, failed ${s.failed}, pending ${s.pending}${s.elsewhere ? ` (${s.elsewhere} held by other runners)` : ""}; ran ${s.ran} now\n`,
    );
    return s.interrupted ? EXIT.failed : EXIT.ok;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function progressLine(p: SweepProgress, plan: SweepPlan): string {
  if (p.event === "start") return "";
  const where = plan.paths.map((k) => `${k}=${JSON.stringify(p.point[k])}`).join(" ");
  const what = p.event === "done" ? `loss ${p.loss?.toExponential(3)}` : `FAILED ${p.error?.code}: ${p.error?.message}`;
  return `[${p.counts.done + p.counts.failed}/${p.counts.total}] ${p.id} ${where}  ${what}  (${p.seconds?.toFixed(2)} s)\n`;
}

/**
 * `mlpgf sweep slurm`: validates the sweep, writes DIR/sweep.json and DIR/sweep.sbatch; with
 * `--submit` runs `sbatch` on it and prints the job id. Returns the exit code (1: sbatch failed).
 */
export async function sweepSlurmCommand(file: string, o: SlurmCommandOptions, out: Output): Promise<number> {
  const spec = readSweepFile(file);
  const baseDir = dirname(resolve(file));
  const plan = usage(() => planSweep(spec, { baseDir }));
  const layout = sweepLayout(resolve(o.output));
  const runArgs = o.format ? ["--format", o.format] : [];
  const script = usage(() =>
    slurmScript(layout, plan.runs.length, CLI_ENTRY, {
      tasks: o.tasks,
      time: o.time,
      partition: o.partition,
      cpusPerTask: o.cpusPerTask,
      sbatchArgs: o.sbatchArg,
      runArgs,
    }),
  );
  await usageAsync(() => storeSpec(layout, absoluteSpec(spec, baseDir)));
  const path = join(layout.dir, "sweep.sbatch");
  await writeFileAtomic(path, script);
  out.write(`${path} written (${plan.runs.length} runs)\n`);
  if (!o.submit) return EXIT.ok;
  const r = spawnSync("sbatch", ["--parsable", path], { encoding: "utf8" });
  if (r.status !== 0) {
    out.write(`sbatch failed: ${r.error ? r.error.message : (r.stderr || "").trim()}\n`);
    return EXIT.failed;
  }
  out.write(`submitted job ${r.stdout.trim().split(";")[0]}\n`);
  return EXIT.ok;
}

/** Reads a sweep file: JSON, else a {@link UsageError} naming the file. */
function readSweepFile(path: string): SweepSpec {
  let text: string;
  try {
    text = new TextDecoder().decode(readRegularFileSync(path, MAX_JSON_BYTES, "sweep file"));
  } catch (e) {
    throw new UsageError(`cannot read sweep file ${path}: ${readFailure(e)}`);
  }
  try {
    return JSON.parse(text) as SweepSpec;
  } catch (e) {
    throw new UsageError(`${path}: invalid JSON: ${(e as Error).message}`);
  }
}

/** Runs `f`; an `OPTION`, `FORMAT` or `IO` error of the package (a bad sweep or directory) becomes a {@link UsageError} (exit 2). */
function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw asUsage(e);
  }
}

async function usageAsync<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw asUsage(e);
  }
}

function asUsage(e: unknown): unknown {
  return e instanceof MLPGFError && (e.code === "OPTION" || e.code === "FORMAT" || e.code === "IO") ? new UsageError(e.message) : e;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected an integer ≥ 1, got ${JSON.stringify(v)}`);
  return n;
}

function shardArg(v: string): Shard {
  try {
    return parseShard(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message.replace(/^--shard: /, ""));
  }
}

function formatArg(v: string): SweepFormat {
  if (v !== "json" && v !== "npz") throw new InvalidArgumentError(`expected json or npz, got ${JSON.stringify(v)}`);
  return v;
}
