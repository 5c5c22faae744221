import { describe, expect, it } from "vitest";
import { MLPGFError, Net, params, weightnorm } from "../src/index.js";

const layers = [
  [3, "tanh", true],
  [2, "sigmoid", false],
  [1, "identity", true],
] as const;

describe("parameters", () => {
  const net = new Net({ layers, din: 2 });

  it("follow the Julia layout: layer by layer, [W b] column-major", () => {
    const W1 = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    const b1 = [7, 8, 9];
    const W2 = [
      [10, 11, 12],
      [13, 14, 15],
    ];
    const W3 = [[16, 17]];
    const x = params([
      [W1, b1],
      [W2, null],
      [W3, [18]],
    ]);
    expect(Array.from(x)).toEqual([1, 3, 5, 2, 4, 6, 7, 8, 9, 10, 13, 11, 14, 12, 15, 16, 17, 18]);
    expect(x.length).toBe(net.nparams);
    const dict = net.paramsToDict(x);
    expect(dict).toEqual({
      w1: [
        [1, 2, 7],
        [3, 4, 8],
        [5, 6, 9],
      ],
      w2: W2,
      w3: [[16, 17, 18]],
    });
    expect(Array.from(net.paramsFromDict(dict))).toEqual(Array.from(x));
    expect(
      Array.from(
        params([
          [W1, true],
          [W2, false],
          [W3, [0]],
        ]),
      ).slice(6, 9),
    ).toEqual([0, 0, 0]);
  });

  it("paramsFromDict sorts keys numerically and checks shapes", () => {
    const big = new Net({ layers: Array.from({ length: 11 }, (_, i) => [1, "identity", i === 10] as const), din: 1 });
    const dict: Record<string, number[][]> = {};
    for (let i = 11; i >= 1; i--) dict[`w${i}`] = [i === 11 ? [i, 0.5] : [i]];
    expect(Array.from(big.paramsFromDict(dict))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0.5]);
    expect(() => net.paramsFromDict({ w1: [[1, 2]], w2: [[1]], w3: [[1]] })).toThrow(/w1: has 1 rows, expected 3/);
    expect(() => net.paramsFromDict({ w1: [[1]] })).toThrow(MLPGFError);
    big.dispose();
  });

  it("randomParams: Glorot scale, zero biases, reproducible by seed", () => {
    const wide = new Net({
      layers: [
        [300, "tanh", true],
        [200, "identity", true],
      ],
      din: 100,
    });
    const a = wide.randomParams({ seed: 7 });
    expect(Array.from(wide.randomParams({ seed: 7 }))).toEqual(Array.from(a));
    expect(Array.from(wide.randomParams({ seed: 8 }))).not.toEqual(Array.from(a));
    const d = wide.paramsToDict(a);
    const w1 = d.w1.flatMap((r) => r.slice(0, 100));
    const var1 = w1.reduce((s, v) => s + v * v, 0) / w1.length;
    expect(var1).toBeGreaterThan((2 / 400) * 0.95);
    expect(var1).toBeLessThan((2 / 400) * 1.05);
    expect(d.w1.every((r) => r[100] === 0)).toBe(true);
    expect(d.w2.every((r) => r[300] === 0)).toBe(true);
    const u = wide.paramsToDict(wide.randomParams({ seed: 1, distribution: "glorot_uniform" })).w2.flatMap((r) => r.slice(0, 300));
    const lim = Math.sqrt(6 / 500);
    expect(Math.max(...u.map(Math.abs))).toBeLessThanOrEqual(lim);
    expect(Math.max(...u.map(Math.abs))).toBeGreaterThan(0.99 * lim);
    const varU = u.reduce((s, v) => s + v * v, 0) / u.length;
    expect(Math.abs(varU - (lim * lim) / 3)).toBeLessThan((0.05 * (lim * lim)) / 3);
    expect(() => wide.randomParams({ distribution: "he" as never })).toThrow(/glorot_normal/);
    wide.dispose();
  });

  it("weightnorm is Σx²/(2P)", () => {
    expect(weightnorm([1, 2, 3, 4])).toBe(30 / 8);
  });

  it("normalised layers: output width from the target, identical per-neuron activations collapse", () => {
    const n = new Net({
      layers: [
        [2, ["tanh", "tanh"], true],
        [null, "identity", false],
      ],
      input: [[1], [2]],
      target: [
        [1, 2, 3],
        [4, 5, 6],
      ],
    });
    expect(n.layers).toEqual([
      [2, "tanh", true],
      [3, "identity", false],
    ]);
    expect(n.dout).toBe(3);
    expect(n.nsamples).toBe(2);
    expect(n.din).toBe(1);
    n.dispose();
  });
});
