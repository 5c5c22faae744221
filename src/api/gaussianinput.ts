import { MLPGFError } from "../errors.js";
import { parseOptions } from "../options/parse.js";
import { integer, strict } from "../options/schema.js";
import * as v from "../vendor/valibot.js";
import { type Matrix, describe, matrix } from "./matrix.js";
import { Random } from "./random.js";

const GaussianInputOptionsSchema = strict({
  /** Seed of the generator (an integer); the same seed gives the same samples on every machine. Default 1. */
  seed: v.optional(integer),
});

/** Options of {@link gaussianInput}: `seed` (an integer; the same seed gives the same samples on every machine; default 1). */
export type GaussianInputOptions = v.InferInput<typeof GaussianInputOptionsSchema>;

/**
 * `n` samples x ~ N(0, I_d) as an n × d {@link Matrix} (one sample per row): the inputs of a
 * teacher–student problem on finite data. Reproducible across platforms for a given seed
 * (xoshiro128** and Box–Muller, the generator of `randomParams`).
 *
 * @example
 * ```ts
 * const input = gaussianInput(1000, 2, { seed: 7 }); // 1000 × 2
 * ```
 */
export function gaussianInput(n: number, d: number, opts?: GaussianInputOptions): Matrix {
  const count = (value: unknown, name: string, min: number): void => {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
      throw new MLPGFError("VALUE", `gaussianInput: ${name} must be an integer ≥ ${min}, got ${describe(value)}`);
    }
  };
  count(n, "n (samples)", 0);
  count(d, "d (input dimension)", 1);
  const seed = parseOptions(GaussianInputOptionsSchema, opts, "gaussianInput").seed ?? 1;
  if (n * d > 2 ** 31) throw new MLPGFError("MEMORY", `gaussianInput: ${n} × ${d} samples do not fit in memory`);
  const r = new Random(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = r.normal();
  return matrix(n, d, data);
}
