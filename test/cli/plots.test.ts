import { describe, expect, it } from "vitest";
import { principalProjection } from "../../src/cli/pca.js";
import { shiftedLogTicks, svgPlot, ticks } from "../../src/cli/svgplot.js";

describe("report plots", () => {
  it("principalProjection recovers a planar path embedded in 6 dimensions (distances kept, variance split)", () => {
    // points on a plane spanned by two orthonormal vectors in R⁶, plus an offset
    const u = [1, 1, 0, 0, 1, 1].map((v) => v / 2);
    const w = [1, -1, 1, -1, 0, 0].map((v) => v / 2);
    const coords = Array.from({ length: 30 }, (_, i) => [3 * Math.cos(i / 5), Math.sin(i / 5)]);
    const pts = coords.map(([a, b]) => Float64Array.from(u, (ui, j) => 7 + a * ui + b * w[j]));
    const p = principalProjection(pts);
    for (let i = 0; i < pts.length; i++) {
      for (let j = 0; j < i; j++) {
        const d2 = (p.pc1[i] - p.pc1[j]) ** 2 + (p.pc2[i] - p.pc2[j]) ** 2;
        const e2 = (coords[i][0] - coords[j][0]) ** 2 + (coords[i][1] - coords[j][1]) ** 2;
        expect(Math.abs(d2 - e2)).toBeLessThan(1e-9);
      }
    }
    expect(p.explained[0] + p.explained[1]).toBeCloseTo(1, 12);
    expect(p.explained[0]).toBeGreaterThan(p.explained[1]);
    expect(p.pc1[29]).toBeGreaterThan(p.pc1[0]); // oriented from the first point towards the last
  });

  it("log-axis ticks are whole decades inside the range; linear ticks are 1-2-5 steps", () => {
    expect(ticks(-6.3, 1.2, true)).toEqual([-6, -5, -4, -3, -2, -1, 0, 1]);
    expect(ticks(-20.5, 0.5, true).every((t) => Number.isInteger(t) && t >= -20.5 && t <= 0.5)).toBe(true);
    expect(ticks(-20.5, 0.5, true).length).toBeLessThanOrEqual(8);
    expect(ticks(0, 1, false)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it("svgPlot: one path per drawable series, log axes skip non-positive values, empty plots say so", () => {
    const svg = svgPlot({
      title: "t",
      xlabel: "x",
      ylabel: "y",
      xlog: true,
      ylog: true,
      series: [
        { x: [0, 1, 10, 100], y: [1, 0.1, 0.01, -1], label: "a", color: "#00f" },
        { x: [1], y: [0], label: "nothing drawable", color: "#f00" },
      ],
    });
    expect(svg.match(/<path /g)).toHaveLength(1);
    // two drawable points (1, 0.1) and (10, 0.01): a path of M + one L
    expect(/d="M[\d.]+,[\d.]+L[\d.]+,[\d.]+"/.test(svg)).toBe(true);
    expect(svg).toContain("10⁻²");
    expect(svg).not.toContain("nothing drawable");
    expect(svgPlot({ title: "t", xlabel: "x", ylabel: "y", series: [], empty: "no spectrum" })).toContain("no spectrum");
  });

  it("a log time axis shifted by t₀ draws t = 0 and labels ticks with t (0 and decades)", () => {
    const t = [0, 1e-3, 1e-2, 1, 100, 1e6];
    const loss = [2.7, 2.5, 2, 0.5, 1e-5, 1e-20];
    const plain = svgPlot({
      title: "t",
      xlabel: "t",
      ylabel: "loss",
      xlog: true,
      ylog: true,
      series: [{ x: t, y: loss, label: "loss", color: "#00f", mode: "points" }],
    });
    const shifted = svgPlot({
      title: "t",
      xlabel: "t",
      ylabel: "loss",
      xlog: true,
      xshift: 1e-3,
      ylog: true,
      series: [{ x: t, y: loss, label: "loss", color: "#00f", mode: "points" }],
    });
    const markers = (svg: string) => (svg.match(/a2\.5,2\.5 0 1,0 5,0/g) ?? []).length;
    expect(markers(plain)).toBe(5); // t = 0 cannot sit on a plain log axis
    expect(markers(shifted)).toBe(6);
    expect(shifted).toMatch(/class="tick">0</);
    const tk = shiftedLogTicks(Math.log10(1e-3), Math.log10(1e6 + 1e-3), 1e-3);
    expect(tk[0]).toEqual([-3, "0"]);
    // decades 10⁻³ … 10⁶ at log10(10ᵏ + 10⁻³), at most 8 of them plus the 0 tick, increasing
    expect(tk.length).toBeLessThanOrEqual(9);
    for (let i = 1; i < tk.length; i++) expect(tk[i][0]).toBeGreaterThan(tk[i - 1][0]);
    expect(tk.map((x) => x[1])).toContain("10⁶");
    const at = tk.find((x) => x[1] === "10⁻²");
    expect(Math.abs((at?.[0] ?? NaN) - Math.log10(1e-2 + 1e-3))).toBeLessThan(1e-12); // t = 10⁻² sits at log10(t + t₀)
  });
});
