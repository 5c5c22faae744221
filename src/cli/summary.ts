import type { TrainResult } from "../train/result.js";
import { type EndpointRecord, endpointVerdict } from "./endpoint.js";

/**
 * The printed summary of a run (as the demo always printed it): loss, gradient norm, phase steps,
 * times and stop reasons, the smallest Hessian eigenvalues and the verdict of the endpoint analysis
 * (minimum, saddle, channel or still moving, with the relative tolerances used, and "teacher found"
 * only when the student matches a known teacher neuron by neuron).
 *
 * @param r - the result, with its endpoint analysis (`endpoint`) when one was made.
 * @param eigenvalues - ascending Hessian eigenvalues at `r.x`, or undefined when not computed.
 */
export function summaryLines(r: TrainResult & { endpoint?: EndpointRecord }, eigenvalues: ArrayLike<number> | undefined): string[] {
  const lines = [
    `  loss              ${r.loss.toExponential(6)}`,
    `  ‖gradient‖∞       ${r.gnorm.toExponential(3)}`,
    `  gradient flow     ${r.odeIterations} steps in ${r.odeTimeRun.toFixed(2)} s, stopped by: ${r.odeStoppedBy || "(skipped)"}`,
    `  optimizer         ${r.optimIterations} iterations in ${r.optimTimeRun.toFixed(2)} s, stopped by: ${r.optimStoppedBy || "(skipped)"}`,
  ];
  if (eigenvalues)
    lines.push(
      `  smallest Hessian eigenvalues  ${Array.from(eigenvalues)
        .slice(0, 4)
        .map((v) => v.toExponential(3))
        .join("  ")}`,
    );
  lines.push(`  ${verdict(r)}`);
  return lines;
}

/** What kind of point the run ended at (see {@link endpointVerdict}). */
export function verdict(r: TrainResult & { endpoint?: EndpointRecord }): string {
  return endpointVerdict(r.endpoint, r.gnorm);
}
