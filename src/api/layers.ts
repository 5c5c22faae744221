import { MLPGFError } from "../errors.js";
import type { ActivationGroup, LayerPlan } from "../engine/plan.js";
import { type Activation, type ResolvedActivation, resolveActivation, sameActivation } from "./activations.js";
import { show } from "../util/show.js";
import { describe } from "./matrix.js";

/**
 * One layer: `[width, activation, bias]`. `width` of the last layer may be `null` (taken from the
 * target); hidden layers may give an array of per-neuron activations.
 */
export type LayerSpec = readonly [number | null, Activation | readonly Activation[], boolean];

/** A layer spec after validation: width resolved, identical per-neuron activations collapsed. */
export type NormalizedLayer = [number, Activation | Activation[], boolean];

/** Validated layers: the normalised specs and the engine's plan. */
export interface ResolvedLayers {
  specs: NormalizedLayer[];
  plans: LayerPlan[];
}

/**
 * Validates layer specs for input dimension `din`. `outWidth` is the target's width, used when the
 * last width is `null` and checked against it otherwise.
 */
export function resolveLayers(layers: unknown, din: number, outWidth?: number): ResolvedLayers {
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new MLPGFError("SHAPE", `layers: expected a non-empty array of [width, activation, bias], got ${describe(layers)}`);
  }
  const specs: NormalizedLayer[] = [];
  const plans: LayerPlan[] = [];
  let nin = din;
  // an index loop, not forEach: a hole in the array is an error, not a layer skipped
  for (let l = 0; l < layers.length; l++) {
    const spec: unknown = layers[l];
    const where = `layers[${l}]`;
    const last = l === layers.length - 1;
    if (!Array.isArray(spec) || spec.length !== 3) {
      throw new MLPGFError("SHAPE", `${where}: expected [width, activation, bias], got ${show(spec)}`);
    }
    let [width, act, bias] = spec as [unknown, unknown, unknown];
    if (width === null && last) {
      if (outWidth === undefined) throw new MLPGFError("SHAPE", `${where}: width null needs a target to take the output width from`);
      width = outWidth;
    }
    if (typeof width !== "number" || !Number.isInteger(width) || width < 1) {
      throw new MLPGFError(
        "VALUE",
        `${where}: width must be a positive integer${last ? " (or null for the output layer)" : ""}, got ${show(width)}`,
      );
    }
    if (typeof bias !== "boolean") throw new MLPGFError("VALUE", `${where}: bias must be true or false, got ${show(bias)}`);
    const { spec: a, groups, softmax } = resolveLayerActivation(act, width, last, where);
    specs.push(deepFreeze([width, a, bias]));
    plans.push({ k: width, nin, bias, softmax, groups });
    nin = width;
  }
  const dout = plans[plans.length - 1].k;
  if (outWidth !== undefined && dout !== outWidth) {
    throw new MLPGFError("SHAPE", `the output layer has ${dout} neurons but the target has ${outWidth} columns`);
  }
  // frozen: `net.layers` is what trainMany's workers rebuild the network from, so a user's edit of it
  // (net.layers[0][1] = "relu") would silently train another network there
  return { specs: Object.freeze(specs) as NormalizedLayer[], plans };
}

/** `v` with every array and object inside it frozen (layer specs: arrays, `{ poly }`, coefficients). */
function deepFreeze<T>(v: T): T {
  if (v && typeof v === "object" && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

function resolveLayerActivation(
  act: unknown,
  width: number,
  last: boolean,
  where: string,
): { spec: Activation | Activation[]; groups: ActivationGroup[]; softmax: boolean } {
  if (Array.isArray(act)) {
    if (last) throw new MLPGFError("ACTIVATION", `${where}: per-neuron activations are allowed in hidden layers only`);
    if (act.length !== width) {
      throw new MLPGFError("SHAPE", `${where}: ${act.length} per-neuron activations for ${width} neurons`);
    }
    const resolved = Array.from(act as unknown[], (a, i) => resolveActivation(a, `${where} neuron ${i}`));
    if (resolved.some((r) => r.softmax)) {
      throw new MLPGFError("ACTIVATION", `${where}: softmax cannot be a per-neuron activation (output layer only)`);
    }
    if (resolved.every((r) => sameActivation(r, resolved[0]))) return single(resolved[0], width);
    return { spec: resolved.map((r) => r.spec), groups: runs(resolved), softmax: false };
  }
  const r = resolveActivation(act, where);
  if (r.softmax && !last) throw new MLPGFError("ACTIVATION", `${where}: softmax is allowed in the output layer only`);
  return single(r, width);
}

function single(r: ResolvedActivation, width: number): { spec: Activation; groups: ActivationGroup[]; softmax: boolean } {
  const groups = r.softmax ? [] : [{ start: 0, end: width, kind: r.kind, coef: r.coef, linearish: r.linearish }];
  return { spec: r.spec, groups, softmax: r.softmax };
}

/** Maximal contiguous runs of identical activations (order kept: relu, tanh, relu = 3 runs). */
function runs(acts: ResolvedActivation[]): ActivationGroup[] {
  const groups: ActivationGroup[] = [];
  acts.forEach((a, i) => {
    const g = groups[groups.length - 1];
    if (g && sameActivation(acts[g.start], a)) g.end = i + 1;
    else groups.push({ start: i, end: i + 1, kind: a.kind, coef: a.coef, linearish: a.linearish });
  });
  return groups;
}
