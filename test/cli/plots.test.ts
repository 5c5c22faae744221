import { describe, expect, it } from "vitest";
import { principalProjection } from "../../src/cli/pca.js";
import { svgPlot, ticks } from "../../src/cli/svgplot.js";

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
    const svg = svgPlot({ title: "t", xlabel: "x", ylabel: "y", xlog: true, ylog: true, series: [
      { x: [0, 1, 10, 100], y: [1, 0.1, 0.01, -1], label: "a", color: "#00f" },
      { x: [1], y: [0], label: "nothing drawable", color: "#f00" },
    ] });
    expect(svg.match(/<path /g)).toHaveLength(1);
    // two drawable points (1, 0.1) and (10, 0.01): a path of M + one L
    expect(/d="M[\d.]+,[\d.]+L[\d.]+,[\d.]+"/.test(svg)).toBe(true);
    expect(svg).toContain("10⁻²");
    expect(svg).not.toContain("nothing drawable");
    expect(svgPlot({ title: "t", xlabel: "x", ylabel: "y", series: [], empty: "no spectrum" })).toContain("no spectrum");
  });
});
