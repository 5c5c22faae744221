import { MLPGFError } from "../errors.js";
import { requireNode } from "../io/atomic.js";
import { show } from "../util/show.js";
import { parseOptions } from "../options/parse.js";
import { PlanOptionsSchema, RunSweepOptionsSchema } from "../options/sweep.js";
import type { SweepTable } from "./collect.js";
import type { PlanOptions, SweepPlan } from "./plan.js";
import type { RunSweepOptions, SweepRunSummary } from "./runner.js";
import type { SweepSpec } from "./spec.js";

// The sweep modules use node:fs, node:crypto and worker threads: they are loaded on first use, through
// specifiers in variables so that bundlers leave them out of browser builds of the package.
const PLAN = "./plan.js";
const RUNNER = "./runner.js";
const COLLECT = "./collect.js";

/** Checks the sweep directory argument: a non-empty string (a path). */
function checkDir(dir: unknown, who: string): asserts dir is string {
  if (typeof dir !== "string" || dir === "")
    throw new MLPGFError("VALUE", `${who}: dir must be the path of the sweep directory (a non-empty string), got ${show(dir)}`);
}

/**
 * Expands a sweep spec — a `mlpgf train` config plus `grid: { "<dotted path>": [values, …] }` — into
 * its runs (the Cartesian product, first path slowest), each validated with the config schema and
 * given a deterministic id (`<index>-<hash of the grid point>`, the same on every machine). Node only.
 * Rejects with `MLPGFError("OPTION")` naming the grid path and value (or config field) at fault.
 *
 * @example
 * ```ts
 * const plan = await planSweep({ ...config, grid: { "layers.0.0": [2, 4], "student.seed": [1, 2, 3] } });
 * plan.runs.length; // 6
 * plan.runs[0].id;  // "0000-…"
 * ```
 */
export async function planSweep(spec: SweepSpec, opts: PlanOptions = {}): Promise<SweepPlan> {
  requireNode("planSweep");
  const checked = parseOptions(PlanOptionsSchema, opts, "planSweep");
  return ((await import(/* @vite-ignore */ PLAN)) as typeof import("./plan.js")).planSweep(spec, checked);
}

/**
 * Runs the runs of a sweep (or of `opts.shard`) that are not complete in `dir` on `opts.workers`
 * worker threads (default: every core), each result written atomically to `dir/runs/<id>.json` (or
 * `.npz`) with its config and status. Resumable (completed runs are never redone, runs of a runner
 * that died are redone, failed runs only with `retryFailed`) and safe with several runners on one
 * directory, also across nodes of a shared file system. `opts.signal` stops cleanly. Node only.
 *
 * @example
 * ```ts
 * const summary = await runSweep(spec, "sweeps/widths", { workers: 2 });
 * summary.done; // runs complete in the directory
 * ```
 */
export async function runSweep(spec: SweepSpec, dir: string, opts: RunSweepOptions = {}): Promise<SweepRunSummary> {
  requireNode("runSweep");
  checkDir(dir, "runSweep");
  const checked = parseOptions(RunSweepOptionsSchema, opts, "runSweep") as RunSweepOptions;
  return ((await import(/* @vite-ignore */ RUNNER)) as typeof import("./runner.js")).runSweep(spec, dir, checked);
}

/**
 * Reads every result of the sweep in `dir` into one table, a row per run: `id`, one column per grid
 * path, then `status`, `loss`, `gnorm`, `converged`, `ode_stop`, `optim_stop`, `eig_min`, `eig_max`,
 * `kind`, `seconds`, `error` (empty cells as `null`). Node only.
 *
 * @example
 * ```ts
 * const { columns, rows } = await collectSweep("sweeps/widths");
 * const loss = rows.map((r) => r[columns.indexOf("loss")]);
 * ```
 */
export async function collectSweep(dir: string): Promise<SweepTable> {
  requireNode("collectSweep");
  checkDir(dir, "collectSweep");
  return ((await import(/* @vite-ignore */ COLLECT)) as typeof import("./collect.js")).collectSweep(dir);
}
