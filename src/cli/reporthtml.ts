import type { TrainResult } from "../train/result.js";
import type { EndpointRecord } from "./endpoint.js";
import type { Projection } from "./pca.js";
import { escapeXml, svgPlot } from "./svgplot.js";
import { verdict } from "./summary.js";

/** Everything the report shows, computed by the `report` command. */
export interface ReportData {
  /** Result file the report was made from. */
  source: string;
  /** The result, with its endpoint analysis when one was made. */
  result: TrainResult & { endpoint?: EndpointRecord };
  /** Config of the run, when the result has one. */
  config?: unknown;
  description?: { network: string; data: string };
  /** ∞-norm of the mean gradient at each trajectory point (null: could not rebuild the net). */
  gnormCurve: number[] | null;
  /** Hessian eigenvalues (ascending) at the result, or null with a reason in `notes`. */
  eigenvalues: ArrayLike<number> | null;
  projection: Projection;
  /** True when phase 1 ran a discrete rule (time axis = iterations). */
  discrete: boolean;
  /** Remarks shown under the summary (e.g. why something is missing). */
  notes: string[];
}

const BLUE = "#1f6fb4";
const RED = "#d1352b";
const GREEN = "#2c9a48";
const ORANGE = "#e08a00";

/**
 * The report as one self-contained HTML page: inline CSS, inline SVG plots (no script, no network):
 * loss over ODE time and over wall-clock time (log–log), gradient norm along the trajectory, the
 * Hessian spectrum at the result (|λ| on a log scale, coloured by sign), the trajectory projected on
 * its first two principal directions, and a summary table.
 */
