import { show } from "../util/show.js";
import { MLPGFError } from "../errors.js";
import type { SweepLayout } from "./layout.js";

/** Options of {@link slurmScript} (the flags of `mlpgf sweep slurm`). */
export interface SlurmOptions {
  /** Array tasks (= shards). Default: min(runs, {@link DEFAULT_MAX_TASKS}). */
  tasks?: number;
  /** `--time` of each task, e.g. "12:00:00". Default: the partition's. */
  time?: string;
  /** `--partition`. Default: the cluster's default. */
  partition?: string;
  /** `--cpus-per-task`, also the task's worker threads. Default 1. */
  cpusPerTask?: number;
  /** Further `#SBATCH` lines, e.g. "--mem=2G" or "--account=abc". */
  sbatchArgs?: string[];
  /** `--job-name`. Default "mlpgf-sweep". */
  jobName?: string;
  /** Extra arguments of `mlpgf sweep run` (e.g. ["--format", "npz"]). */
  runArgs?: string[];
}

/** Default upper bound of array tasks (many clusters set MaxArraySize = 1001). */
export const DEFAULT_MAX_TASKS = 100;

/**
 * The text of `DIR/sweep.sbatch`: a Slurm job array whose task k runs
 * `mlpgf sweep run DIR/sweep.json -o DIR --shard k/N --workers <cpus-per-task>` with the same Node
 * and package as now (absolute paths, so compute nodes need the same file system), its log in
 * `DIR/logs/slurm-<job>_<task>.out`. A task that is cancelled, killed or out of time leaves its
 * claims stale; resubmitting the script (or `scontrol requeue`) finishes exactly the missing runs.
 *
 * @param layout - the sweep directory (absolute paths).
 * @param runs - number of runs of the sweep.
 * @param cli - `[node, main.js]`: how to start `mlpgf` on a compute node.
 */
export function slurmScript(layout: SweepLayout, runs: number, cli: readonly string[], opts: SlurmOptions = {}): string {
  const tasks = opts.tasks ?? Math.max(1, Math.min(runs, DEFAULT_MAX_TASKS));
  const cpus = opts.cpusPerTask ?? 1;
  if (!Number.isInteger(tasks) || tasks < 1) throw new MLPGFError("OPTION", `--tasks: expected an integer ≥ 1, got ${show(opts.tasks)}`);
  if (!Number.isInteger(cpus) || cpus < 1)
    throw new MLPGFError("OPTION", `--cpus-per-task: expected an integer ≥ 1, got ${show(opts.cpusPerTask)}`);
  const lines = [
    "#!/bin/bash",
    `# Sweep ${layout.dir} (${runs} runs) as a Slurm job array: task k runs shard k of ${tasks}.`,
    "# Written by `mlpgf sweep slurm`. Resubmit it (or `scontrol requeue`) to finish what is missing.",
    `#SBATCH --job-name=${opts.jobName ?? "mlpgf-sweep"}`,
    `#SBATCH --array=0-${tasks - 1}`,
    "#SBATCH --ntasks=1",
    `#SBATCH --cpus-per-task=${cpus}`,
    `#SBATCH --output=${directiveValue(`${layout.logs}/slurm-%A_%a.out`)}`,
    "#SBATCH --open-mode=append",
  ];
  if (opts.time) lines.push(`#SBATCH --time=${opts.time}`);
  if (opts.partition) lines.push(`#SBATCH --partition=${opts.partition}`);
  for (const a of opts.sbatchArgs ?? []) lines.push(`#SBATCH ${a}`);
  const run = [...cli, "sweep", "run", layout.spec, "-o", layout.dir, "--workers", String(cpus), ...(opts.runArgs ?? [])]
    .map(shellQuote)
    .join(" ");
  lines.push("set -u", `exec ${run} --shard "$SLURM_ARRAY_TASK_ID/${tasks}"`, "");
  return lines.join("\n");
}

/** A #SBATCH option value: double-quoted when it holds white space (sbatch splits directives there). */
function directiveValue(v: string): string {
  return /\s/.test(v) ? `"${v}"` : v;
}

/** `s` single-quoted for sh when it holds anything but safe characters. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
