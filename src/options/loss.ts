import * as v from "../vendor/valibot.js";
import { finite, index, nonNegative, oneOf, strict, vector } from "./schema.js";

/** Loss types: `"mse"` (squared error, no ½) and `"nll"` (negative log-likelihood of a softmax output). */
export const LOSS_TYPES = ["mse", "nll"] as const;

/** A loss type: `"mse"` or `"nll"`. */
export type LossType = (typeof LOSS_TYPES)[number];

/** Two different neuron indices (0-based). */
const neuronPair = v.custom<readonly [number, number]>(
  (p) => Array.isArray(p) && p.length === 2 && [p[0], p[1]].every((i) => Number.isInteger(i) && i >= 0) && p[0] !== p[1],
  "two different neuron indices [i, j] (integers ≥ 0)",
);

/** Schema of {@link MergeOption}; the indices are checked against the layers by the network. */
export const MergeOptionSchema = strict({
  /** Layer index (0-based) of the two neurons. */
  layer: index,
  /** The two neurons (0-based, different). */
  pair: neuronPair,
  /** λ of the penalty (λ/2)·‖w_i − w_j‖². */
  lambda: finite,
});

/** Merge penalty (λ/2)·‖w_i − w_j‖² between neurons i and j (0-based) of layer `layer` (0-based), bias included. */
export type MergeOption = v.InferOutput<typeof MergeOptionSchema>;

/** Schema of {@link LossOptions}. */
export const LossOptionsSchema = strict({
  /** Must match the output layer: `"nll"` for softmax, `"mse"` otherwise (the default chosen for you). */
  losstype: v.optional(oneOf(LOSS_TYPES)),
  /** Sample weights for this call only (N values ≥ 0). */
  weights: v.optional(vector("an array of N finite numbers ≥ 0 (sample weights)", (w) => w >= 0 && w < Infinity)),
  /** Cubic barrier (weightnorm(x) − c)³/3 when weightnorm(x) > c. Default Infinity (off). */
  maxnorm: v.optional(nonNegative),
  /** Merge penalty (λ/2)·‖w_i − w_j‖² between two neurons of one layer. */
  merge: v.optional(v.nullable(MergeOptionSchema)),
});

/** Options of the loss, gradient and Hessian methods of `Net` and `NetI` (every field optional). */
export type LossOptions = v.InferOutput<typeof LossOptionsSchema>;
