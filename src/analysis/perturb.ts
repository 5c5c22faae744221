import { toVector } from "../api/matrix.js";
import { eigenvector } from "../api/eigenvector.js";
import { hessianSpectrum } from "../api/spectrum.js";
import type { Network } from "../landscape/network.js";
import { type PerturbOptions, PerturbOptionsSchema } from "../options/analysis.js";
import { optionError, parseOptions } from "../options/parse.js";

export type { PerturbOptions };

/** The two perturbed points of {@link perturb} and the direction used. */
export interface Perturbation {
  /** x + α·v_j. */
  plus: Float64Array;
  /** x − α·v_j. */
  minus: Float64Array;
  /** The eigenvalue λ_j. */
  eigenvalue: number;
  /** The unit eigenvector v_j (its sign is arbitrary: hence both points). */
  direction: Float64Array;
}

/**
 * Moves x along the j-th Hessian eigenvector (ascending eigenvalues; j = 0 is the direction of most
 * negative curvature): x ± α·v_j. The papers' test of where a saddle's unstable direction leads,
 * e.g. into a channel: train from `plus` and `minus` and classify the endpoints.
 *
 * @example
 * ```ts
 * const { plus, minus, eigenvalue } = perturb(net, x, { eigen: 0, alpha: 1e-3 });
 * ```
 */
export function perturb(net: Network, x: ArrayLike<number>, opts: PerturbOptions): Perturbation {
  const who = "perturb";
  const o = parseOptions(PerturbOptionsSchema, opts, who);
  const xv = toVector(x, `${who}: parameters x`, net.nparams);
  const P = xv.length;
  const j = o.eigen ?? 0;
  if (j < -P || j >= P) throw optionError(who, "eigen", `expected an eigenvector index in ${-P}..${P - 1}, got ${j}`);
  const alpha = o.alpha;
  const spectrum = hessianSpectrum(net, xv);
  const direction = eigenvector(spectrum, j);
  return {
    plus: xv.map((v, p) => v + alpha * direction[p]),
    minus: xv.map((v, p) => v - alpha * direction[p]),
    eigenvalue: spectrum.values[j < 0 ? P + j : j],
    direction,
  };
}
