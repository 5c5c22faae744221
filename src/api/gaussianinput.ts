import { MLPGFError } from "../errors.js";
import { parseOptions } from "../options/parse.js";
import { integer, strict } from "../options/schema.js";
import * as v from "../vendor/valibot.js";
import { type Matrix, allocF64, describe, matrix } from "./matrix.js";
import { Random } from "./random.js";

const GaussianInputOptionsSchema = strict({
  /** Seed of the generator (an integer); the same seed gives the same samples on every machine. Default 1. */
  seed: v.optional(integer),
});

/** Most values (n·d) of one input matrix: 4 GiB of WASM memory holds 2²⁹ float64 values. */
const MAX_VALUES = 2 ** 29;

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
  // a network's input lives in the 4 GiB WASM memory: more values than it holds are no input for it
  // (the check comes before the allocation: 10⁹ × 2 samples took 16 GB of the JS heap)
  if (n * d > MAX_VALUES)
    throw new MLPGFError("MEMORY", `gaussianInput: ${n} × ${d} = ${n * d} values do not fit: the WASM memory (4 GiB) holds 2^29`);
  const r = new Random(seed);
  const data = allocF64(n * d, "gaussianInput");
  for (let i = 0; i < data.length; i++) data[i] = r.normal();
  return matrix(n, d, data);
}
