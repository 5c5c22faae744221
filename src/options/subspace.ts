import * as v from "../vendor/valibot.js";
import { bool, index, integer, nonNegative, oneOf, strict, vector } from "./schema.js";

/** Optimizers for the complement minimisation of `subspaceMinloss`. */
export const SUBSPACE_METHODS = ["newtonTrustRegion", "newton", "bfgs", "lbfgs"] as const;

/** Optimizers for the complement minimisation. */
export type SubspaceMethod = (typeof SUBSPACE_METHODS)[number];

const subspaceEntries = {
  /** Random restarts after the first run (from `init`). Default 3·(P − 2), as the original. */
  restarts: v.optional(index),
  /** Standard deviation of the random perturbations of the restart points. Default 1e-2. */
  sigma: v.optional(nonNegative),
  /** Seed of the restart points (same seed, same result). Default 0. */
  seed: v.optional(integer),
  /** Wall-clock limit of each run in seconds. Default 1. */
  maxtime: v.optional(nonNegative),
  /** Iteration limit of each run. Default 1000. */
  maxIterations: v.optional(index),
  /**
   * Optimizer over the complement coordinates. Default `"newtonTrustRegion"` with the exact
   * projected Hessian BᵀHB when the objective has `hessian` (quadratic convergence to machine
   * precision in a few iterations, safe at saddles), `"lbfgs"` otherwise.
   */
  method: v.optional(oneOf(SUBSPACE_METHODS)),
  /** After the restarts, run the optimizer once more from the best point without the `gtol` stop, to machine precision. Default true. */
  finetune: v.optional(bool),
  /** A run stops when the ∞-norm of the complement gradient Bᵀ∇L is ≤ gtol; `converged` reports the same test. Default 1e-10. */
  gtol: v.optional(nonNegative),
  /** Complement coordinates of the first run's start point (length P − 2). Default 0: the in-plane point itself. */
  init: v.optional(vector("an array of P − 2 finite numbers")),
};

/** Schema of {@link SubspaceMinlossOptions}. */
export const SubspaceMinlossOptionsSchema = strict(subspaceEntries);

/** Options of `subspaceMinloss`. */
export type SubspaceMinlossOptions = v.InferOutput<typeof SubspaceMinlossOptionsSchema>;

/** Schema of {@link SubspaceGridOptions}: those of `subspaceMinloss` and `reverse`. */
export const SubspaceGridOptionsSchema = strict({
  ...subspaceEntries,
  /** Random restarts per grid point. Default 3 (the original's n = 3). */
  restarts: v.optional(index),
  /** Perturbation of the restart points. Default 1e-3. */
  sigma: v.optional(nonNegative),
  /** Run the reverse refinement pass. Default true. */
  reverse: v.optional(bool),
});

/** Options of `subspaceMinlossOnGrid`: those of `subspaceMinloss` (defaults changed as noted) and `reverse`. */
export type SubspaceGridOptions = v.InferOutput<typeof SubspaceGridOptionsSchema>;
