import { describe, expect, it } from "vitest";
import { LogSampler } from "../../src/train/trajectory.js";

const x = new Float64Array(1);

/** A stiff flow's times: t = 0, then steps growing geometrically from h to beyond tEnd. */
function flowTimes(h: number, tEnd: number, growth = 1.02): number[] {
  const t = [0];
  for (let s = h; s <= tEnd; s *= growth) t.push(s);
  return t;
}

describe("LogSampler keeps early times", () => {
  it("a flow from t = 1e-3 to 1e8 keeps its points evenly over log10(t/t₀ + 1): about a quarter of them at t < 1", () => {
    const times = flowTimes(1e-3, 1e8);
    const s = new LogSampler(101);
    times.forEach((t, i) => s.offer(t, x, i));
    const pts = s.points();
    expect(pts.length).toBeGreaterThan(90);
    expect(pts.length).toBeLessThanOrEqual(101);
    expect(pts[0].t).toBe(0);
    expect(pts[pts.length - 1].t).toBe(times[times.length - 1]);
    // log10(1/1e-3 + 1) / log10(1e8/1e-3 + 1) = 3.0 / 11 of the grid lies below t = 1
    const early = pts.filter((p) => p.t > 0 && p.t < 1).length;
    expect(early).toBeGreaterThan(0.2 * pts.length);
    expect(early).toBeLessThan(0.35 * pts.length);
    // no decade between 1e-3 and 1e8 is empty
    for (let d = -3; d < 8; d++)
      expect(
        pts.some((p) => p.t >= 10 ** d && p.t < 10 ** (d + 1)),
        `decade 1e${d}`,
      ).toBe(true);
  });

  it("discrete rules (t = iteration 0, 1, 2, …) keep the grid in log10(t + 1)", () => {
    const s = new LogSampler(20);
    for (let it = 0; it <= 1e4; it++) s.offer(it, x, it);
    const pts = s.points();
    expect(pts.map((p) => p.t).slice(0, 3)).toEqual([0, 1, 2]);
    expect(pts[pts.length - 1].t).toBe(1e4);
  });

  it("bounded memory: at most 2n + 1 points are held, however long the run", () => {
    const s = new LogSampler(10);
    for (const t of flowTimes(1e-6, 1e12, 1.001)) {
      s.offer(t, x, 0);
      expect(s.state().kept.length).toBeLessThanOrEqual(21);
    }
  });

  it("a state saved and restored continues identically; a state of an older version (no scale) keeps the old grid", () => {
    const times = flowTimes(1e-2, 1e6);
    const whole = new LogSampler(30);
    const part = new LogSampler(30);
    times.forEach((t, i) => {
      whole.offer(t, x, i);
      if (i < 200) part.offer(t, x, i);
    });
    const resumed = LogSampler.restore(
      JSON.parse(JSON.stringify(part.state(), (_k, v) => (v instanceof Float64Array ? Array.from(v) : v))),
    );
    times.forEach((t, i) => i >= 200 && resumed.offer(t, x, i));
    expect(resumed.points().map((p) => p.t)).toEqual(whole.points().map((p) => p.t));

    const old = part.state();
    delete old.scale;
    const oldResumed = LogSampler.restore(old);
    expect(oldResumed.state().scale).toBe(1);
  });
});
