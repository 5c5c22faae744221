// Canvas plots of the demo: the live loss curve (log scale) and the Hessian spectrum (sign-aware log
// scale). Plain 2-D canvas drawing, nothing loaded from the network.

const COLOR = {
  ode: "#1f6feb",
  optim: "#d9480f",
  negative: "#cf222e",
  positive: "#1f6feb",
  zero: "#8c959f",
  grid: "#e6e8eb",
  axis: "#57606a",
  text: "#24292f",
};
const MARGIN = { left: 62, right: 14, top: 14, bottom: 40 };
const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

/** "10⁻¹²" for k = −12. */
function power(k) {
  return `10${String(k).replace(/[-0-9]/g, (c) => SUPERSCRIPT[c])}`;
}

/** Sizes the canvas for the screen's pixel ratio and returns a cleared context with the plot area. */
function frame(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const { width, height } = canvas.getBoundingClientRect();
  canvas.width = Math.max(1, Math.round(width * dpr));
  canvas.height = Math.max(1, Math.round(height * dpr));
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.font = "12px system-ui, sans-serif";
  const area = { x: MARGIN.left, y: MARGIN.top, w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom };
  return { ctx, width, height, area };
}

/** A round step (1, 2 or 5 × 10^k) that cuts `range` into about `count` intervals. */
function niceStep(range, count) {
  const raw = range / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

function horizontalLine(ctx, area, y, color) {
  ctx.strokeStyle = color;
  ctx.beginPath();
  ctx.moveTo(area.x, y);
  ctx.lineTo(area.x + area.w, y);
  ctx.stroke();
}

/** Frame of the plot area and the axis titles. */
function axes(ctx, area, height, xTitle, yTitle) {
  ctx.strokeStyle = COLOR.axis;
  ctx.lineWidth = 1;
  ctx.strokeRect(area.x, area.y, area.w, area.h);
  ctx.fillStyle = COLOR.text;
  ctx.textAlign = "center";
  ctx.textBaseline = "alphabetic";
  ctx.fillText(xTitle, area.x + area.w / 2, height - 6);
  ctx.save();
  ctx.translate(13, area.y + area.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(yTitle, 0, 0);
  ctx.restore();
}

function centeredMessage(ctx, width, height, text) {
  ctx.fillStyle = COLOR.axis;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText(text, width / 2, height / 2);
}

/** Labels `text` left of the plot area at height y. */
function yLabel(ctx, area, y, text) {
  ctx.fillStyle = COLOR.text;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  ctx.fillText(text, area.x - 6, y);
}

/**
 * Draws the loss against wall-clock seconds on a log scale; `points` are `{ t, loss, phase }` with
 * phase "ode" (gradient flow or discrete rule) or "optim", coloured differently.
 */
export function drawLossPlot(canvas, points) {
  const { ctx, width, height, area } = frame(canvas);
  if (points.length === 0) return centeredMessage(ctx, width, height, "The loss appears here while the student trains.");
  // A loss of exactly 0 is drawn at 10⁻⁴⁰ (training stops at 2e-32 by default).
  const logs = points.map((p) => Math.log10(Math.max(p.loss, 1e-40)));
  const lo = Math.floor(Math.min(...logs));
  let hi = Math.ceil(Math.max(...logs));
  if (hi === lo) hi = lo + 1;
  const tmax = Math.max(...points.map((p) => p.t), 1e-3);
  const X = (t) => area.x + (t / tmax) * area.w;
  const Y = (l) => area.y + ((hi - l) / (hi - lo)) * area.h;

  const every = Math.ceil((hi - lo) / 8);
  for (let k = lo; k <= hi; k += every) {
    horizontalLine(ctx, area, Y(k), COLOR.grid);
    yLabel(ctx, area, Y(k), power(k));
  }
  const step = niceStep(tmax, 6);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (let t = 0; t <= tmax * (1 + 1e-9); t += step) {
    ctx.fillText(Number(t.toPrecision(6)).toString(), X(t), area.y + area.h + 5);
  }
  axes(ctx, area, height, "wall-clock time (s)", "loss");

  ctx.lineWidth = 2;
  for (let i = 1; i < points.length; i++) {
    ctx.strokeStyle = COLOR[points[i].phase] ?? COLOR.ode;
    ctx.beginPath();
    ctx.moveTo(X(points[i - 1].t), Y(logs[i - 1]));
    ctx.lineTo(X(points[i].t), Y(logs[i]));
    ctx.stroke();
  }
  const last = points.length - 1;
  ctx.fillStyle = COLOR[points[last].phase] ?? COLOR.ode;
  ctx.beginPath();
  ctx.arc(X(points[last].t), Y(logs[last]), 3.5, 0, 2 * Math.PI);
  ctx.fill();

  ctx.textAlign = "right";
  ctx.textBaseline = "top";
  ctx.fillStyle = COLOR.ode;
  ctx.fillText("gradient flow (phase 1)", area.x + area.w - 8, area.y + 6);
  ctx.fillStyle = COLOR.optim;
  ctx.fillText("optimizer (phase 2)", area.x + area.w - 8, area.y + 22);
}

/**
 * Draws eigenvalues (ascending) against their index on a sign-aware log scale: a value λ sits at
 * sign(λ) · log₁₀(|λ| / ε) with ε = 10⁻¹⁴ · max|λ| rounded down to a power of ten; |λ| ≤ ε
 * (zero within round-off) sits on the 0 line. Negative values red, positive blue, zero grey.
 * Returns ε.
 */
export function drawSpectrum(canvas, values) {
  const { ctx, width, height, area } = frame(canvas);
  if (!values || values.length === 0) {
    centeredMessage(ctx, width, height, "The Hessian spectrum at the end point appears here.");
    return 0;
  }
  const amax = Math.max(...Array.from(values, Math.abs));
  const top = amax > 0 ? Math.ceil(Math.log10(amax)) : 0;
  const eps = top - 14;
  const s = (v) => (Math.abs(v) <= 10 ** eps ? 0 : Math.sign(v) * (Math.log10(Math.abs(v)) - eps));
  const negMax = Math.max(0, ...Array.from(values, (v) => -s(v)));
  const up = top - eps;
  const down = negMax > 0 ? Math.ceil(negMax) : 1.5;
  const Y = (y) => area.y + ((up - y) / (up + down)) * area.h;
  const X = (i) => area.x + ((i + 0.5) / values.length) * area.w;

  const every = Math.ceil(up / 6);
  for (let k = every; k <= up; k += every) {
    horizontalLine(ctx, area, Y(k), COLOR.grid);
    yLabel(ctx, area, Y(k), power(k + eps));
    if (k <= down) {
      horizontalLine(ctx, area, Y(-k), COLOR.grid);
      yLabel(ctx, area, Y(-k), `−${power(k + eps)}`);
    }
  }
  horizontalLine(ctx, area, Y(0), COLOR.axis);
  yLabel(ctx, area, Y(0), "0");
  ctx.fillStyle = COLOR.axis;
  ctx.textAlign = "left";
  ctx.textBaseline = "bottom";
  ctx.fillText(`|λ| ≤ ${power(eps)} counts as 0`, area.x + 6, Y(0) - 3);

  ctx.fillStyle = COLOR.text;
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  const istep = Math.max(1, niceStep(values.length, 8));
  for (let i = 0; i < values.length; i += istep) ctx.fillText(String(i + 1), X(i), area.y + area.h + 5);
  axes(ctx, area, height, "eigenvalue number (ascending)", "eigenvalue (sign · log)");

  for (let i = 0; i < values.length; i++) {
    const y = s(values[i]);
    ctx.fillStyle = y < 0 ? COLOR.negative : y > 0 ? COLOR.positive : COLOR.zero;
    ctx.beginPath();
    ctx.arc(X(i), Y(y), 3.5, 0, 2 * Math.PI);
    ctx.fill();
  }
  return 10 ** eps;
}
