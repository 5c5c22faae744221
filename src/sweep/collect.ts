import { join } from "node:path";
import { loadResult } from "../io/file.js";
import type { Cell } from "./csv.js";
import { findResult, listRuns, sweepLayout } from "./layout.js";
import { loadPlan } from "./sweepfile.js";
import type { SweepRecord } from "./runner.js";

/** The collected results of a sweep: one row per planned run, cells in the order of `columns`. */
export interface SweepTable {
  /**
   * `id`, one column per grid path (named by the path), then the result columns `status`, `loss`,
   * `gnorm`, `converged`, `ode_stop`, `optim_stop`, `eig_min`, `eig_max`, `kind`, `seconds`, `error`.
   */
  columns: string[];
  rows: Cell[][];
}

/**
 * The result columns of a sweep table: status (done / failed / pending / unreadable), final loss and
 * gradient ∞-norm, whether the run converged, why each phase stopped (its stop kind, e.g.
 * `maxiterations`; empty for a skipped phase), the smallest and largest Hessian eigenvalue at the
 * result, the endpoint class (`kind` of the stored `endpoint`; empty when P > 2000 or the run
 * failed), wall-clock seconds of the run, and the error of a failed run.
 */
export const RESULT_COLUMNS = [
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
] as const;

/** Files read at once by {@link collectSweep}. */
const READ_CONCURRENCY = 32;

/**
 * Reads every result of the sweep in `dir` into one table: a row per run of the plan (pending runs
 * have empty result cells; a file that does not load has status "unreadable" and its error), grid values as written (objects and arrays as JSON text). Numbers are the
 * stored doubles; written with {@link toCsv} they read back bitwise.
 */
export async function collectSweep(dir: string): Promise<SweepTable> {
  const layout = sweepLayout(dir);
  const plan = loadPlan(layout);
  const names = listRuns(layout);
  const rows: Cell[][] = new Array(plan.runs.length);
  let next = 0;
  const work = async () => {
    while (next < plan.runs.length) {
      const r = plan.runs[next++];
      const found = findResult(names, r.id);
      let cells: Cell[];
      try {
        cells = resultCells(found.state, found.name ? ((await loadResult(join(layout.runs, found.name))) as SweepRecord) : null);
      } catch (e) {
        // a file that does not load (damaged outside the runner: its writes are atomic) is a row saying so
        cells = [...resultCells("unreadable", null).slice(0, -1), `${(e as { code?: string }).code ?? "ERROR"}: ${(e as Error).message}`];
      }
      rows[r.index] = [r.id, ...plan.paths.map((p) => gridCell(r.point[p])), ...cells];
    }
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, work));
  return { columns: ["id", ...plan.paths, ...RESULT_COLUMNS], rows };
}

function gridCell(v: unknown): Cell {
  return typeof v === "number" || typeof v === "string" || typeof v === "boolean" ? v : JSON.stringify(v);
}

/** The {@link RESULT_COLUMNS} cells of one run. */
function resultCells(state: string, rec: SweepRecord | null): Cell[] {
  if (!rec) return [state, null, null, null, null, null, null, null, null, null, null];
  const ev = rec.hessianEigenvalues;
  const failed = state === "failed";
  const kind = rec.endpoint?.kind ?? null;
  return [
    state,
    failed ? null : rec.loss,
    failed ? null : rec.gnorm,
    failed ? null : rec.converged,
    rec.odeStop?.kind ?? null,
    rec.optimStop?.kind ?? null,
    ev?.length ? ev[0] : null,
    ev?.length ? ev[ev.length - 1] : null,
    kind,
    rec.sweep?.seconds ?? null,
    rec.error ? `${rec.error.code}: ${rec.error.message}` : null,
  ];
}
