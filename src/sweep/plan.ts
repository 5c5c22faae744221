import { show } from "../util/show.js";
import { isAbsolute, resolve } from "node:path";
import { MLPGFError } from "../errors.js";
import { type Config, parseConfig } from "../cli/config.js";
import { UsageError } from "../cli/usererror.js";
import { runId } from "./runid.js";
import { type GridValue, type SweepSpec, setPath, splitSpec } from "./spec.js";

/** One run of a sweep. */
export interface SweepRun {
  /** Position in the plan (0-based); shard I of N takes the runs with `index % N === I`. */
  index: number;
  /** Deterministic id (the zero-padded index in the plan, a dash and 8 hex digits of the SHA-256 of the grid point, e.g. `0007-3fa9c2e1`), also the result file name. */
  id: string;
  /** `{ path: value }` of this run, in grid order. */
  point: Record<string, GridValue>;
  /** The run's full `mlpgf train` config (a file data path made absolute), valid by the config schema. */
  config: Config;
}

/** The expanded sweep: grid paths and every run. */
export interface SweepPlan {
  /** Grid paths in file order (the table's parameter columns). */
  paths: string[];
  /** Runs in plan order: the Cartesian product, first path slowest. */
  runs: SweepRun[];
}

/** Options of {@link planSweep}. */
export interface PlanOptions {
  /** Directory that relative data paths refer to (the sweep file's folder). Default: the current directory. */
  baseDir?: string;
}

/**
 * Expands a sweep spec into its runs: the base config with every combination of grid values set,
 * each validated with the `mlpgf train` config schema and given a deterministic id. Throws
 * `MLPGFError("OPTION")` with a one-line message naming the grid path and value (or the config
 * field) at fault, before anything runs.
 */
export function planSweep(spec: SweepSpec, opts: PlanOptions = {}): SweepPlan {
  const { base, paths, values } = splitSpec(spec);
  const baseDir = opts.baseDir ?? process.cwd();
  const count = values.reduce((n, list) => n * list.length, 1);
  const runs: SweepRun[] = [];
  const choice = paths.map(() => 0);
  for (let index = 0; index < count; index++) {
    const config = structuredClone(base);
    const point: Record<string, GridValue> = {};
    paths.forEach((p, k) => {
      point[p] = values[k][choice[k]];
      setPath(config, p, point[p]);
    });
    const id = runId(index, point, count);
    try {
      parseConfig(config, "config");
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      const where = paths.length ? ` (${paths.map((p) => `${p} = ${show(point[p])}`).join(", ")})` : "";
      throw new MLPGFError("OPTION", `sweep: run ${id}${where}: ${e.message.replace(/^config: /, "")}`);
    }
    runs.push({ index, id, point, config: absoluteData(config as Config, baseDir) });
    for (let k = paths.length - 1; k >= 0; k--) {
      if (++choice[k] < values[k].length) break;
      choice[k] = 0;
    }
  }
  return { paths, runs };
}

/** The spec with a file data path made absolute (so it works from the sweep directory too). */
export function absoluteSpec(spec: SweepSpec, baseDir: string): SweepSpec {
  const data = spec.data as { kind?: unknown; path?: unknown } | undefined;
  if (data?.kind !== "file" || typeof data.path !== "string" || isAbsolute(data.path)) return spec;
  return { ...spec, data: { ...data, path: resolve(baseDir, data.path) } };
}

function absoluteData(config: Config, baseDir: string): Config {
  if (config.data.kind !== "file" || isAbsolute(config.data.path)) return config;
  return { ...config, data: { ...config.data, path: resolve(baseDir, config.data.path) } };
}
