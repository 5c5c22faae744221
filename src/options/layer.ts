import * as v from "../vendor/valibot.js";
import { strict } from "./schema.js";

// Option schemas of the neuron symmetry tools (splitNeuron, mergeNeurons, growNet, shrinkNet). The values are checked by
// the tools themselves, which know the network (a hidden layer's index, a neuron index within it);
// the schemas make a misspelt key (`{ lyer: 1 }`, which would silently act on layer 0) an OPTION error.

/** Any value (checked by the tool against the network). */
const anyValue = v.optional(v.unknown());

/** Keys of `LayerOption` (`mergeNeurons`, `growNet`, `shrinkNet`): `{ layer? }`. */
export const LayerOptionSchema = strict({ layer: anyValue });
/** Keys of `SplitNeuronOptions`: `{ j?, layer? }`. */
export const SplitNeuronOptionsSchema = strict({ j: anyValue, layer: anyValue });
