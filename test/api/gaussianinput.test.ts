import { describe, expect, it } from "vitest";
import { Net, gaussianInput } from "../../src/index.js";
import { expectMLPGFError } from "../helpers/errors.js";

/** Φ(z) by the Abramowitz–Stegun 7.1.26 erf approximation (|error| ≤ 1.5e-7): an oracle independent of the package. */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

describe("gaussianInput", () => {
  it("n × d standard normal samples: mean, variance and the Kolmogorov–Smirnov distance to Φ", () => {
    const m = gaussianInput(20_000, 2, { seed: 3 });
    expect([m.rows, m.cols, m.data.length]).toEqual([20_000, 2, 40_000]);
    const a = m.data;
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const variance = a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length;
    expect(Math.abs(mean)).toBeLessThan(0.025); // 5σ of the mean of 4e4 samples
    expect(Math.abs(variance - 1)).toBeLessThan(0.036); // 5σ of the variance (√(2/4e4) = 0.007)
    const sorted = Float64Array.from(a).sort();
    let ks = 0;
    sorted.forEach((v, i) => (ks = Math.max(ks, Math.abs(normalCdf(v) - (i + 0.5) / sorted.length))));
    expect(ks).toBeLessThan(1.63 / Math.sqrt(sorted.length)); // the KS test's 1 % critical value
  });

  it("reproducible for a seed, different for another; columns not copies of each other", () => {
    const a = gaussianInput(100, 3, { seed: 7 });
    expect(Array.from(gaussianInput(100, 3, { seed: 7 }).data)).toEqual(Array.from(a.data));
    expect(Array.from(gaussianInput(100, 3, { seed: 8 }).data)).not.toEqual(Array.from(a.data));
    expect(Array.from(gaussianInput(100, 3).data)).toEqual(Array.from(gaussianInput(100, 3, { seed: 1 }).data));
    const col = (j: number) => Array.from({ length: 100 }, (_, i) => a.data[i * 3 + j]);
    expect(col(0)).not.toEqual(col(1));
  });

  it("feeds a Net directly", () => {
    const input = gaussianInput(50, 2, { seed: 1 });
    const net = new Net({
      layers: [
        [3, "tanh", true],
        [1, "identity", true],
      ],
      input,
      target: { rows: 50, cols: 1, data: new Float64Array(50) },
    });
    expect(net.nsamples).toBe(50);
    expect(Number.isFinite(net.loss(net.randomParams({ seed: 1 })))).toBe(true);
    net.dispose();
  });

  it("bad arguments: MLPGFError naming them", () => {
    const cases: [() => unknown, string, RegExp][] = [
      [() => gaussianInput(-1, 2), "VALUE", /n \(samples\) must be an integer ≥ 0/],
      [() => gaussianInput(1.5, 2), "VALUE", /n \(samples\)/],
      [() => gaussianInput(10, 0), "VALUE", /d \(input dimension\) must be an integer ≥ 1/],
      [() => gaussianInput(10, "2" as never), "VALUE", /d \(input dimension\)/],
      [() => gaussianInput(10, 2, { seed: 0.5 }), "OPTION", /option seed: expected an integer, got 0.5/],
      [() => gaussianInput(10, 2, { sede: 1 } as never), "OPTION", /unknown option "sede"; \(expected one of seed\)/],
      [() => gaussianInput(10, 2, null as never), "OPTION", /options: expected an object, got null/],
      [() => gaussianInput(1e12, 1e3), "MEMORY", /do not fit/],
    ];
    for (const [f, code, msg] of cases) expectMLPGFError(f, code, msg);
  });
});
