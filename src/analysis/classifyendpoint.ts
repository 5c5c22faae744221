import { MLPGFError } from "../errors.js";
import { describe, toVector } from "../api/matrix.js";
import { Net } from "../api/net.js";
import { NetI } from "../api/neti.js";
import { hessianSpectrum } from "../api/spectrum.js";
import { normInf } from "../optim/vector.js";
import type { Network } from "../landscape/network.js";
import { type ClassifyEndpointOptions, ClassifyEndpointOptionsSchema } from "../options/analysis.js";
import { parseOptions } from "../options/parse.js";
import { type ChannelPair, findChannels } from "./findchannels.js";

export type { ClassifyEndpointOptions };

/** What kind of point a run ended at. */
export type EndpointKind = "minimum" | "saddle" | "channel" | "not-critical";

/**
 * The four λ_min classes of the Julia original's fixed-point survey (absolute thresholds ±1e-8 on the
 * smallest Hessian eigenvalue, as its scripts used them).
 */
export type LambdaMinClass = "< -1e-8" | "[-1e-8, 0)" | "[0, 1e-8)" | ">= 1e-8";

/** Default relative gradient tolerance of {@link classifyEndpoint}. */
export const GRADIENT_TOLERANCE = 1e-10;
/** Default relative zero-eigenvalue tolerance of {@link classifyEndpoint}. */
export const EIGEN_TOLERANCE = 1e-10;
/** The absolute λ_min threshold of the original's fixed-point survey. */
const SURVEY_THRESHOLD = 1e-8;

/** The evidence of {@link classifyEndpoint}. */
export interface EndpointClassification {
  /**
   * `"channel"`: a pair of neurons on a channel to infinity (see `channels`); otherwise
   * `"not-critical"` when the relative gradient exceeds its tolerance, `"saddle"` with at least one
   * negative eigenvalue beyond the zero tolerance, `"minimum"` else (degenerate when `eigen.zero` > 0).
   */
  kind: EndpointKind;
  /** Loss at x. */
  loss: number;
  /** ‖∇L‖∞ at x. */
  gnorm: number;
  /** The gradient test: `relative` = gnorm / `scale`, `scale` = |λ|max · max(1, ‖x‖∞), and the tolerance used. */
  gradient: { relative: number; scale: number; tolerance: number };
  /**
   * The Hessian spectrum: smallest and largest eigenvalue, the counts of negative (λ < −threshold),
   * zero (|λ| ≤ threshold) and positive eigenvalues, the relative `tolerance` used and the absolute
   * `threshold` = tolerance · |λ|max it gave.
   */
  eigen: { min: number; max: number; negative: number; zero: number; positive: number; tolerance: number; threshold: number };
  /** The ascending Hessian eigenvalues. */
  values: Float64Array;
  /** Channel pairs found (empty when none, or when the channel search was switched off). */
  channels: ChannelPair[];
  /** λ_min class of the original's fixed-point survey (only with the `lambdaMinClass` option). */
  lambdaMinClass?: LambdaMinClass;
}

/**
 * Where did a run end? Classifies the point x of a `Net` or `NetI` as a minimum, a saddle, a channel
 * to infinity or a point that is not (yet) critical, with the evidence: loss, ‖∇L‖∞, the Hessian
 * spectrum summary and the channel pairs. All tolerances are relative and reported back: the gradient
 * relative to its scale |λ|max · max(1, ‖x‖∞), zero eigenvalues relative to the largest |λ|.
 *
 * Computes the full Hessian spectrum (P × P, O(P³)): meant for the endpoint of a run, not for every step.
 *
 * A minimum with zero eigenvalues (e.g. a point on a line of critical points made by splitting a
 * neuron) is still a `"minimum"`, with `eigen.zero` > 0. A channel point is reported as `"channel"`
 * even when its gradient is tiny: the loss keeps decreasing towards infinity along it.
 *
 * @param net - a `Net` (with data) or `NetI`.
 * @param x - parameters of `net`.
 * @example
 * ```ts
 * const c = classifyEndpoint(net, result.x);
 * console.log(c.kind, c.eigen.min, c.eigen.tolerance);
 * ```
 */
export function classifyEndpoint(net: Network, x: ArrayLike<number>, opts: ClassifyEndpointOptions = {}): EndpointClassification {
  const who = "classifyEndpoint";
  const o = parseOptions(ClassifyEndpointOptionsSchema, opts, who);
  const gtol = o.gradientTolerance ?? GRADIENT_TOLERANCE;
  const etol = o.eigenTolerance ?? EIGEN_TOLERANCE;
  if (!(net instanceof Net) && !(net instanceof NetI))
    throw new MLPGFError("VALUE", `${who}: expected a Net or NetI, got ${describe(net)}`);
  const xv = toVector(x, `${who}: parameters x`, net.nparams);
  const { loss, gradient } = net.lossAndGradient(xv);
  const gnorm = normInf(gradient);
  const values = hessianSpectrum(net, xv).values;
  const n = values.length;
  const max = n ? values[n - 1] : 0;
  const min = n ? values[0] : 0;
  const largest = Math.max(Math.abs(min), Math.abs(max));
  const threshold = etol * largest;
  let negative = 0;
  let zero = 0;
  for (const v of values) {
    if (v < -threshold) negative++;
    else if (v <= threshold) zero++;
  }
  const scale = largest * Math.max(1, normInf(xv));
  const relative = gnorm === 0 ? 0 : gnorm / scale;
  const channels = o.channels === false || net.plans.length < 2 ? [] : findChannels(net, xv, o.channels);
  let kind: EndpointKind;
  if (channels.length > 0) kind = "channel";
  else if (!(relative <= gtol)) kind = "not-critical";
  else kind = negative > 0 ? "saddle" : "minimum";
  const out: EndpointClassification = {
    kind,
    loss,
    gnorm,
    gradient: { relative, scale, tolerance: gtol },
    eigen: { min, max, negative, zero, positive: n - negative - zero, tolerance: etol, threshold },
    values,
    channels,
  };
  if (o.lambdaMinClass) out.lambdaMinClass = lambdaMinClass(min);
  return out;
}

/** The class of λ_min in the original's fixed-point survey. */
export function lambdaMinClass(lambdaMin: number): LambdaMinClass {
  if (lambdaMin < -SURVEY_THRESHOLD) return "< -1e-8";
  if (lambdaMin < 0) return "[-1e-8, 0)";
  if (lambdaMin < SURVEY_THRESHOLD) return "[0, 1e-8)";
  return ">= 1e-8";
}
