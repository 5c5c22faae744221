import { appendFileSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { MLPGFError } from "../errors.js";
import { loadEngine, wasmModule } from "../engine/kernels.js";
import { saveResult } from "../io/file.js";
import { failedResult } from "../train/many.js";
import type { RunRecord } from "../cli/resultfile.js";
import { ClaimBook, currentOwner, DEFAULT_HEARTBEAT_MS, DEFAULT_STALE_AFTER_MS, removeFinishedClaims } from "./claim.js";
import {
  currentState,
  findResult,
  listRuns,
  removeStaleTempFiles,
  resultPath,
  type SweepFormat,
  sweepLayout,
  type SweepLayout,
} from "./layout.js";
import { absoluteSpec, planSweep, type SweepRun } from "./plan.js";
import { type Shard, inShard } from "./shard.js";
import type { SweepSpec } from "./spec.js";
import { storeSpec } from "./sweepfile.js";
import type { FromSweepWorker, ToSweepWorker } from "./workerprotocol.js";

/** What a sweep result file holds besides the run record: where the run sits in the sweep. */
export interface SweepRunInfo {
  id: string;
  index: number;
  point: Record<string, unknown>;
  status: "done" | "failed";
  /** Wall-clock seconds of the run in its worker (build, train, spectrum). */
  seconds: number;
  host: string;
  pid: number;
}

/** A sweep result file: the `mlpgf train` record plus {@link SweepRunInfo} under `sweep`. */
export interface SweepRecord extends RunRecord {
  sweep: SweepRunInfo;
}

/** Run counts of a shard. */
export interface SweepCounts {
  /** Runs in the shard. */
  total: number;
  done: number;
  failed: number;
  /** Running in this process now. */
  running: number;
  /** Neither done nor failed (running ones included). */
  pending: number;
}

/** What `onProgress` of {@link runSweep} receives. */
export interface SweepProgress {
  event: "start" | "done" | "failed";
  id: string;
  index: number;
  point: Record<string, unknown>;
  /** Seconds of the run (done and failed). */
  seconds?: number;
  /** Final loss (done). */
  loss?: number;
  /** The error (failed). */
  error?: { code: string; message: string };
  counts: SweepCounts;
}

/** Options of {@link runSweep}. */
export interface RunSweepOptions {
  /** Worker threads (each runs one training at a time, single-threaded). Default: every core. */
  workers?: number;
  /** Only the runs with `index % count === index` of the shard. Default: all runs. */
  shard?: Shard;
  /** Aborting stops cleanly: running trainings are abandoned (not recorded), claims released. */
  signal?: AbortSignal;
  /** Called when a run starts, completes or fails. */
  onProgress?: (p: SweepProgress) => void;
  /** Run again the runs recorded as failed. Default false. */
  retryFailed?: boolean;
  /** Result file format. Default "json". */
  format?: SweepFormat;
  /** Directory that relative data paths of the spec refer to. Default: the current directory. */
  baseDir?: string;
  /** Age (ms) after which another host's claim without heartbeat counts as stale. Default 120 000. */
  staleAfterMs?: number;
  /** Interval (ms) of this runner's heartbeat on its claims. Default 10 000. */
  heartbeatMs?: number;
  /** @internal Location of the worker script (default: `worker.js` next to this module). */
  workerUrl?: URL;
}

/** What {@link runSweep} returns: the shard's counts after the call. */
export interface SweepRunSummary extends SweepCounts {
  /** Runs this call trained (done or failed). */
  ran: number;
  /** Runs held by another live runner (they finish them). */
  elsewhere: number;
  /** True when the signal stopped the runner before the shard was complete. */
  interrupted: boolean;
}

/**
 * Runs the runs of a sweep (or of one shard) that are not complete in `dir`, on worker threads, each
 * result written atomically to `dir/runs/<id>.json` (or `.npz`) with its config and status. Safe to
 * call again (it resumes: a completed run is never redone, one whose runner died is redone, a failed
 * one only with `retryFailed`) and to run in several processes on one directory, also on several
 * nodes of a shared file system (see claim.ts for the protocol). The first call writes the spec to
 * `dir/sweep.json`; a later call with a different spec throws `MLPGFError("OPTION")`.
 *
 * @param spec - a `mlpgf train` config plus `grid` (see {@link planSweep}).
 * @param dir - the sweep directory (created if missing).
 * @example
 * ```ts
 * const spec = { ...config, grid: { "student.seed": [1, 2, 3, 4] } };
 * const summary = await runSweep(spec, "out/sweep1", { workers: 2 });
 * const table = await collectSweep("out/sweep1");
 * ```
 */
export async function runSweep(spec: SweepSpec, dir: string, opts: RunSweepOptions = {}): Promise<SweepRunSummary> {
  const baseDir = opts.baseDir ?? process.cwd();
  const plan = planSweep(spec, { baseDir });
  // opts were checked by the caller: the API's RunSweepOptionsSchema, or the command line's parsers
  const format = opts.format ?? "json";
  const workers = opts.workers ?? availableParallelism();
  const layout = sweepLayout(dir);
  await storeSpec(layout, absoluteSpec(spec, baseDir));
  const mine = plan.runs.filter((r) => inShard(r.index, opts.shard));
  const names = listRuns(layout);
  // leftovers of killed runners: temporary files, and claims of runs whose result was written
  const staleAfter = opts.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const temp = removeStaleTempFiles(layout, staleAfter);
  const claims = removeFinishedClaims(layout, (id) => findResult(names, id).state !== "pending", staleAfter);
  const cleanup = temp + claims ? `; removed ${temp} temporary files and ${claims} claims left by killed runners` : "";
  const counts: SweepCounts = { total: mine.length, done: 0, failed: 0, running: 0, pending: 0 };
  const todo: SweepRun[] = [];
  for (const r of mine) {
    const s = findResult(names, r.id).state;
    if (s === "done") counts.done++;
    else if (s === "failed" && !opts.retryFailed) counts.failed++;
    else todo.push(r);
  }
  counts.pending = todo.length;
  const summary = { ran: 0, elsewhere: 0, interrupted: false };
  if (todo.length === 0 || opts.signal?.aborted) return { ...counts, ...summary, interrupted: todo.length > 0 };
  await loadEngine();
  const runner = new Runner(layout, todo, counts, format, opts, cleanup);
  try {
    await runner.run(Math.min(workers, todo.length));
  } finally {
    runner.stop();
  }
  return {
    ...counts,
    ran: runner.ran,
    elsewhere: runner.elsewhere,
    interrupted: !!opts.signal?.aborted && counts.pending > runner.elsewhere,
  };
}

/** One runner process: a claim book, a pool of worker threads and the queue of its shard. */
class Runner {
  ran = 0;
  elsewhere = 0;
  private next = 0;
  private readonly book: ClaimBook;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly logFile: string;
  private readonly threads: Worker[] = [];

  constructor(
    private readonly layout: SweepLayout,
    private readonly todo: SweepRun[],
    private readonly counts: SweepCounts,
    private readonly format: SweepFormat,
    private readonly opts: RunSweepOptions,
    cleanup: string,
  ) {
    this.book = new ClaimBook(layout, currentOwner(), opts.staleAfterMs ?? DEFAULT_STALE_AFTER_MS);
    this.heartbeat = setInterval(() => this.book.beat(), opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
    this.heartbeat.unref();
    this.logFile = join(layout.logs, `runner-${this.book.owner.host}-${process.pid}.log`);
    this.log("begin", `${todo.length} runs to do${cleanup}`);
  }

  /** Appends one line to this runner's event log (logs/runner-<host>-<pid>.log). */
  private log(event: string, what: string): void {
    appendFileSync(this.logFile, `${new Date().toISOString()} ${event} ${what}\n`);
  }

  /** The next run of the queue this process could claim (not complete, not held by a live runner). */
  private claimNext(): SweepRun | null {
    while (this.next < this.todo.length && !this.opts.signal?.aborted) {
      const r = this.todo[this.next++];
      if (!this.book.acquire(r.id)) {
        this.elsewhere++;
        continue;
      }
      const s = currentState(this.layout, r.id);
      if (s === "done" || (s === "failed" && !this.opts.retryFailed)) {
        this.book.release(r.id);
        this.counts.pending--;
        this.counts[s]++;
        continue;
      }
      return r;
    }
    return null;
  }

  /** Runs the queue on `n` worker threads; resolves when it is empty or the signal aborted. */
  async run(n: number): Promise<void> {
    const wasm = wasmModule();
    const url = this.opts.workerUrl ?? new URL(WORKER_SCRIPT, import.meta.url);
    const onAbort = () => this.threads.forEach((w) => w.postMessage({ type: "abort" } satisfies ToSweepWorker));
    this.opts.signal?.addEventListener("abort", onAbort);
    try {
      await Promise.all(Array.from({ length: n }, () => this.slot(url, wasm)));
    } finally {
      this.opts.signal?.removeEventListener("abort", onAbort);
    }
  }

  /** One worker thread taking runs until none is left; a thread that dies fails its run and is replaced. */
  private async slot(url: URL, wasm: WebAssembly.Module): Promise<void> {
    let w: Worker | null = null;
    let current: Worker | null = null;
    let pending: ((m: FromSweepWorker) => void) | null = null;
    const spawn = async (): Promise<Worker> => {
      const t = new Worker(url);
      current = t;
      this.threads.push(t);
      const deliver = (m: FromSweepWorker) => {
        if (current === t) pending?.(m);
      };
      t.on("message", deliver);
      t.on("error", (e) =>
        deliver({ type: "failed", id: "", error: { code: "WORKER", message: `a worker thread failed: ${e.message}` }, seconds: NaN }),
      );
      t.on("exit", (code) =>
        deliver({ type: "failed", id: "", error: { code: "WORKER", message: `a worker thread exited with code ${code}` }, seconds: NaN }),
      );
      const ready = await new Promise<FromSweepWorker>((res) => {
        pending = res;
        t.postMessage({ type: "init", wasm } satisfies ToSweepWorker);
      });
      if (ready.type !== "ready" || ready.error)
        throw new MLPGFError(
          "WORKER",
          `runSweep: a worker thread could not start: ${ready.type === "ready" ? ready.error?.message : ready.type === "failed" ? ready.error.message : ready.type}`,
        );
      return t;
    };
    try {
      for (let r = this.claimNext(); r; r = this.claimNext()) {
        w ??= await spawn();
        this.counts.running++;
        this.log("start", r.id);
        this.opts.onProgress?.({ event: "start", id: r.id, index: r.index, point: r.point, counts: { ...this.counts } });
        const m = await new Promise<FromSweepWorker>((res) => {
          pending = res;
          w!.postMessage({ type: "run", id: r!.id, config: r!.config } satisfies ToSweepWorker);
        });
        pending = null;
        this.counts.running--;
        if (m.type === "failed" && m.error.code === "WORKER") {
          const dead = w;
          w = current = null;
          this.threads.splice(this.threads.indexOf(dead), 1);
          await dead.terminate();
        }
        await this.finish(r, m);
      }
    } finally {
      pending = current = null;
      if (w) {
        this.threads.splice(this.threads.indexOf(w), 1);
        await w.terminate();
      }
    }
  }

  /** Records the outcome of run `r` (unless it was aborted or taken over) and releases its claim. */
  private async finish(r: SweepRun, m: FromSweepWorker): Promise<void> {
    try {
      if (m.type === "aborted" || (this.opts.signal?.aborted && m.type !== "result")) {
        this.log("aborted", r.id);
        return;
      }
      if (m.type !== "result" && m.type !== "failed") return;
      if (!this.book.owns(r.id)) {
        this.log("lost", `${r.id} (claim taken over by another runner; result dropped)`);
        return;
      }
      const status = m.type === "result" ? "done" : "failed";
      const info: SweepRunInfo = {
        id: r.id,
        index: r.index,
        point: r.point,
        status,
        seconds: m.seconds,
        host: this.book.owner.host,
        pid: process.pid,
      };
      const record: SweepRecord =
        m.type === "result"
          ? { ...m.record, sweep: info }
          : { ...failedResult([], m.error), config: r.config, interrupted: false, sweep: info };
      await saveResult(resultPath(this.layout, r.id, status, this.format), record, { format: this.format });
      if (status === "done") for (const f of ["json", "npz"] as const) rmSync(resultPath(this.layout, r.id, "failed", f), { force: true });
      this.ran++;
      this.counts.pending--;
      this.counts[status]++;
      this.log(status, `${r.id} ${m.seconds}`);
      this.opts.onProgress?.({
        event: status,
        id: r.id,
        index: r.index,
        point: r.point,
        seconds: m.seconds,
        ...(m.type === "result" ? { loss: m.record.loss } : { error: m.error }),
        counts: { ...this.counts },
      });
    } finally {
      this.book.release(r.id);
    }
  }

  /** Stops the heartbeat and releases whatever is still held. */
  stop(): void {
    clearInterval(this.heartbeat);
    for (const id of this.book.ids) this.book.release(id);
    this.log("end", `ran ${this.ran}`);
  }
}

/** The worker script, next to this module (a variable, so bundlers leave it alone: Node only). */
const WORKER_SCRIPT = "./worker.js";
