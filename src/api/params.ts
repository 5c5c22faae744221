import { MLPGFError } from "../errors.js";
import { type LayerPlan, parameterOffsets } from "../engine/plan.js";
import { type MatrixLike, describe, toMatrix, toVector } from "./matrix.js";
import { Random } from "./random.js";
import { type RandomParamsOptions, RandomParamsOptionsSchema } from "../options/params.js";
import { parseOptions } from "../options/parse.js";
import { show } from "../util/show.js";

/** Parameters by layer: `w1`, `w2`, … each k_l rows × (n_in + bias) columns, bias last (Julia `params2dict`). */
export type ParamsDict = Record<string, number[][]>;

export type { RandomParamsOptions } from "../options/params.js";

/**
 * Builds a parameter vector from per-layer `[W, b]` pairs: W is k × n_in, b a length-k vector,
 * `null` (layer without bias) or `true` (zero bias). Layout as in MLPGradientFlow.jl: layer by
 * layer, each `[W b]` flattened column-major.
 */
export function params(layers: readonly (readonly [MatrixLike, ArrayLike<number> | null | boolean])[]): Float64Array {
  if (!Array.isArray(layers)) throw new MLPGFError("SHAPE", `params: expected an array of [W, b] pairs, got ${describe(layers)}`);
  const blocks = Array.from(layers as unknown[], (pair, l) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new MLPGFError("SHAPE", `params: layer ${l} must be [W, b], got ${show(pair)}`);
    const W = toMatrix(pair[0], `params: W of layer ${l}`);
    const b = pair[1];
    const bias = b === null || b === false ? null : b === true ? new Float64Array(W.rows) : toVector(b, `params: b of layer ${l}`, W.rows);
    return { W, bias };
  });
  const out = new Float64Array(blocks.reduce((s, { W, bias }) => s + W.rows * (W.cols + (bias ? 1 : 0)), 0));
  let p = 0;
  for (const { W, bias } of blocks) {
    for (let j = 0; j < W.cols; j++) for (let i = 0; i < W.rows; i++) out[p++] = W.data[i * W.cols + j];
    if (bias) for (let i = 0; i < W.rows; i++) out[p++] = bias[i];
  }
  return out;
}

/** The `{ w1, w2, … }` dictionary of a parameter vector. */
export function paramsToDict(plans: readonly LayerPlan[], x: Float64Array): ParamsDict {
  const { offsets } = parameterOffsets(plans);
  const dict: ParamsDict = {};
  plans.forEach((l, i) => {
    const cols = l.nin + (l.bias ? 1 : 0);
    dict[`w${i + 1}`] = Array.from({ length: l.k }, (_, r) => Array.from({ length: cols }, (_, c) => x[offsets[i] + c * l.k + r]));
  });
  return dict;
}

/** The parameter vector of a `{ w1, w2, … }` dictionary (keys sorted numerically, shapes checked). */
export function paramsFromDict(plans: readonly LayerPlan[], given: Record<string, MatrixLike>): Float64Array {
  if (!given || typeof given !== "object")
    throw new MLPGFError("SHAPE", `paramsFromDict: expected { w1, w2, ... }, got ${describe(given)}`);
  const dict = ownEntries(given);
  const keys = Object.keys(dict).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const expected = plans.map((_, i) => `w${i + 1}`);
  if (keys.join() !== expected.join()) {
    throw new MLPGFError("SHAPE", `paramsFromDict: keys ${keys.join(", ") || "(none)"}, expected ${expected.join(", ")}`);
  }
  const { offsets, nparams } = parameterOffsets(plans);
  const x = new Float64Array(nparams);
  plans.forEach((l, i) => {
    const M = toMatrix(dict[`w${i + 1}`], `paramsFromDict: w${i + 1}`, { rows: l.k, cols: l.nin + (l.bias ? 1 : 0) });
    for (let c = 0; c < M.cols; c++) for (let r = 0; r < l.k; r++) x[offsets[i] + c * l.k + r] = M.data[r * M.cols + c];
  });
  return x;
}

/** The own entries of a `{ w1, w2, … }` dictionary, each read once (a getter that throws is `VALUE`). */
function ownEntries(dict: object): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  try {
    for (const k of Object.keys(dict)) out[k] = (dict as Record<string, unknown>)[k];
  } catch (e) {
    throw new MLPGFError("VALUE", `paramsFromDict: reading the dictionary threw (${e instanceof Error ? e.message : show(e)})`, {
      cause: e,
    });
  }
  return out;
}

/** Glorot weights and zero biases for the given layers. */
export function randomParams(plans: readonly LayerPlan[], given: RandomParamsOptions = {}): Float64Array {
  const opts = parseOptions(RandomParamsOptionsSchema, given, "randomParams");
  const dist = opts.distribution ?? "glorot_normal";
  const rng = new Random(opts.seed);
  const { offsets, nparams } = parameterOffsets(plans);
  const x = new Float64Array(nparams);
  plans.forEach((l, i) => {
    const fanSum = l.nin + l.k;
    const scale = dist === "glorot_normal" ? Math.sqrt(2 / fanSum) : 2 * Math.sqrt(6 / fanSum);
    for (let j = 0; j < l.k * l.nin; j++) {
      x[offsets[i] + j] = dist === "glorot_normal" ? scale * rng.normal() : scale * (rng.uniform() - 0.5);
    }
  });
  return x;
}
