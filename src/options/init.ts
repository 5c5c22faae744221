import * as v from "../vendor/valibot.js";
import { num, strict } from "./schema.js";

/** Most threads per evaluation accepted by `init`. */
export const MAX_THREADS = 256;

/** Schema of the options of `init` (`InitOptions` in src/engine/init.ts documents them). */
export const InitOptionsSchema = strict({
  /** Threads per evaluation: an integer in 1..256, or "auto" (every core). */
  threads: v.optional(
    v.union(
      [num(`an integer in 1..${MAX_THREADS}`, (n) => Number.isInteger(n) && n >= 1 && n <= MAX_THREADS), v.literal("auto")],
      `an integer in 1..${MAX_THREADS} or "auto"`,
    ),
  ),
  /** @internal The worker script of the evaluation threads. */
  workerUrl: v.optional(v.custom<URL>((u) => u instanceof URL, "a URL")),
});
