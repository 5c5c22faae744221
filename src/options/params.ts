import * as v from "../vendor/valibot.js";
import { integer, oneOf, strict } from "./schema.js";

/** Schema of {@link RandomParamsOptions}. */
export const RandomParamsOptionsSchema = strict({
  /** Seed of the generator (same seed, same parameters). Default: random. */
  seed: v.optional(integer),
  /** `"glorot_normal"` (default): N(0, 2/(in+out)); `"glorot_uniform"`: U(±√(6/(in+out))). Biases are 0. */
  distribution: v.optional(oneOf(["glorot_normal", "glorot_uniform"] as const)),
});

/** Options of `randomParams`. */
export type RandomParamsOptions = v.InferOutput<typeof RandomParamsOptionsSchema>;
