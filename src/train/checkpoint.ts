import { MLPGFError } from "../errors.js";
import { requireNode, writeFileAtomic } from "../io/atomic.js";
import { MAX_JSON_BYTES } from "../io/json.js";
import { ioReason, readRegularFile } from "../io/readfile.js";
import { type Json, decodeTagged, encodeTagged } from "../io/tagged.js";
import { show } from "../util/show.js";
import type { MethodName, OdeResumeState } from "../ode/index.js";
import { stopFromV1 } from "../io/resultversion.js";
import type { CheckpointOptions, StoredTrainOptions } from "../options/train.js";
import type { TrainEvaluations } from "./progressinfo.js";
import type { TrainStop } from "./stop.js";
import type { BestPoint } from "./objective.js";
import type { SamplerState } from "./trajectory.js";

/** Format marker of checkpoint files. */
export const CHECKPOINT_FORMAT = "mlp-gradient-flow/checkpoint";
/**
 * Version of the checkpoint layout. 2: stop kinds (`ode.stop`) and loss evaluation counts; version 1
 * (`ode.stoppedBy` strings, no loss count) is still read.
 */
const CHECKPOINT_VERSION = 2;

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
  options: StoredTrainOptions;
  phase: PhaseState;
  best: BestPoint;
  sinceImprovement: number;
  evaluations: TrainEvaluations;
  t: number;
  sampler: SamplerState;
  /** Seconds since the start of the run (over all its sessions). */
  elapsed: number;
  /** Seconds spent in the current phase. */
  phaseElapsed: number;
  /** Phase 1's outcome, once phase 2 has started. */
  ode: { stop: TrainStop | null; iterations: number; timeRun: number; x: Float64Array; loss: number; lastT: number } | null;
}

/** The `checkpoint` option (checked by its schema) with its default; Node only. */
export function checkpointTarget(c: CheckpointOptions): { path: string; every: number } {
  requireNode("train: the checkpoint option");
  return { path: c.path, every: c.every ?? 60 };
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
    const path = this.path;
    return writeFileAtomic(
      path,
      JSON.stringify({ format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, checkpoint: encodeTagged(data) }),
    ).catch((e: unknown) => {
      throw new MLPGFError("IO", `train: cannot write the checkpoint ${show(path)} (${ioReason(e)})`, { cause: e });
    });
  }
}

/**
 * Reads a checkpoint written by `train`'s `checkpoint` option (this version or version 1).
 * @throws MLPGFError `IO` if the file cannot be read, `FORMAT` if it is not a checkpoint.
 */
export async function readCheckpoint(path: string): Promise<CheckpointData> {
  requireNode("train: the resume option");
  const bytes = await readRegularFile(path, MAX_JSON_BYTES, "train: the checkpoint to resume");
  let doc: Json;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes)) as Json;
  } catch (e) {
    throw new MLPGFError("FORMAT", `train: cannot read the checkpoint ${JSON.stringify(path)} (${(e as Error).message})`, { cause: e });
  }
  if (
    !doc ||
    typeof doc !== "object" ||
    Array.isArray(doc) ||
    doc.format !== CHECKPOINT_FORMAT ||
    (doc.version !== 1 && doc.version !== CHECKPOINT_VERSION)
  ) {
    throw new MLPGFError(
      "FORMAT",
      `train: ${JSON.stringify(path)} is not a checkpoint (format "${CHECKPOINT_FORMAT}", version 1..${CHECKPOINT_VERSION})`,
    );
  }
  const data = decodeTagged(doc.checkpoint ?? null, "checkpoint") as CheckpointData;
  if (!data || !(data.init instanceof Float64Array) || !data.phase || !data.sampler)
    throw new MLPGFError("FORMAT", `train: the checkpoint ${JSON.stringify(path)} is incomplete`);
  if (doc.version === 1) {
    data.evaluations = { ...data.evaluations, loss: data.evaluations.gradient };
    if (data.ode) {
      const { stoppedBy, ...rest } = data.ode as typeof data.ode & { stoppedBy?: unknown };
      data.ode = { ...rest, stop: stopFromV1(stoppedBy) };
    }
  }
  return data;
}
