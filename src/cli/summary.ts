import type { TrainResult } from "../train/result.js";

/**
 * The printed summary of a run (as the demo always printed it): loss, gradient norm, phase steps,
 * times and stop reasons, the smallest Hessian eigenvalues and a verdict (teacher found, saddle,
 * minimum, or still moving).
 *
 * @param eigenvalues - ascending Hessian eigenvalues at `r.x`, or undefined when not computed.
 */
export function summaryLines(r: TrainResult, eigenvalues: ArrayLike<number> | undefined): string[] {
  const lines = [
    `  loss              ${r.loss.toExponential(6)}`,
    `  ‖gradient‖∞       ${r.gnorm.toExponential(3)}`,
    `  gradient flow     ${r.odeIterations} steps in ${r.odeTimeRun.toFixed(2)} s, stopped by: ${r.odeStoppedBy || "(skipped)"}`,
    `  optimizer         ${r.optimIterations} iterations in ${r.optimTimeRun.toFixed(2)} s, stopped by: ${r.optimStoppedBy || "(skipped)"}`,
  ];
  if (eigenvalues) lines.push(`  smallest Hessian eigenvalues  ${Array.from(eigenvalues).slice(0, 4).map((v) => v.toExponential(3)).join("  ")}`);
  lines.push(`  ${verdict(r, eigenvalues)}`);
  return lines;
}

/** What kind of point the run ended at. */
export function verdict(r: TrainResult, eigenvalues: ArrayLike<number> | undefined): string {
  if (r.loss < 1e-20) return "the teacher was found (global minimum)";
  if (r.gnorm > 1e-10) return "not yet at a critical point: the flow is still moving through a flat region (give it more time)";
  if (!eigenvalues) return "a critical point (Hessian spectrum not computed)";
  return eigenvalues[0] < -1e-8 ? "a saddle" : "a minimum";
}
