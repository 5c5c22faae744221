import { MLPGFError } from "../errors.js";
import { type Matrix, describe, matrix } from "./matrix.js";
import { Random } from "./random.js";

/** Options of {@link gaussianInput}. */
export interface GaussianInputOptions {
  /** Seed of the generator (an integer); the same seed gives the same samples on every machine. Default 1. */
  seed?: number;
}

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
export function gaussianInput(n: number, d: number, opts: GaussianInputOptions = {}): Matrix {
  const count = (v: unknown, name: string, min: number): number => {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) {
      throw new MLPGFError("VALUE", `gaussianInput: ${name} must be an integer ≥ ${min}, got ${describe(v)}`);
    }
    return v;
  };
  count(n, "n (samples)", 0);
  count(d, "d (input dimension)", 1);
  if (opts === null || typeof opts !== "object") throw new MLPGFError("OPTION", `gaussianInput: options must be an object { seed? }, got ${describe(opts)}`);
  for (const key of Object.keys(opts)) {
    if (key !== "seed") throw new MLPGFError("OPTION", `gaussianInput: unknown option ${JSON.stringify(key)}; the only option is "seed"`);
  }
  const seed = opts.seed === undefined ? 1 : count(opts.seed, "seed", Number.MIN_SAFE_INTEGER);
  if (n * d > 2 ** 31) throw new MLPGFError("MEMORY", `gaussianInput: ${n} × ${d} samples do not fit in memory`);
  const r = new Random(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = r.normal();
  return matrix(n, d, data);
}
