import { MLPGFError } from "../errors.js";
import { requireNode, writeFileAtomic } from "../io/atomic.js";
import { type Json, decodeTagged, encodeTagged } from "../io/tagged.js";
import type { MethodName, OdeResumeState } from "../ode/index.js";
import type { BestPoint } from "./objective.js";
import type { SamplerState } from "./trajectory.js";

/** Format marker of checkpoint files. */
export const CHECKPOINT_FORMAT = "mlp-gradient-flow/checkpoint";
const CHECKPOINT_VERSION = 1;

/** The `checkpoint` option of `train`. */
export interface CheckpointOptions {
  /** File to (over)write atomically with the state needed to resume (JSON). Node only. */
  path: string;
  /** Seconds between writes (checked after every step or iteration; 0 = after every one). Default 60. */
  every?: number;
}

/** Where a run stood when the checkpoint was taken. */
export type PhaseState =
  | {
      kind: "ode";
      /** Method of the integration running (the Tsit5 fallback of a stiff method that could not start, or `alg`). */
      method: MethodName;
      fallback: boolean;
      t: number;
      x: Float64Array;
      tEnd: number;
      dtmax: number;
      /** Accepted steps of phase 1 so far. */
      steps: number;
      solver: OdeResumeState;
    }
  | { kind: "discrete"; x: Float64Array; it: number; block: number; rule: Record<string, unknown> | null }
  | { kind: "optim"; iterations: number };

/** Everything a checkpoint holds. */
export interface CheckpointData {
  P: number;
  layers: unknown;
  init: Float64Array;
  /** The options of the run that can be stored (no callbacks or signals); a resumed run uses them as defaults. */
  options: Record<string, unknown>;
  phase: PhaseState;
  best: BestPoint;
  sinceImprovement: number;
  evaluations: { gradient: number; hessian: number };
  t: number;
  sampler: SamplerState;
  /** Seconds since the start of the run (over all its sessions). */
  elapsed: number;
  /** Seconds spent in the current phase. */
  phaseElapsed: number;
  /** Phase 1's outcome, once phase 2 has started. */
  ode: { stoppedBy: string; iterations: number; timeRun: number; x: Float64Array; loss: number; lastT: number } | null;
}

/** Validates the `checkpoint` option. */
export function checkCheckpointOption(c: unknown): { path: string; every: number } {
  if (!c || typeof c !== "object") throw new MLPGFError("VALUE", `train: checkpoint must be { path, every? }, got ${JSON.stringify(c)}`);
  const { path, every } = c as CheckpointOptions;
  if (typeof path !== "string" || path === "") throw new MLPGFError("VALUE", `train: checkpoint.path must be a non-empty string, got ${JSON.stringify(path)}`);
  if (every !== undefined && (typeof every !== "number" || !(every >= 0))) throw new MLPGFError("VALUE", `train: checkpoint.every must be a number of seconds ≥ 0, got ${JSON.stringify(every)}`);
  requireNode("train: the checkpoint option");
  return { path, every: every ?? 60 };
}

/**
 * Takes snapshots of a run when due (every `every` seconds, or forced when the run is aborted) and
 * writes them atomically; snapshots are taken synchronously inside the step callbacks, written later
 * between steps by {@link Checkpointer.flush}.
 */
export class Checkpointer {
  private last = performance.now();
  private pending: CheckpointData | null = null;

  constructor(
    private readonly path: string,
    private readonly every: number,
    private readonly snapshot: (phase: PhaseState, phaseStart: number) => CheckpointData,
  ) {}

  /** Takes a snapshot if one is due (or `force`); `phase` is called only then. */
  offer(phase: () => PhaseState, phaseStart: number, force: boolean): void {
    const now = performance.now();
    if (!force && now - this.last < this.every * 1000) return;
    this.last = now;
    this.pending = this.snapshot(phase(), phaseStart);
  }

  /** Writes the pending snapshot, if any (undefined when there is nothing to write). */
  flush(): Promise<void> | undefined {
    if (!this.pending) return undefined;
    const data = this.pending;
    this.pending = null;
    return writeFileAtomic(this.path, JSON.stringify({ format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, checkpoint: encodeTagged(data) }));
  }
}

/** Reads a checkpoint written by `train`'s `checkpoint` option. @throws MLPGFError `VALUE` if it is not one. */
export async function readCheckpoint(path: unknown): Promise<CheckpointData> {
  if (typeof path !== "string" || path === "") throw new MLPGFError("VALUE", `train: resume must be the path of a checkpoint file, got ${JSON.stringify(path)}`);
  requireNode("train: the resume option");
  const { readFile } = await import("node:fs/promises");
  let doc: Json;
  try {
    doc = JSON.parse(await readFile(path, "utf8")) as Json;
  } catch (e) {
    throw new MLPGFError("VALUE", `train: cannot read the checkpoint ${JSON.stringify(path)} (${(e as Error).message})`);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc) || doc.format !== CHECKPOINT_FORMAT || doc.version !== CHECKPOINT_VERSION) {
    throw new MLPGFError("VALUE", `train: ${JSON.stringify(path)} is not a checkpoint (format "${CHECKPOINT_FORMAT}", version ${CHECKPOINT_VERSION})`);
  }
  const data = decodeTagged(doc.checkpoint ?? null, "checkpoint") as CheckpointData;
  if (!data || !(data.init instanceof Float64Array) || !data.phase || !data.sampler) throw new MLPGFError("VALUE", `train: the checkpoint ${JSON.stringify(path)} is incomplete`);
  return data;
}

/** The options worth storing in a checkpoint: plain data only (no callbacks, signals, checkpoint or resume). */
export function storableOptions(opts: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts)) {
    if (v === undefined || typeof v === "function" || k === "signal" || k === "checkpoint" || k === "resume") continue;
    out[k] = ArrayBuffer.isView(v) ? Float64Array.from(v as unknown as ArrayLike<number>) : v;
  }
  return out;
}