export function reportHtml(d: ReportData): string {
  const r = d.result;
  const traj = r.trajectory;
  // the point after the optimizer has no ODE time of its own (t = last ODE time + 1): drawn apart
  const nOde = r.optimIterations > 0 ? traj.length - 1 : traj.length;
  const odeT = traj.slice(0, nOde).map((p) => p.t);
  const last = traj[traj.length - 1];
  const optimMark =
    r.optimIterations > 0 && last
      ? [{ x: [last.t], y: [r.lossCurve[traj.length - 1]], label: "after optimizer", color: RED, mode: "points" as const }]
      : [];
  // the time axis is log10(t + t₀) so that the start (t = 0) is drawn: t₀ = the first step's time
  const t0 = d.discrete ? 1 : (odeT.find((t) => t > 0) ?? 1);
  const timeLabel = d.discrete
    ? "iteration (axis: log(iteration + 1))"
    : `gradient-flow time t (axis: log(t + t₀), t₀ = ${Number(t0.toPrecision(2))}, the first step)`;
  const lossT = svgPlot({
    title: "Loss over gradient-flow time",
    xlabel: timeLabel,
    ylabel: "loss",
    xlog: true,
    xshift: t0,
    ylog: true,
    series: [{ x: odeT, y: r.lossCurve.slice(0, nOde), label: "loss", color: BLUE, mode: "both" }, ...optimMark],
  });
  const wall = traj.map((p) => p.wallTime ?? NaN);
  const lossWall = svgPlot({
    title: "Loss over wall-clock time",
    xlabel: "seconds since the start of training",
    ylabel: "loss",
    xlog: true,
    ylog: true,
    series: [{ x: wall, y: r.lossCurve, label: "loss", color: BLUE, mode: "both" }],
    empty: "no wall-clock times in this result",
  });
  const gnorm = svgPlot({
    title: "Gradient norm ‖∇L‖∞ along the trajectory",
    xlabel: timeLabel,
    ylabel: "‖∇L‖∞",
    xlog: true,
    xshift: t0,
    ylog: true,
    series: d.gnormCurve
      ? [
          { x: odeT, y: d.gnormCurve.slice(0, nOde), label: "‖∇L‖∞", color: ORANGE, mode: "both" },
          ...(r.optimIterations > 0 && last
            ? [{ x: [last.t], y: [r.gnorm], label: "after optimizer", color: RED, mode: "points" as const }]
            : []),
        ]
      : [{ x: [odeT[odeT.length - 1] ?? 1], y: [r.gnorm], label: "final ‖∇L‖∞", color: RED, mode: "points" }],
  });
  const ev = d.eigenvalues ? Array.from(d.eigenvalues) : [];
  const idx = ev.map((_v, i) => i + 1);
  const spectrum = svgPlot({
    title: "Hessian spectrum at the result",
    xlabel: "index (ascending eigenvalues)",
    ylabel: "|λ|",
    ylog: true,
    series: [
      { x: idx, y: ev.map((v) => (v > 0 ? v : NaN)), label: "λ > 0", color: BLUE, mode: "points" },
      { x: idx, y: ev.map((v) => (v < 0 ? -v : NaN)), label: "λ < 0", color: RED, mode: "points" },
    ],
    empty: "spectrum not available",
  });
  const pr = d.projection;
  const pca = svgPlot({
    title: "Parameter trajectory (principal directions)",
    xlabel: `PC1 (${(100 * pr.explained[0]).toFixed(1)} % of variance)`,
    ylabel: `PC2 (${(100 * pr.explained[1]).toFixed(1)} % of variance)`,
    series: [
      { x: pr.pc1, y: pr.pc2, label: "trajectory", color: BLUE, mode: "both" },
      { x: pr.pc1.slice(0, 1), y: pr.pc2.slice(0, 1), label: "start", color: GREEN, mode: "points" },
      { x: pr.pc1.slice(-1), y: pr.pc2.slice(-1), label: "result", color: RED, mode: "points" },
    ],
    empty: "fewer than two trajectory points",
  });
  const e = r.endpoint?.eigen;
  // counts with the endpoint analysis' zero tolerance when there is one (rounding is not curvature)
  const signs = e
    ? `${e.negative} negative, ${e.zero} zero (|λ| ≤ ${e.threshold.toExponential(1)}), ${e.positive} positive`
    : `${ev.filter((v) => v < 0).length} negative`;
  const rows: [string, string][] = [
    ["network", d.description?.network ?? `layers ${JSON.stringify(r.layers)}, ${r.x.length} parameters`],
    ["data", d.description?.data ?? "(not recorded)"],
    ["loss", r.loss.toExponential(6)],
    ["‖∇L‖∞", r.gnorm.toExponential(3)],
    ["verdict", verdict(r)],
    ["converged", String(r.converged)],
    ["gradient flow", `${r.odeIterations} steps in ${r.odeTimeRun.toFixed(2)} s, stopped by: ${r.odeStoppedBy || "(skipped)"}`],
    ["optimizer", `${r.optimIterations} iterations in ${r.optimTimeRun.toFixed(2)} s, stopped by: ${r.optimStoppedBy || "(skipped)"}`],
    ["total time", `${r.totalTime.toFixed(2)} s`],
    [
      "Hessian spectrum",
      ev.length
        ? `${ev.length} eigenvalues, ${signs}; smallest ${ev
            .slice(0, 4)
            .map((v) => v.toExponential(3))
            .join(", ")}`
        : "not available",
    ],
    ["trajectory", `${traj.length} points`],
  ];
  const table = rows.map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`).join("\n");
  const config =
    d.config === undefined ? "" : `<details><summary>config</summary><pre>${escapeXml(JSON.stringify(d.config, null, 2))}</pre></details>`;
  const notes = d.notes.length ? `<ul class="notes">${d.notes.map((n) => `<li>${escapeXml(n)}</li>`).join("")}</ul>` : "";
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>mlpgf report: ${escapeXml(d.source)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:20px;margin:0 0 12px}
table{border-collapse:collapse;margin:8px 0 16px}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3;font-weight:600}
.plots{display:flex;flex-wrap:wrap;gap:12px}
.plot{border:1px solid #ddd;background:#fff}
.plot .title{font-size:14px;font-weight:600}.plot .tick{font-size:11px;fill:#444}.plot .label{font-size:12px}.plot .legend{font-size:11px}
.plot .frame{fill:none;stroke:#888}.plot .grid{stroke:#e6e6e6}.plot .empty{fill:#999;font-size:13px}
pre{background:#f7f7f7;padding:8px;overflow:auto}.notes{color:#8a5a00}
</style></head><body>
<h1>mlpgf report: ${escapeXml(d.source)}</h1>
<table>
${table}
</table>
${notes}
<div class="plots">
${lossT}
${lossWall}
${gnorm}
${spectrum}
${pca}
</div>
${config}
<p><small>Made by mlp-gradient-flow's <code>mlpgf report</code>. Loss = mean squared error over samples (no ½), or the Gaussian expectation for infinite data.</small></p>
</body></html>
`;
}
