import { MLPGFError } from "../errors.js";
import { LayerOptionSchema } from "../options/layer.js";
import { parseOptions } from "../options/parse.js";
import { sameActivation, resolveActivation } from "../api/activations.js";
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

/**
 * Merges hidden neurons `i` and `j` (the inverse of {@link splitNeuron}): returns a network one
 * neuron narrower in hidden layer `layer` and parameters where neuron i gets the average of the two
 * incoming weight rows (bias included) and the sum of their outgoing weights, and neuron j is
 * removed. When the two incoming rows are equal (a split point) the function and the loss are
 * unchanged. After the merge the merged neuron sits at i when i < j and at i − 1 when i > j.
 *
 * The two neurons must have the same activation. The new network owns its own WASM memory: call
 * `dispose()` on it when done.
 *
 * @example
 * ```ts
 * const s = splitNeuron(net, x, 2, 0.3);          // copy at 3
 * const m = mergeNeurons(s.net, s.x, 2, 3);        // m.x equals x up to rounding
 * ```
 */
export function mergeNeurons<N extends Network>(
  net: N,
  x: ArrayLike<number>,
  i: number,
  j: number,
  given: LayerOption = {},
): { net: N; x: Float64Array } {
  const who = "mergeNeurons";
  const opts = parseOptions(LayerOptionSchema, given, who) as LayerOption;
  const { layer, plan } = hiddenLayer(net, opts.layer, who);
  const xv = networkParams(net, x, who);
  const k = plan.k;
  if (k < 2) throw new MLPGFError("VALUE", `${who}: hidden layer ${layer} has a single neuron; there is nothing to merge`);
  neuronIndex(i, k, "i", who);
  neuronIndex(j, k, "j", who);
  if (i === j) throw new MLPGFError("VALUE", `${who}: i and j must be two different neurons, got i = j = ${i}`);
  const layers = resizedLayers(net, layer, k - 1, (acts) => {
    if (!sameActivation(resolveActivation(acts[i], "i"), resolveActivation(acts[j], "j"))) {
      throw new MLPGFError(
        "ACTIVATION",
        `${who}: neurons ${i} and ${j} have different activations; only neurons with the same activation can be merged`,
      );
    }
    acts.splice(j, 1);
    return acts;
  });
  return withNewNetwork(net, layers, (target) =>
    editBlocks(net, xv, layer, target, (incoming, outgoing) => {
      incoming[i] = incoming[i].map((w, c) => (w + incoming[j][c]) / 2);
      incoming.splice(j, 1);
      for (const row of outgoing) {
        row[i] += row[j];
        row.splice(j, 1);
      }
    }),
  );
}
