/**
 * Small static SVG line/scatter plots for the report: linear or log10 axes with ticks, series drawn
 * as paths and point markers. The output is plain SVG markup (no script), a few kB per plot, and
 * renders offline in any browser.
 */

/** One data series: points (x[i], y[i]); non-finite points (and non-positive ones on a log axis) are skipped. */
export interface Series {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  label: string;
  color: string;
  /** "line" (default), "points" or "both". */
  mode?: "line" | "points" | "both";
}

/** Options of {@link svgPlot}. */
export interface PlotOptions {
  title: string;
  xlabel: string;
  ylabel: string;
  series: Series[];
  xlog?: boolean;
  /**
   * With `xlog`: x is drawn at log10(x + xshift), so x = 0 (the start of a flow) sits on the axis at
   * log10(xshift); ticks are labelled with x itself (0 and decades of x). Default 0 (plain log axis).
   */
  xshift?: number;
  ylog?: boolean;
  width?: number;
  height?: number;
  /** Text shown in the plot area when no series has a drawable point. */
  empty?: string;
}

const M = { left: 70, right: 16, top: 44, bottom: 46 };

/** Escapes text for HTML/SVG content and attributes. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

/** An SVG plot of the series, with axes, ticks, labels and a legend. */
export function svgPlot(o: PlotOptions): string {
  const W = o.width ?? 520;
  const H = o.height ?? 340;
  const shift = o.xlog && o.xshift && o.xshift > 0 ? o.xshift : 0;
  const fx = o.xlog ? (v: number) => Math.log10(v + shift) : (v: number) => v;
  const fy = o.ylog ? Math.log10 : (v: number) => v;
  const pts = o.series.map((s) => {
    const out: [number, number][] = [];
    for (let i = 0; i < Math.min(s.x.length, s.y.length); i++) {
      const a = fx(s.x[i]);
      const b = fy(s.y[i]);
      if (Number.isFinite(a) && Number.isFinite(b)) out.push([a, b]);
    }
    return out;
  });
  const all = pts.flat();
  const head =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" class="plot" role="img" aria-label="${escapeXml(o.title)}">` +
    `<text x="${W / 2}" y="18" text-anchor="middle" class="title">${escapeXml(o.title)}</text>`;
  if (all.length === 0) {
    return `${head}<text x="${W / 2}" y="${H / 2}" text-anchor="middle" class="empty">${escapeXml(o.empty ?? "no data")}</text></svg>`;
  }
  const [x0, x1] = padRange(...extent(all, 0));
  const [y0, y1] = padRange(...extent(all, 1));
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (v: number) => M.left + ((v - x0) / (x1 - x0)) * pw;
  const sy = (v: number) => M.top + ph - ((v - y0) / (y1 - y0)) * ph;
  const parts: string[] = [head];
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" class="frame"/>`);
  for (const [t, label] of shift > 0
    ? shiftedLogTicks(x0, x1, shift)
    : ticks(x0, x1, !!o.xlog).map((t) => [t, tickLabel(t, !!o.xlog)] as const)) {
    const X = r2(sx(t));
    parts.push(
      `<line x1="${X}" x2="${X}" y1="${M.top}" y2="${M.top + ph}" class="grid"/><text x="${X}" y="${M.top + ph + 16}" text-anchor="middle" class="tick">${label}</text>`,
    );
  }
  for (const t of ticks(y0, y1, !!o.ylog)) {
    const Y = r2(sy(t));
    parts.push(
      `<line x1="${M.left}" x2="${M.left + pw}" y1="${Y}" y2="${Y}" class="grid"/><text x="${M.left - 6}" y="${Y + 4}" text-anchor="end" class="tick">${tickLabel(t, !!o.ylog)}</text>`,
    );
  }
  parts.push(`<text x="${M.left + pw / 2}" y="${H - 8}" text-anchor="middle" class="label">${escapeXml(o.xlabel)}</text>`);
  parts.push(
    `<text transform="translate(14 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle" class="label">${escapeXml(o.ylabel)}</text>`,
  );
  o.series.forEach((s, k) => {
    const p = pts[k];
    if (p.length === 0) return;
    const mode = s.mode ?? "line";
    if (mode !== "points" && p.length > 1) {
      const d = p.map(([a, b], i) => `${i === 0 ? "M" : "L"}${r2(sx(a))},${r2(sy(b))}`).join("");
      parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8" class="series" data-label="${escapeXml(s.label)}"/>`);
    }
    if (mode !== "line" || p.length === 1) {
      const d = p.map(([a, b]) => `M${r2(sx(a) - 2.5)},${r2(sy(b))}a2.5,2.5 0 1,0 5,0a2.5,2.5 0 1,0 -5,0`).join("");
      parts.push(`<path d="${d}" fill="${s.color}" stroke="none" class="series points" data-label="${escapeXml(s.label)}"/>`);
    }
  });
  // legend: one row between the title and the plot area, so it never hides data
  let lx = M.left;
  o.series.forEach((s, k) => {
    if (pts[k].length === 0) return;
    parts.push(
      `<rect x="${lx}" y="${M.top - 14}" width="10" height="10" fill="${s.color}"/><text x="${lx + 14}" y="${M.top - 5}" class="legend">${escapeXml(s.label)}</text>`,
    );
    lx += 28 + 6.5 * s.label.length;
  });
  parts.push("</svg>");
  return parts.join("");
}

