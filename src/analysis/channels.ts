import { show } from "../util/show.js";
import { MLPGFError } from "../errors.js";
import { toVector } from "../api/matrix.js";
import { norm2 } from "../optim/vector.js";
import type { Network } from "../landscape/network.js";
import { checkLayered, gather, neuronBlocks, scatter } from "./neuronblocks.js";

/**
 * A pair of neurons of one hidden layer: `layer` (default 0), `i` and `j` (0-based, i ≠ j), and the
 * `sign` (default 1) with which neuron j enters: −1 pairs neuron i with the mirror image
 * (−w_j, −a_j) of neuron j, which computes the same function when the activation is odd (tanh,
 * sigmoid2, …); the channel coordinates then use −w_j and −a_j.
 */
export interface NeuronPair {
  layer?: number;
  i: number;
  j: number;
  sign?: 1 | -1;
}

/** The index blocks of a pair and the sign of neuron j. */
export interface PairBlocks {
  incoming: [number[], number[]];
  outgoing: [number[], number[]];
  sign: 1 | -1;
}

/**
 * The gated-linear-unit coordinates of a neuron pair (Martinelli et al., NeurIPS 2025):
 * c = a_i + a_j, a = ε·(a_i − a_j), w = (w_i + w_j)/2, Δ = (w_i − w_j)/‖w_i − w_j‖, ε = ‖w_i − w_j‖/2,
 * where w_i are the incoming weights of neuron i (bias last) and a_i its outgoing weights (one per
 * output of the next layer). As ε → 0 with c, a, w, Δ fixed the pair computes
 * c·σ(w·x) + (a·(Δ·x))·σ′(w·x).
 */
export interface ChannelCoordinates {
  c: Float64Array;
  a: Float64Array;
  w: Float64Array;
  delta: Float64Array;
  eps: number;
}

/** The pair's index blocks, validated. */
export function pairBlocks(net: Network, pair: NeuronPair, who: string): PairBlocks {
  if (!pair || typeof pair !== "object")
    throw new MLPGFError("VALUE", `${who}: expected a neuron pair { layer?, i, j }, got ${show(pair)}`);
  const b = neuronBlocks(net, pair.layer, who);
  for (const [name, v] of [
    ["i", pair.i],
    ["j", pair.j],
  ] as const) {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= b.k)
      throw new MLPGFError("VALUE", `${who}: ${name} must be a neuron index in 0..${b.k - 1}, got ${show(v)}`);
  }
  if (pair.i === pair.j) throw new MLPGFError("VALUE", `${who}: i and j must be two different neurons, got i = j = ${pair.i}`);
  const sign = pair.sign ?? 1;
  if (sign !== 1 && sign !== -1) throw new MLPGFError("VALUE", `${who}: sign must be 1 or -1, got ${show(pair.sign)}`);
  return { incoming: [b.incoming(pair.i), b.incoming(pair.j)], outgoing: [b.outgoing(pair.i), b.outgoing(pair.j)], sign };
}

/**
 * The channel coordinates {@link ChannelCoordinates} of neurons i and j at x. Throws `VALUE` when the
 * two incoming vectors are identical (ε = 0: Δ is undefined; the pair sits on a line of critical
 * points made by a split, not in a channel).
 *
 * @example
 * ```ts
 * const { c, a, w, delta, eps } = channelCoordinates(net, x, { i: 0, j: 1 });
 * ```
 */
export function channelCoordinates(net: Network, x: ArrayLike<number>, pair: NeuronPair): ChannelCoordinates {
  const who = "channelCoordinates";
  const blocks = pairBlocks(net, pair, who);
  const xv = toVector(x, `${who}: parameters x`, net.nparams);
  return coordinatesOf(xv, blocks, who);
}

