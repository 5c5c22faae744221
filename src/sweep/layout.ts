import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * The files of a sweep directory:
 *
 * - `sweep.json` — the sweep spec (data path absolute), written by the first runner;
 * - `runs/<id>.json` (or `.npz`) — the result of a completed run; `runs/<id>.failed.json` (or `.npz`)
 *   — a run that threw (its error inside); both written atomically;
 * - `claims/<id>.<generation>` — a run being worked on (see claim.ts);
 * - `logs/` — one event log per runner process, and the Slurm task logs.
 */
export interface SweepLayout {
  dir: string;
  spec: string;
  runs: string;
  claims: string;
  logs: string;
}

/** Result file formats of a sweep. */
export type SweepFormat = "json" | "npz";

/** The state of one run as its result files say. */
export type RunFileState = "done" | "failed" | "pending";

/** Paths of the sweep directory `dir`. */
export function sweepLayout(dir: string): SweepLayout {
  return { dir, spec: join(dir, "sweep.json"), runs: join(dir, "runs"), claims: join(dir, "claims"), logs: join(dir, "logs") };
}

/** Path of the result file of run `id` for a completed (`done`) or failed run. */
export function resultPath(layout: SweepLayout, id: string, state: "done" | "failed", format: SweepFormat): string {
  return join(layout.runs, `${id}${state === "failed" ? ".failed" : ""}.${format}`);
}

/** The result file of `id` found in a listing of `runs/` (a done file wins over a failed one). */
export function findResult(names: ReadonlySet<string>, id: string): { state: RunFileState; name?: string } {
  for (const ext of ["json", "npz"]) if (names.has(`${id}.${ext}`)) return { state: "done", name: `${id}.${ext}` };
  for (const ext of ["json", "npz"]) if (names.has(`${id}.failed.${ext}`)) return { state: "failed", name: `${id}.failed.${ext}` };
  return { state: "pending" };
}

/** The names in `runs/` (an empty set when it does not exist yet). */
export function listRuns(layout: SweepLayout): Set<string> {
  if (!existsSync(layout.runs)) return new Set();
  return new Set(readdirSync(layout.runs).filter((n) => !n.startsWith(".")));
}

/** The state of `id` read from the file system now (for the re-check after a claim). */
export function currentState(layout: SweepLayout, id: string): RunFileState {
  const names = new Set<string>();
  for (const ext of ["json", "npz"])
    for (const n of [`${id}.${ext}`, `${id}.failed.${ext}`]) if (existsSync(join(layout.runs, n))) names.add(n);
  return findResult(names, id).state;
}

/**
 * Removes temporary files (`.name….tmp`) that a killed writer left in `runs/` and `claims/`, when
 * older than `maxAgeMs` (a live writer renames or links its file within moments). They are never read:
 * every listing skips names starting with a dot.
 */
export function removeStaleTempFiles(layout: SweepLayout, maxAgeMs: number, now = Date.now()): number {
  let removed = 0;
  for (const dir of [layout.runs, layout.claims]) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      if (!n.startsWith(".") || !n.endsWith(".tmp")) continue;
      const p = join(dir, n);
      try {
        if (now - statSync(p).mtimeMs > maxAgeMs) {
          rmSync(p, { force: true });
          removed++;
        }
      } catch {
        // removed meanwhile
      }
    }
  }
  return removed;
}
