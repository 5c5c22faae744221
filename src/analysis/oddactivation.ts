import type { Activation } from "../api/activations.js";
import type { LayeredModel } from "./neuronblocks.js";

/** Named activations with σ(−z) = −σ(z). */
const ODD = new Set(["identity", "tanh", "tanh_fast", "sigmoid2", "cube"]);

/** True when σ(−z) = −σ(z): an odd named activation, or a polynomial with only odd powers. */
export function isOddActivation(a: Activation): boolean {
  if (typeof a === "string") return ODD.has(a);
  return a.poly.every((c, n) => n % 2 === 1 || c === 0);
}

/**
 * True when neurons i and j of hidden layer `layer` both have odd activations: then (w, a) and
 * (−w, −a) compute the same function, and a neuron can be paired with the mirror image of another.
 */
export function oddPair(model: LayeredModel, layer: number, i: number, j: number): boolean {
  const act = model.layers[layer][1];
  return Array.isArray(act) ? isOddActivation(act[i]) && isOddActivation(act[j]) : isOddActivation(act);
}