/** The range widened by 4 % on each side (or by ±1 / ±0.5·|v| when it is a single value). */
function padRange(lo: number, hi: number): [number, number] {
  if (hi - lo <= 1e-12 * Math.max(1, Math.abs(hi))) {
    const d = Math.abs(lo) > 0 ? Math.abs(lo) * 0.5 : 1;
    return [lo - d, hi + d];
  }
  const d = (hi - lo) * 0.04;
  return [lo - d, hi + d];
}

/** Tick positions in plot coordinates: decades (log axis, every k-th decade) or 1-2-5 steps. */
export function ticks(lo: number, hi: number, log: boolean): number[] {
  if (log && hi - lo >= 1) {
    const step = Math.max(1, Math.ceil((hi - lo) / 8));
    const out: number[] = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) out.push(t);
    return out;
  }
  if (log) return niceTicks(10 ** lo, 10 ** hi).map(Math.log10);
  return niceTicks(lo, hi);
}

/**
 * Ticks of an axis drawn at u = log10(x + shift) over [lo, hi] (in u): x = 0 (at u = log10(shift)) and
 * the decades x = 10ᵏ ≥ shift (every k-th decade when there are many), labelled with x.
 */
export function shiftedLogTicks(lo: number, hi: number, shift: number): (readonly [number, string])[] {
  const out: (readonly [number, string])[] = [];
  const u0 = Math.log10(shift);
  if (u0 >= lo && u0 <= hi) out.push([u0, "0"]);
  const k0 = Math.ceil(Math.log10(shift));
  const k1 = Math.floor(Math.log10(Math.max(10 ** hi - shift, shift)));
  const step = Math.max(1, Math.ceil((k1 - k0 + 1) / 8));
  for (let k = Math.ceil(k0 / step) * step; k <= k1; k += step) {
    const u = Math.log10(10 ** k + shift);
    if (u >= lo && u <= hi) out.push([u, tickLabel(k, true)]);
  }
  return out;
}

function niceTicks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) out.push(k === 0 ? 0 : Number((k * step).toPrecision(12)));
  return out;
}

const SUPERSCRIPT: Record<string, string> = {
  "-": "⁻",
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
};

/** 10⁻⁵ for a decade of a log axis, else a short number. */
function tickLabel(t: number, log: boolean): string {
  if (log && Math.abs(t - Math.round(t)) < 1e-9) return `10${String(Math.round(t)).replace(/[-0-9]/g, (c) => SUPERSCRIPT[c])}`;
  const v = log ? 10 ** t : t;
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(1) : String(Number(v.toPrecision(4)));
}

function r2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** [min, max] of coordinate c of the points, by a loop (spreading 10⁵ points into Math.min overflows the stack). */
function extent(points: readonly (readonly [number, number])[], c: 0 | 1): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of points) {
    lo = Math.min(lo, p[c]);
    hi = Math.max(hi, p[c]);
  }
  return [lo, hi];
}