/** The coordinates from the blocks (shared by {@link channelCoordinates} and the channel search). */
export function coordinatesOf(x: Float64Array, blocks: PairBlocks, who: string): ChannelCoordinates {
  const s = blocks.sign;
  const wi = gather(x, blocks.incoming[0]);
  const wj = gather(x, blocks.incoming[1]).map((v) => s * v);
  const ai = gather(x, blocks.outgoing[0]);
  const aj = gather(x, blocks.outgoing[1]).map((v) => s * v);
  const diff = wi.map((v, n) => v - wj[n]);
  const dn = norm2(diff);
  if (dn === 0)
    throw new MLPGFError(
      "VALUE",
      `${who}: the two neurons have identical incoming weights (eps = 0): the channel direction delta is undefined`,
    );
  const eps = dn / 2;
  return {
    c: ai.map((v, o) => v + aj[o]),
    a: ai.map((v, o) => eps * (v - aj[o])),
    w: wi.map((v, n) => (v + wj[n]) / 2),
    delta: diff.map((v) => v / dn),
    eps,
  };
}

/**
 * The parameter vector with the pair's incoming and outgoing weights set from channel coordinates
 * (all other entries copied from x): w_i = w + ε·Δ, w_j = w − ε·Δ, a_i = (c + a/ε)/2, a_j = (c − a/ε)/2
 * (w_j and a_j times `sign` for a mirrored pair).
 * The inverse of {@link channelCoordinates} (round trip to rounding). `delta` is used as given
 * (a unit vector keeps ε = ‖w_i − w_j‖/2).
 */
export function fromChannelCoordinates(net: Network, x: ArrayLike<number>, pair: NeuronPair, coords: ChannelCoordinates): Float64Array {
  const who = "fromChannelCoordinates";
  const blocks = pairBlocks(net, pair, who);
  const out = toVector(x, `${who}: parameters x`, net.nparams).slice();
  if (!coords || typeof coords !== "object") throw new MLPGFError("VALUE", `${who}: coords must be { c, a, w, delta, eps }`);
  const nIn = blocks.incoming[0].length;
  const nOut = blocks.outgoing[0].length;
  const c = toVector(coords.c, `${who}: coords.c`, nOut);
  const a = toVector(coords.a, `${who}: coords.a`, nOut);
  const w = toVector(coords.w, `${who}: coords.w`, nIn);
  const delta = toVector(coords.delta, `${who}: coords.delta`, nIn);
  const eps = coords.eps;
  if (typeof eps !== "number" || !Number.isFinite(eps) || eps <= 0)
    throw new MLPGFError("VALUE", `${who}: coords.eps must be a finite number > 0, got ${show(eps)}`);
  scatter(
    out,
    blocks.incoming[0],
    w.map((v, n) => v + eps * delta[n]),
  );
  const s = blocks.sign;
  scatter(
    out,
    blocks.incoming[1],
    w.map((v, n) => s * (v - eps * delta[n])),
  );
  scatter(
    out,
    blocks.outgoing[0],
    c.map((v, o) => (v + a[o] / eps) / 2),
  );
  scatter(
    out,
    blocks.outgoing[1],
    c.map((v, o) => (s * (v - a[o] / eps)) / 2),
  );
  return out;
}

/**
 * One jump along a channel (the paper's procedure to move towards infinity without integrating for
 * hours): the point with ε ← factor·ε and c, a, w, Δ of the pair kept. The network function changes
 * by O(ε²) only; the loss approaches its limit like ε² and the largest Hessian eigenvalue grows like
 * 1/ε².
 *
 * @param factor - new ε over old ε, a finite number > 0 (default 0.5).
 * @example
 * ```ts
 * let y = result.x;
 * for (let k = 0; k < 5; k++) y = jumpAlongChannel(net, y, { i: 0, j: 1 });
 * ```
 */
export function jumpAlongChannel(net: Network, x: ArrayLike<number>, pair: NeuronPair, factor = 0.5): Float64Array {
  const who = "jumpAlongChannel";
  checkLayered(net, who);
  if (typeof factor !== "number" || !Number.isFinite(factor) || factor <= 0)
    throw new MLPGFError("VALUE", `${who}: factor must be a finite number > 0, got ${show(factor)}`);
  const coords = coordinatesOf(toVector(x, `${who}: parameters x`, net.nparams), pairBlocks(net, pair, who), who);
  return fromChannelCoordinates(net, x, pair, { ...coords, eps: factor * coords.eps });
}
