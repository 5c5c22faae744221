import type { LayerSpec } from "../api/layers.js";
import { GH_ORDER_MAX, GH_ORDER_MIN } from "../engine/gaussian.js";
import * as v from "../vendor/valibot.js";
import { num, strict } from "./schema.js";

/** Schema of {@link NetIOptions} (the layers themselves are checked by the network, as for `Net`). */
export const NetIOptionsSchema = strict({
  /** Student layers: `[[k, activation, bias], [1, "identity", bias]]`. */
  layers: v.custom<readonly LayerSpec[]>((l) => Array.isArray(l), "an array of layer specs [width, activation, bias]"),
  /**
   * Quadrature for activations without closed forms. Default (undefined): an adaptive trapezoidal
   * rule per integral in the pair's own coordinates, steps chosen from the weights, with Gauss–Legendre
   * panels cut at the kinks of relu and selu (≈ 1e−13 relative for every activation).
   * An integer in 2..4000: the pruned Gauss–Hermite rule of that order (as the original; 600 ≈ 136
   * nodes per dimension), whose gradient and Hessian are the derivatives of its discrete sums.
   */
  quadratureOrder: v.optional(
    num(
      `an integer in ${GH_ORDER_MIN}..${GH_ORDER_MAX} (or omitted for the adaptive rule)`,
      (o) => Number.isInteger(o) && o >= GH_ORDER_MIN && o <= GH_ORDER_MAX,
    ),
  ),
});

/** Options of `new NetI(teacher, opts)`. */
export type NetIOptions = v.InferOutput<typeof NetIOptionsSchema>;
