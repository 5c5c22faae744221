import { MLPGFError } from "../errors.js";
import { SplitNeuronOptionsSchema } from "../options/layer.js";
import { parseOptions } from "../options/parse.js";
import { show } from "../util/show.js";
import {
  type LayerOption,
  type Network,
  hiddenLayer,
  editBlocks,
  networkParams,
  neuronIndex,
  resizedLayers,
  withNewNetwork,
} from "./network.js";

/** Options of {@link splitNeuron}. */
export interface SplitNeuronOptions extends LayerOption {
  /** Position of the copy in the wider layer, 0..k (k = the old width). Default i + 1. */
  j?: number;
}

/**
 * Duplicates hidden neuron `i`: returns a network one neuron wider in hidden layer `layer` (same
 * data, or the same teacher for a `NetI`; same activations, a per-neuron activation list gets the
 * copied entry too) and parameters where neuron i's incoming weights and bias are copied to position
 * `j` and its outgoing weights a become γ·a (neuron i) and (1 − γ)·a (the copy at j). The network
 * function and the loss are unchanged, and a critical point stays critical (the gradient of the
 * copy's incoming weights is (1 − γ)/γ times that of neuron i, both zero at a critical point).
 *
 * Indices are 0-based; after the split, neuron i sits at i when j > i and at i + 1 when j ≤ i.
 * The new network owns its own WASM memory: call `dispose()` on it when done (the input network is
 * untouched).
 *
 * @param net - a `Net` (any hidden layer) or `NetI` (one hidden layer).
 * @param x - parameters of `net`.
 * @param i - the neuron to duplicate, 0..k−1.
 * @param gamma - share γ of the outgoing weights kept by neuron i (any finite number).
 * @example
 * ```ts
 * const { net: wide, x: xw } = splitNeuron(net, x, 0, 0.5);
 * wide.loss(xw); // = net.loss(x)
 * wide.dispose();
 * ```
 */
export function splitNeuron<N extends Network>(
  net: N,
  x: ArrayLike<number>,
  i: number,
  gamma: number,
  given: SplitNeuronOptions = {},
): { net: N; x: Float64Array } {
  const who = "splitNeuron";
  const opts = parseOptions(SplitNeuronOptionsSchema, given, who) as SplitNeuronOptions;
  const { layer, plan } = hiddenLayer(net, opts.layer, who);
  const xv = networkParams(net, x, who);
  const k = plan.k;
  neuronIndex(i, k, "i", who);
  const j = neuronIndex(opts.j ?? i + 1, k + 1, "j", who);
  if (typeof gamma !== "number" || !Number.isFinite(gamma))
    throw new MLPGFError("VALUE", `${who}: gamma must be a finite number, got ${show(gamma)}`);
  const iNew = i < j ? i : i + 1;
  const layers = resizedLayers(net, layer, k + 1, (acts) => {
    acts.splice(j, 0, acts[i]);
    return acts;
  });
  return withNewNetwork(net, layers, (target) =>
    editBlocks(net, xv, layer, target, (incoming, outgoing) => {
      incoming.splice(j, 0, incoming[i].slice());
      for (const row of outgoing) {
        const a = row[i];
        row.splice(j, 0, (1 - gamma) * a);
        row[iNew] = gamma * a;
      }
    }),
  );
}
