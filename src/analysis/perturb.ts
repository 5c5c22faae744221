import { MLPGFError } from "../errors.js";
import { toVector } from "../api/matrix.js";
import { eigenvector } from "../api/eigenvector.js";
import { hessianSpectrum } from "../api/spectrum.js";
import type { Network } from "../landscape/network.js";
import { checkKeys } from "./neuronblocks.js";

/** Options of {@link perturb}. */
export interface PerturbOptions {
  /** Index j of the eigenvector, in ascending order of the eigenvalues (0 = the smallest, the default; negative from the end, −1 = the largest). */
  eigen?: number;
  /** Step length α along the unit eigenvector (required, finite). */
  alpha: number;
}

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
  if (opts === undefined) throw new MLPGFError("OPTION", `${who}: options { eigen?, alpha } are required (alpha has no default)`);
  const o = checkKeys(opts, ["eigen", "alpha"], who);
  const xv = toVector(x, `${who}: parameters x`, net.nparams);
  const P = xv.length;
  const j = o.eigen ?? 0;
  if (typeof j !== "number" || !Number.isInteger(j) || j < -P || j >= P) throw new MLPGFError("OPTION", `${who}: option eigen must be an eigenvector index in ${-P}..${P - 1}, got ${JSON.stringify(o.eigen)}`);
  const alpha = o.alpha;
  if (typeof alpha !== "number" || !Number.isFinite(alpha)) throw new MLPGFError("OPTION", `${who}: option alpha must be a finite number, got ${JSON.stringify(alpha)}`);
  const spectrum = hessianSpectrum(net, xv);
  const direction = eigenvector(spectrum, j);
  return {
    plus: xv.map((v, p) => v + alpha * direction[p]),
    minus: xv.map((v, p) => v - alpha * direction[p]),
    eigenvalue: spectrum.values[j < 0 ? P + j : j],
    direction,
  };
}
