import { MLPGFError } from "../errors.js";
import { LayerOptionSchema } from "../options/layer.js";
import { parseOptions } from "../options/parse.js";
import { type LayerOption, type Network, hiddenLayer, rebuilt, resizedLayers } from "./network.js";

/**
 * A network like `net` with one more neuron in hidden layer `layer` (default 0, the first hidden
 * layer): same data (same teacher for a `NetI`), same activations (a per-neuron activation list is
 * extended with a copy of its last entry). The new network owns its own WASM memory: call `dispose()`
 * on it when done.
 */
export function growNet<N extends Network>(net: N, opts: LayerOption = {}): N {
  return resize(net, opts, +1, "growNet");
}

/**
 * A network like `net` with one neuron less in hidden layer `layer` (default 0): same data (same
 * teacher for a `NetI`); a per-neuron activation list loses its last entry. A layer of one neuron
 * cannot shrink. The new network owns its own WASM memory: call `dispose()` on it when done.
 */
export function shrinkNet<N extends Network>(net: N, opts: LayerOption = {}): N {
  return resize(net, opts, -1, "shrinkNet");
}

function resize<N extends Network>(net: N, given: LayerOption, delta: 1 | -1, who: string): N {
  const opts = parseOptions(LayerOptionSchema, given, who) as LayerOption;
  const { layer, plan } = hiddenLayer(net, opts.layer, who);
  if (plan.k + delta < 1) throw new MLPGFError("VALUE", `${who}: hidden layer ${layer} has a single neuron and cannot shrink below one`);
  const layers = resizedLayers(net, layer, plan.k + delta, (acts) => (delta > 0 ? [...acts, acts[acts.length - 1]] : acts.slice(0, -1)));
  return rebuilt(net, layers);
}
