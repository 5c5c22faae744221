import { collectSweep } from "../sweep/collect.js";
import type { Cell } from "../sweep/csv.js";
import { writeFileAtomic } from "../io/atomic.js";
import type { Output } from "./progress.js";
import { escapeXml, svgPlot } from "./svgplot.js";

/**
 * `mlpgf sweep report DIR`: one self-contained HTML page (inline SVG, no script) with the run counts,
 * the final loss of every run against its index (log scale; failed and pending runs absent) and the
 * collected table.
 */
export async function sweepReportCommand(dir: string, output: string, out: Output): Promise<void> {
  const t = await collectSweep(dir);
  const col = (name: string) => t.columns.indexOf(name);
  const status = t.rows.map((r) => r[col("status")]);
  const count = (s: string) => status.filter((x) => x === s).length;
  const loss = t.rows.map((r) => (typeof r[col("loss")] === "number" ? (r[col("loss")] as number) : NaN));
  const plot = svgPlot({
    title: "Final loss of each run",
    xlabel: "run index",
    ylabel: "loss",
    ylog: true,
    width: 760,
    series: [{ x: t.rows.map((_, i) => i), y: loss, label: "loss", color: "#1f77b4", mode: "points" }],
    empty: "no completed run yet",
  });
  const cell = (c: Cell) => `<td>${c === null ? "" : escapeXml(String(c))}</td>`;
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>sweep ${escapeXml(dir)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#f4f4f4}</style>
</head><body>
<h1>Sweep ${escapeXml(dir)}</h1>
<p>${t.rows.length} runs: done ${count("done")}, failed ${count("failed")}, pending ${count("pending")}</p>
${plot}
<table><thead><tr>${t.columns.map((c) => `<th>${escapeXml(c)}</th>`).join("")}</tr></thead>
<tbody>
${t.rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`).join("\n")}
</tbody></table>
</body></html>
`;
  await writeFileAtomic(output, html);
  out.write(`report written to ${output}\n`);
}
