import * as v from "../vendor/valibot.js";
import { bool, finite, index, integer, nonNegative, strict } from "./schema.js";

/** A trajectory: parameter vectors or `{ x }` records (a `TrainResult`'s `trajectory`), oldest first. */
const trajectory = v.custom<readonly (ArrayLike<number> | { x: ArrayLike<number> })[]>(
  (t) => Array.isArray(t) && Array.from(t).every((p) => !!p && typeof p === "object"),
  "an array of parameter vectors or { x } records (a TrainResult's trajectory)",
);

/** Schema of {@link FindChannelsOptions}. */
export const FindChannelsOptionsSchema = strict({
  /** Hidden layer to search (0-based); default: every hidden layer. */
  layer: v.optional(index),
  /** Largest cosine distance 1 − cos(w_i, w_j) of the incoming vectors (bias included). Default 0.01. */
  maxCosineDistance: v.optional(nonNegative),
  /** Smallest ‖a_i‖ + ‖a_j‖ of the outgoing weights (which must point in opposite directions, a_i·a_j < 0). Default 10. */
  minOutSum: v.optional(nonNegative),
  /**
   * Points of the trajectory that ended at x (parameter vectors or `{ x }` records, oldest first):
   * when given, a pair must also carry the share `minLateShare` of the late update ‖x − x_late‖² in
   * its own parameters (incoming and outgoing weights of i and j).
   */
  trajectory: v.optional(trajectory),
  /** Smallest share of the late update inside the pair's parameters. Default 0.5 ("most"). */
  minLateShare: v.optional(nonNegative),
  /** The late update starts at this fraction of the stored trajectory points from the end. Default 0.1 (the last tenth). */
  lateWindow: v.optional(nonNegative),
});

/** Options of `findChannels` (every field optional). */
export type FindChannelsOptions = v.InferOutput<typeof FindChannelsOptionsSchema>;

/** Schema of {@link ClassifyEndpointOptions}. */
export const ClassifyEndpointOptionsSchema = strict({
  /**
   * Relative gradient tolerance (default 1e-10): the point counts as critical when
   * ‖∇L‖∞ ≤ tolerance · |λ|max · max(1, ‖x‖∞), i.e. when the step that the largest curvature would
   * need to cancel the gradient is shorter than `tolerance` times the size of the parameters.
   */
  gradientTolerance: v.optional(nonNegative),
  /** Relative zero-eigenvalue tolerance (default 1e-10): |λ| ≤ tolerance · |λ|max counts as zero. */
  eigenTolerance: v.optional(nonNegative),
  /** Also report the λ_min class of the original's fixed-point survey (absolute thresholds ±1e-8). */
  lambdaMinClass: v.optional(bool),
  /** Options of the channel search (`findChannels`); `false` skips it. */
  channels: v.optional(v.union([v.literal(false), FindChannelsOptionsSchema], "false or the options of findChannels")),
});

/** Options of `classifyEndpoint` (every field optional). */
export type ClassifyEndpointOptions = v.InferOutput<typeof ClassifyEndpointOptionsSchema>;

/** Schema of {@link AlignNeuronsOptions}. */
export const AlignNeuronsOptionsSchema = strict({
  /** Hidden layer, 0-based (default 0); the same index in both networks. */
  layer: v.optional(index),
  /** A neuron copies a reference neuron when the cosine of their incoming vectors is ≥ this. Default 0.99. */
  copyCosine: v.optional(finite),
  /** A neuron that copies none lies between the reference neurons with cosine ≥ this. Default 0.5. */
  averageCosine: v.optional(finite),
});

/** Options of `alignNeurons` (every field optional). */
export type AlignNeuronsOptions = v.InferOutput<typeof AlignNeuronsOptionsSchema>;

/** Schema of {@link PerturbOptions}. */
export const PerturbOptionsSchema = strict({
  /** Index j of the eigenvector, ascending eigenvalues (0 = the smallest, the default; negative from the end, −1 = the largest). */
  eigen: v.optional(integer),
  /** Step length α along the unit eigenvector (required). */
  alpha: finite,
});

/** Options of `perturb`: `alpha` is required. */
export type PerturbOptions = v.InferOutput<typeof PerturbOptionsSchema>;
