import { MLPGFError } from "../errors.js";
import { describe, toVector } from "../api/matrix.js";
import { dot, norm2 } from "../optim/vector.js";
import { hungarian } from "./hungarian.js";
import { type AlignNeuronsOptions, AlignNeuronsOptionsSchema } from "../options/analysis.js";
import { parseOptions } from "../options/parse.js";
import { type LayeredModel, gather, neuronBlocks } from "./neuronblocks.js";
import { isOddActivation } from "./oddactivation.js";

/** A `Net`, `NetI` or `TeacherNet`: anything with layer specs, input dimension and parameter count. */
export interface AlignableModel extends LayeredModel {
  readonly nparams: number;
}

export type { AlignNeuronsOptions };

/** The result of {@link alignNeurons}. */
export interface NeuronAlignment {
  /**
   * For every neuron of `net` the neuron of `ref` it copies: the Hungarian matching (largest total
   * cosine, every reference neuron used once) when the widths are equal, the nearest one otherwise.
   */
  match: Int32Array;
  /** Cosine of the incoming vectors of neuron i and `ref` neuron match[i] (of the mirror image when sign[i] = −1). */
  cosine: Float64Array;
  /** −1 where neuron i matches the mirror image (−w, −a) of its reference neuron (odd activations only), else 1. */
  sign: Int8Array;
  /** For every neuron of `net` its nearest reference neuron (largest cosine), whatever the widths. */
  nearest: Int32Array;
  /** For every reference neuron r the neurons of `net` that copy it (nearest is r, cosine ≥ copyCosine): several = a split. */
  copies: number[][];
  /**
   * Neurons of `net` that copy no reference neuron but lie between several: the reference neurons
   * with cosine ≥ averageCosine (at least two), best first (copy/average points).
   */
  averages: { neuron: number; refs: number[]; cosines: number[] }[];
  /** True when the widths are equal and every neuron copies its matched reference neuron (cosine ≥ copyCosine). */
  oneToOne: boolean;
  /** The cosine thresholds used. */
  copyCosine: number;
  averageCosine: number;
}

/**
 * Which neuron of a reference network (a teacher, or another run) each hidden neuron of `net` copies,
 * judged by the cosines of the incoming weight vectors (bias included when both layers have one):
 * Hungarian matching when the widths are equal, the nearest reference neuron otherwise; plus the
 * groups a copy/average analysis needs: several neurons on one reference neuron (`copies`), or one
 * neuron between several (`averages`). With odd activations (tanh, sigmoid2, …) a neuron also copies
 * the mirror image (−w, −a) of a reference neuron (`sign` −1). In a deeper layer the weights coming
 * from the layer below are first put in the reference's order of that layer (its own alignment,
 * mirror signs included), so a permuted copy of a deep network is recognised layer by layer.
 *
 * @param net - the network to explain (`Net`, `NetI` or `TeacherNet`) and its parameters x.
 * @param ref - the reference network and its parameters xRef (for a `TeacherNet`: `teacher.params`).
 * @example
 * ```ts
 * const { match, cosine, oneToOne } = alignNeurons(net, result.x, teacher, teacher.params);
 * ```
 */
export function alignNeurons(
  net: AlignableModel,
  x: ArrayLike<number>,
  ref: AlignableModel,
  xRef: ArrayLike<number>,
  opts: AlignNeuronsOptions = {},
): NeuronAlignment {
  const who = "alignNeurons";
  const o = parseOptions(AlignNeuronsOptionsSchema, opts, who);
  const copyCosine = o.copyCosine ?? 0.99;
  const averageCosine = o.averageCosine ?? 0.5;
  for (const [name, m] of [
    ["net", net],
    ["ref", ref],
  ] as const) {
    if (!m || typeof m !== "object" || typeof m.nparams !== "number")
      throw new MLPGFError("VALUE", `${who}: ${name} must be a Net, NetI or TeacherNet, got ${describe(m)}`);
  }
  const xv = toVector(x, `${who}: parameters x`, net.nparams);
  const xr = toVector(xRef, `${who}: reference parameters xRef`, ref.nparams);
  const a = neuronBlocks(net, o.layer, who);
  const b = neuronBlocks(ref, o.layer, `${who} (ref)`);
  const nin = a.layer === 0 ? net.din : net.layers[a.layer - 1][0];
  const ninRef = b.layer === 0 ? ref.din : ref.layers[b.layer - 1][0];
  if (nin !== ninRef) throw new MLPGFError("SHAPE", `${who}: layer ${a.layer} has ${nin} inputs in net but ${ninRef} in ref`);
  const len = a.nIn === b.nIn ? a.nIn : nin; // without the bias when only one of the two has one
  const rows = (v: Float64Array, blocks: typeof a) =>
    Array.from({ length: blocks.k }, (_, i) => gather(v, blocks.incoming(i).slice(0, len)));
  const W = rows(xv, a);
  const R = rows(xr, b);
  if (a.layer > 0) {
    // put the weights from the layer below in the reference's order (and mirror signs) first
    const below = alignNeurons(net, xv, ref, xr, { layer: a.layer - 1, copyCosine, averageCosine });
    for (const w of W) {
      const src = w.slice(0, nin);
      below.match.forEach((r, q) => (w[r] = below.sign[q] * src[q]));
    }
  }
  const odd = (m: AlignableModel, i: number) => {
    const act = m.layers[a.layer][1];
    return isOddActivation(Array.isArray(act) ? act[i] : act);
  };
  const k = a.k;
  const kr = b.k;
  const cos = new Float64Array(k * kr);
  const sgn = new Int8Array(k * kr);
  for (let i = 0; i < k; i++) {
    for (let r = 0; r < kr; r++) {
      const n = norm2(W[i]) * norm2(R[r]);
      const c = n === 0 ? 0 : dot(W[i], R[r]) / n;
      const s = c < 0 && odd(net, i) && odd(ref, r) ? -1 : 1;
      cos[i * kr + r] = s * c;
      sgn[i * kr + r] = s;
    }
  }
  const nearest = Int32Array.from({ length: k }, (_, i) => {
    let best = 0;
    for (let r = 1; r < kr; r++) if (cos[i * kr + r] > cos[i * kr + best]) best = r;
    return best;
  });
  const match =
    k === kr
      ? hungarian(
          cos.map((c) => -c),
          k,
          kr,
        )
      : nearest.slice();
  const cosine = Float64Array.from(match, (r, i) => cos[i * kr + r]);
  const sign = Int8Array.from(match, (r, i) => sgn[i * kr + r]);
  const copies: number[][] = Array.from({ length: kr }, () => []);
  const averages: NeuronAlignment["averages"] = [];
  for (let i = 0; i < k; i++) {
    if (cos[i * kr + nearest[i]] >= copyCosine) {
      copies[nearest[i]].push(i);
      continue;
    }
    const refs = Array.from({ length: kr }, (_, r) => r)
      .filter((r) => cos[i * kr + r] >= averageCosine)
      .sort((p, q) => cos[i * kr + q] - cos[i * kr + p]);
    if (refs.length >= 2) averages.push({ neuron: i, refs, cosines: refs.map((r) => cos[i * kr + r]) });
  }
  const oneToOne = k === kr && cosine.every((c) => c >= copyCosine);
  return { match, cosine, sign, nearest, copies, averages, oneToOne, copyCosine, averageCosine };
}
