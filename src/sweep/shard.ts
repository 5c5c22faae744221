import { show } from "../util/show.js";
import { MLPGFError } from "../errors.js";

/** Shard `index` of `count` (0-based): the runs whose plan index is `index` modulo `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses "I/N" (0 ≤ I < N); throws `MLPGFError("OPTION")` otherwise. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const shard = m ? { index: Number(m[1]), count: Number(m[2]) } : null;
  if (!shard || shard.count < 1 || shard.index >= shard.count)
    throw new MLPGFError("OPTION", `--shard: expected I/N with 0 ≤ I < N (e.g. 0/4), got ${show(text)}`);
  return shard;
}

/** True when the run with plan index `i` belongs to `shard` (every run when there is no shard). */
export function inShard(i: number, shard: Shard | undefined): boolean {
  if (!shard) return true;
  if (
    !Number.isInteger(shard.index) ||
    !Number.isInteger(shard.count) ||
    shard.count < 1 ||
    shard.index < 0 ||
    shard.index >= shard.count
  ) {
    throw new MLPGFError("OPTION", `runSweep: shard must be { index, count } with 0 ≤ index < count, got ${show(shard)}`);
  }
  return i % shard.count === shard.index;
}
