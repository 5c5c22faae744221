import { MLPGFError } from "../errors.js";
import { show } from "../util/show.js";
import type { LayerPlan } from "../engine/plan.js";
import type { Activation } from "../api/activations.js";
import type { NormalizedLayer } from "../api/layers.js";
import { describe, toVector } from "../api/matrix.js";
import { Net } from "../api/net.js";
import { NetI } from "../api/neti.js";
import { type ParamsDict, paramsFromDict, paramsToDict } from "../api/params.js";

/** A network whose hidden neurons the symmetry tools can split, merge, add or remove. */
export type Network = Net | NetI;

/** Options naming a hidden layer. */
export interface LayerOption {
  /** Hidden layer, 0-based (0 = the first hidden layer, the default). A `NetI` has only layer 0. */
  layer?: number;
}

/**
 * The hidden layer `layer` of `net`, validated: the network must be a `Net` or `NetI` and `layer`
 * an index of a hidden layer (not the output layer).
 */
export function hiddenLayer(net: unknown, layer: unknown, who: string): { layer: number; plan: LayerPlan } {
  if (!(net instanceof Net) && !(net instanceof NetI))
    throw new MLPGFError("VALUE", `${who}: expected a Net or NetI, got ${describe(net)}`);
  const hidden = net.plans.length - 1;
  if (hidden < 1) throw new MLPGFError("SHAPE", `${who}: the network has no hidden layer`);
  const l = layer ?? 0;
  if (typeof l !== "number" || !Number.isInteger(l) || l < 0 || l >= hidden) {
    throw new MLPGFError("VALUE", `${who}: layer must be a hidden-layer index in 0..${hidden - 1}, got ${show(layer)}`);
  }
  return { layer: l, plan: net.plans[l] };
}

/** Checks a neuron index: an integer in 0..count−1. */
export function neuronIndex(i: unknown, count: number, name: string, who: string): number {
  if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= count) {
    throw new MLPGFError("VALUE", `${who}: ${name} must be a neuron index in 0..${count - 1}, got ${show(i)}`);
  }
  return i;
}

/**
 * The layer specs of `net` with hidden layer `layer` given `width` neurons; a per-neuron activation
 * list is passed through `edit` (one shared activation stays as it is).
 */
export function resizedLayers(net: Network, layer: number, width: number, edit: (acts: Activation[]) => Activation[]): NormalizedLayer[] {
  return net.layers.map(([k, act, bias], l): NormalizedLayer => {
    if (l !== layer) return [k, act, bias];
    return [width, Array.isArray(act) ? edit([...act]) : act, bias];
  });
}

/** A network of the same kind and data as `net` (same teacher for a `NetI`) with other layers. */
export function rebuilt<N extends Network>(net: N, layers: NormalizedLayer[]): N {
  return net.withLayers(layers) as N;
}

/**
 * The parameters of hidden layer `layer` and of the layer after it as arrays of rows (bias last),
 * to edit with `edit`; returns the parameter vector of `target` built from the edited blocks.
 */
export function editBlocks(
  net: Network,
  x: Float64Array,
  layer: number,
  target: Network,
  edit: (incoming: number[][], outgoing: number[][]) => void,
): Float64Array {
  const dict: ParamsDict = paramsToDict(net.plans, x);
  edit(dict[`w${layer + 1}`], dict[`w${layer + 2}`]);
  return paramsFromDict(target.plans, dict);
}

/** Checks the parameter vector of `net` (length P, finite values). */
export function networkParams(net: Network, x: unknown, who: string): Float64Array {
  return toVector(x, `${who}: parameters x`, net.nparams);
}

/**
 * Builds the resized network and its parameters; the network is disposed again if building the
 * parameters fails, so no WASM memory leaks on an error.
 */
export function withNewNetwork<N extends Network>(
  net: N,
  layers: NormalizedLayer[],
  params: (target: N) => Float64Array,
): { net: N; x: Float64Array } {
  const target = rebuilt(net, layers);
  try {
    return { net: target, x: params(target) };
  } catch (e) {
    target.dispose();
    throw e;
  }
}
