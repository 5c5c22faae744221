import { createHash } from "node:crypto";
import { canonicalJson } from "./spec.js";

/** Hex digits of the grid-point hash in a run id. */
const HASH_DIGITS = 8;
/** Fewest digits of the run index in a run id (more when the sweep has more runs). */
const MIN_INDEX_DIGITS = 4;

/**
 * The id of a run: its index in the plan, zero-padded (so ids sort in plan order), a dash, and the
 * first 8 hex digits of the SHA-256 of the canonical JSON of its grid point (keys sorted), e.g.
 * `0007-3fa9c2e1`. The same on every machine and every rerun of the same sweep; the hash makes a
 * result file tell which values it was run with even if the grid is edited.
 *
 * @param index - position of the run in the plan (0-based).
 * @param point - `{ path: value }` of the run.
 * @param count - number of runs of the sweep (sets the padding).
 */
export function runId(index: number, point: Record<string, unknown>, count: number): string {
  const digits = Math.max(MIN_INDEX_DIGITS, String(Math.max(0, count - 1)).length);
  const hash = createHash("sha256").update(canonicalJson(point)).digest("hex").slice(0, HASH_DIGITS);
  return `${String(index).padStart(digits, "0")}-${hash}`;
}
