import { toVector } from "../api/matrix.js";
import { dot, norm2 } from "../optim/vector.js";
import type { Network } from "../landscape/network.js";
import { type FindChannelsOptions, FindChannelsOptionsSchema } from "../options/analysis.js";
import { parseOptions } from "../options/parse.js";
import { type ChannelCoordinates, coordinatesOf } from "./channels.js";
import { checkLayered, gather, neuronBlocks } from "./neuronblocks.js";
import { oddPair } from "./oddactivation.js";

export type { FindChannelsOptions };

/** A channel pair found by {@link findChannels}: its place, channel coordinates and the evidence. */
export interface ChannelPair extends ChannelCoordinates {
  /** Hidden layer, 0-based. */
  layer: number;
  /** The two neurons, i < j. */
  i: number;
  j: number;
  /** −1 when neuron i pairs with the mirror image (−w_j, −a_j) of neuron j (odd activations), else 1. */
  sign: 1 | -1;
  /** 1 − cos(w_i, w_j) of the incoming vectors (bias included). */
  cosineDistance: number;
  /** ‖a_i‖ + ‖a_j‖ of the outgoing weights. */
  outSum: number;
  /** Share of the late trajectory update inside the pair's parameters (NaN without a trajectory). */
  lateShare: number;
}

/** Default of the `maxCosineDistance` option of {@link findChannels}. */
export const MAX_COSINE_DISTANCE = 0.01;
/** Default of the `minOutSum` option of {@link findChannels}. */
export const MIN_OUT_SUM = 10;
/** Default of the `minLateShare` option of {@link findChannels}. */
export const MIN_LATE_SHARE = 0.5;
const LATE_WINDOW = 0.1;

/**
 * Channels to infinity (Martinelli et al., NeurIPS 2025): pairs of neurons of one hidden layer whose
 * incoming vectors converge while their outgoing weights diverge with opposite signs. The criteria of
 * the paper, with their thresholds as options: cosine distance of the incoming vectors ≤
 * `maxCosineDistance`, ‖a_i‖ + ‖a_j‖ ≥ `minOutSum` with a_i·a_j < 0, and, when a trajectory is given,
 * at least `minLateShare` of the late update inside the pair's parameters. The default thresholds
 * (0.01, 10, 0.5) are this package's choice; set them to the values of your study. Pairs with identical
 * incoming vectors (ε = 0: a point on a line of critical points made by a split) are not channels.
 * With an odd activation (σ(−z) = −σ(z): tanh, sigmoid2, …) neuron j may also enter mirrored as
 * (−w_j, −a_j), the same function: such pairs have `sign` = −1.
 *
 * @returns the pairs with their channel coordinates (see {@link channelCoordinates}), i < j.
 * @example
 * ```ts
 * for (const p of findChannels(net, result.x, { trajectory: result.trajectory })) console.log(p.i, p.j, p.eps);
 * ```
 */
export function findChannels(net: Network, x: ArrayLike<number>, opts: FindChannelsOptions = {}): ChannelPair[] {
  const who = "findChannels";
  checkLayered(net, who);
  const o = parseOptions(FindChannelsOptionsSchema, opts, who);
  const maxCos = o.maxCosineDistance ?? MAX_COSINE_DISTANCE;
  const minOut = o.minOutSum ?? MIN_OUT_SUM;
  const minLate = o.minLateShare ?? MIN_LATE_SHARE;
  const window = o.lateWindow ?? LATE_WINDOW;
  const xv = toVector(x, `${who}: parameters x`, net.nparams);
  const update = lateUpdate(o.trajectory, xv, window, who);
  const hidden = net.layers.length - 1;
  const layers = o.layer === undefined ? Array.from({ length: hidden }, (_, l) => l) : [neuronBlocks(net, o.layer, who).layer];
  const pairs: ChannelPair[] = [];
  for (const l of layers) {
    const b = neuronBlocks(net, l, who);
    const inc = Array.from({ length: b.k }, (_, i) => gather(xv, b.incoming(i)));
    const out = Array.from({ length: b.k }, (_, i) => gather(xv, b.outgoing(i)));
    for (let i = 0; i < b.k; i++) {
      for (let j = i + 1; j < b.k; j++) {
        const ni = norm2(inc[i]);
        const nj = norm2(inc[j]);
        const cos = ni === 0 || nj === 0 ? 0 : dot(inc[i], inc[j]) / (ni * nj);
        const sign: 1 | -1 = cos < 0 && oddPair(net, l, i, j) ? -1 : 1;
        const cosineDistance = 1 - sign * cos;
        const outSum = norm2(out[i]) + norm2(out[j]);
        if (!(cosineDistance <= maxCos) || !(outSum >= minOut) || !(sign * dot(out[i], out[j]) < 0)) continue;
        if (inc[i].every((v, n) => v === sign * inc[j][n])) continue;
        const idx = [...b.incoming(i), ...b.incoming(j), ...b.outgoing(i), ...b.outgoing(j)];
        const lateShare = update ? shareIn(update, idx) : NaN;
        if (update && !(lateShare >= minLate)) continue;
        const coords = coordinatesOf(xv, { incoming: [b.incoming(i), b.incoming(j)], outgoing: [b.outgoing(i), b.outgoing(j)], sign }, who);
        pairs.push({ layer: l, i, j, sign, ...coords, cosineDistance, outSum, lateShare });
      }
    }
  }
  return pairs;
}

/** x_end − x_late of the trajectory (x_end = x), or null without a trajectory or without movement. */
function lateUpdate(traj: FindChannelsOptions["trajectory"], x: Float64Array, window: number, who: string): Float64Array | null {
  if (!traj || traj.length === 0) return null;
  const n = traj.length;
  const start = Math.max(0, Math.min(n - 1, Math.floor((n - 1) * (1 - window))));
  const p = traj[start];
  const xs = toVector(p && typeof p === "object" && "x" in p ? p.x : p, `${who}: trajectory point ${start}`, x.length);
  const d = x.map((v, k) => v - xs[k]);
  return d.some((v) => v !== 0) ? d : null;
}

/** ‖d restricted to idx‖² / ‖d‖². */
function shareIn(d: Float64Array, idx: readonly number[]): number {
  let s = 0;
  for (const p of idx) s += d[p] * d[p];
  return s / dot(d, d);
}
