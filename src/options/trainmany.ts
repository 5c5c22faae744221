import * as v from "../vendor/valibot.js";
import { positiveInt, strict } from "./schema.js";

/** Schema of {@link TrainManyOptions} (the fourth argument of `trainMany`). */
export const TrainManyOptionsSchema = strict({
  /** Number of workers. Default: min(number of starts, available parallelism). */
  workers: v.optional(positiveInt),
  /** @internal Location of the worker script (default: `worker.js` next to this module). */
  workerUrl: v.optional(v.custom<URL>((u) => u instanceof URL, "a URL")),
});

/** Options of `trainMany` (its fourth argument). */
export type TrainManyOptions = v.InferOutput<typeof TrainManyOptionsSchema>;
