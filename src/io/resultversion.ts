import { MLPGFError } from "../errors.js";
import type { TrainResult } from "../train/result.js";
import { STOP_KINDS, type StopKind, type TrainStop } from "../train/stop.js";

/**
 * Stop reasons as version 1 of the result and checkpoint files wrote them (display strings only),
 * by their fixed beginnings. Used only to read such files: current code carries the kind.
 */
const V1_PREFIXES: readonly (readonly [string, StopKind])[] = [
  ["aborted", "aborted"],
  ["interrupted by SIGINT", "aborted"],
  ["patience", "patience"],
  ["maxtime", "maxtime"],
  ["minloss", "minloss"],
  ["min_gnorm", "minGnorm"],
  ["diverged", "diverged"],
  ["t > 1e300", "maxT"],
  ["maxT =", "maxT"],
  ["maxiterations", "maxiterations"],
  ["non-finite", "nonFinite"],
  ["zero gradient", "zeroGradient"],
  ["line search failed", "lineSearchFailed"],
  ["no progress", "noProgress"],
  ["step size", "stepTooSmall"],
  ["the fixed step", "solverFailed"],
];

/** The stop of a version-1 stop string ("" = the phase was skipped: null); unrecognised text has kind "unknown". */
export function stopFromV1(text: unknown): TrainStop | null {
  if (typeof text !== "string" || text === "") return null;
  const kind = V1_PREFIXES.find(([prefix]) => text.startsWith(prefix))?.[1] ?? "unknown";
  return { kind, message: text };
}

/**
 * A result read from a file of the given version, in the current form: version 1 gets its stop
 * kinds from the stop strings and NaN evaluation counts (it had none); a current file's stops and
 * counts are checked. @throws MLPGFError `FORMAT` if they are malformed.
 */
export function currentResult(r: TrainResult, version: number, where: string): TrainResult {
  if (version === 1) {
    r.odeStop = stopFromV1(r.odeStoppedBy);
    r.optimStop = stopFromV1(r.optimStoppedBy);
    r.evaluations = { loss: NaN, gradient: NaN, hessian: NaN };
    return r;
  }
  for (const k of ["odeStop", "optimStop"] as const) {
    const s = r[k] as unknown;
    const ok =
      s === null ||
      (!!s && typeof s === "object" && STOP_KINDS.includes((s as TrainStop).kind) && typeof (s as TrainStop).message === "string");
    if (!ok) throw new MLPGFError("FORMAT", `${where}: "${k}" must be null or { kind: one of ${STOP_KINDS.join(", ")}, message: string }`);
  }
  const e = r.evaluations as unknown as Record<string, unknown> | null;
  if (!e || typeof e !== "object" || !["loss", "gradient", "hessian"].every((c) => typeof e[c] === "number")) {
    throw new MLPGFError("FORMAT", `${where}: "evaluations" must be { loss, gradient, hessian } (numbers)`);
  }
  return r;
}
