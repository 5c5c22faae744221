import { show } from "../util/show.js";
import { MLPGFError } from "../errors.js";
import type { NormalizedLayer } from "../api/layers.js";
import { describe } from "../api/matrix.js";

/** Anything with Julia-layout parameters: a `Net`, `NetI` or `TeacherNet` (layer specs and input dimension). */
export interface LayeredModel {
  readonly layers: readonly NormalizedLayer[];
  readonly din: number;
}

/** Checks that `model` is a network with layers (a Net, NetI or TeacherNet); throws VALUE otherwise. */
export function checkLayered(model: unknown, who: string): asserts model is LayeredModel {
  if (!model || typeof model !== "object" || !Array.isArray((model as LayeredModel).layers)) {
    throw new MLPGFError("VALUE", `${who}: expected a Net, NetI or TeacherNet, got ${describe(model)}`);
  }
}

/**
 * Where the parameters of the neurons of one hidden layer sit in the parameter vector (Julia layout:
 * layer l is the k_l × (n_in + bias) matrix `[W b]` flattened column-major).
 */
export interface NeuronBlocks {
  /** Hidden layer, 0-based. */
  layer: number;
  /** Width k of the layer. */
  k: number;
  /** Length of an incoming vector: n_in + bias. */
  nIn: number;
  /** Number of outgoing weights of a neuron: the width of the next layer. */
  nOut: number;
  /** Parameter indices of the incoming weights (bias last) of neuron i. */
  incoming(i: number): number[];
  /** Parameter indices of the outgoing weights of neuron i (column i of the next layer's W). */
  outgoing(i: number): number[];
}

/** The parameter index blocks of hidden layer `layer` of `model` (validated: a hidden-layer index). */
export function neuronBlocks(model: LayeredModel, layer: unknown, who: string): NeuronBlocks {
  checkLayered(model, who);
  const hidden = model.layers.length - 1;
  if (hidden < 1) throw new MLPGFError("SHAPE", `${who}: the network has no hidden layer`);
  const l = layer ?? 0;
  if (typeof l !== "number" || !Number.isInteger(l) || l < 0 || l >= hidden) {
    throw new MLPGFError("VALUE", `${who}: layer must be a hidden-layer index in 0..${hidden - 1}, got ${show(layer)}`);
  }
  let offset = 0;
  let nin = model.din;
  for (let q = 0; q < l; q++) {
    const [k, , bias] = model.layers[q];
    offset += k * (nin + (bias ? 1 : 0));
    nin = k;
  }
  const [k, , bias] = model.layers[l];
  const nIn = nin + (bias ? 1 : 0);
  const next = offset + k * nIn;
  const nOut = model.layers[l + 1][0];
  return {
    layer: l,
    k,
    nIn,
    nOut,
    incoming: (i) => Array.from({ length: nIn }, (_, c) => offset + c * k + i),
    outgoing: (i) => Array.from({ length: nOut }, (_, o) => next + i * nOut + o),
  };
}

/** The entries of x at the indices idx. */
export function gather(x: ArrayLike<number>, idx: readonly number[]): Float64Array {
  return Float64Array.from(idx, (p) => x[p]);
}

/** Writes v into x at the indices idx. */
export function scatter(x: Float64Array, idx: readonly number[], v: ArrayLike<number>): void {
  idx.forEach((p, n) => (x[p] = v[n]));
}
