import type { PlanOptions } from "../sweep/plan.js";
import type { RunSweepOptions, SweepProgress } from "../sweep/runner.js";
import * as v from "../vendor/valibot.js";
import { abortSignal, bool, filePath, fn, index, nonNegative, oneOf, positive, positiveInt, type SameKeys, strict } from "./schema.js";

/** Schema of {@link PlanOptions} (the second argument of `planSweep`). */
export const PlanOptionsSchema = strict({
  /** Directory that relative data paths refer to. */
  baseDir: v.optional(filePath),
});

/** Schema of {@link RunSweepOptions} (the third argument of `runSweep`); `shard.index < shard.count` is checked by the runner. */
export const RunSweepOptionsSchema = strict({
  workers: v.optional(positiveInt),
  shard: v.optional(strict({ index, count: positiveInt })),
  signal: v.optional(abortSignal),
  onProgress: v.optional(fn<(p: SweepProgress) => void>()),
  retryFailed: v.optional(bool),
  format: v.optional(oneOf(["json", "npz"] as const)),
  baseDir: v.optional(filePath),
  staleAfterMs: v.optional(nonNegative),
  heartbeatMs: v.optional(positive),
  workerUrl: v.optional(v.custom<URL>((u) => u instanceof URL, "a URL")),
});

const sameKeys: [
  SameKeys<PlanOptions, v.InferInput<typeof PlanOptionsSchema>>,
  SameKeys<RunSweepOptions, v.InferInput<typeof RunSweepOptionsSchema>>,
] = [true, true];
void sameKeys;
