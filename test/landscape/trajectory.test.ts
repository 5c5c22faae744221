import { afterEach, describe, expect, it, vi } from "vitest";
import { MLPGFError, train, trajectoryDistance } from "../../src/index.js";
import { teacherData } from "./helpers.js";

// reference along the first axis: x_j = (j, 0), t_j = 10 j; distance of (a, b) to x_j = ((a − j)² + b²)/4
const ref = [0, 1, 2, 3, 4].map((j) => ({ t: 10 * j, x: [j, 0] }));

describe("trajectoryDistance", () => {
  afterEach(() => vi.restoreAllMocks());

  it("matches each point greedily forward with distance Σ(Δx)²/(2P)", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const traj = [
      { t: 0, x: [0.1, 0] }, //  → x_0, 0.01/4
      { t: 1, x: [1.4, 1] }, //  → x_1, (0.16 + 1)/4
      { t: 2, x: [0.2, 0] }, //  stays at x_1 (never goes back): (0.64)/4
      { t: 3, x: [2.6, 0.5] }, // → x_3 : (0.16 + 0.25)/4
    ];
    const r = trajectoryDistance(traj, ref);
    expect(r.indices).toEqual([0, 1, 1, 3]);
    expect(r.refTimes).toEqual([0, 10, 10, 30]);
    const expected = [0.01 / 4, 1.16 / 4, 0.64 / 4, 0.41 / 4];
    r.distances.forEach((d, k) => expect(Math.abs(d - expected[k])).toBeLessThan(1e-15));
    expect(warn).not.toHaveBeenCalled();
  });

  it("stops the forward walk at the first increase (a greedy, not a global, search)", () => {
    // x_2 is the nearest point overall, but the walk stops at the increase from x_0 to x_1
    const bumpy = [
      { t: 0, x: [0, 0] },
      { t: 1, x: [5, 0] },
      { t: 2, x: [0.1, 0] },
    ];
    const r = trajectoryDistance([{ t: 0, x: [0.2, 0] }], bumpy);
    expect(r.indices).toEqual([0]);
  });

  it("warns once 'reached end of reference' and still matches the remaining points", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const r = trajectoryDistance(
      [
        { t: 0, x: [3.9, 0] },
        { t: 1, x: [7, 0] },
        { t: 2, x: [4, 2] },
      ],
      ref,
    );
    expect(r.indices).toEqual([4, 4, 4]);
    [0.1 ** 2 / 4, 9 / 4, 4 / 4].forEach((v, k) => expect(Math.abs(r.distances[k] - v)).toBeLessThan(1e-15));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith("reached end of reference");
  });

  it("accepts TrainResults: a trajectory against itself has distance 0 at matching indices", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const net = teacherData(
      [
        [2, "softplus", true],
        [1, "identity", true],
      ],
      [
        [3, "softplus", true],
        [1, "identity", true],
      ],
      30,
      2,
      1,
    );
    const res = await train(net, net.randomParams({ seed: 1 }), { maxtimeOde: 2, maxtimeOptim: 2, nSamplesTrajectory: 20 });
    const n = res.trajectory.length;
    expect(n).toBeGreaterThan(5);
    const r = trajectoryDistance(res, res);
    expect(r.distances.every((d) => d === 0)).toBe(true);
    expect(r.indices).toEqual(Array.from({ length: n }, (_, k) => k));
    expect(r.refTimes).toEqual(res.trajectory.map((p) => p.t));
    expect(warn).toHaveBeenCalledTimes(1);
    net.dispose();
  });

  it("rejects bad input with MLPGFError SHAPE", () => {
    const shape = (f: () => unknown) => expect(f).toThrowError(expect.objectContaining({ code: "SHAPE" }) as unknown as MLPGFError);
    shape(() => trajectoryDistance(ref, []));
    shape(() => trajectoryDistance({} as never, ref));
    shape(() => trajectoryDistance([{ t: 0, x: [1, 2, 3] }], ref));
    shape(() => trajectoryDistance([{ x: [1, 2] }] as never, ref));
    shape(() => trajectoryDistance(ref, [{ t: 0, x: [] }]));
    expect(() => trajectoryDistance([{ t: 0, x: [NaN, 0] }], ref)).toThrowError(MLPGFError);
  });
});
