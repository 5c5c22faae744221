import { describe, expect, it } from "vitest";
import { Net } from "../src/index.js";
import { type RefLayer, randn, refLoss, rng } from "./helpers/reference.js";

// Regression for the original's N mod 8 bug (v0.2.x summed losses wrongly for N mod 8 ∈ {3,5,6,7}):
// our kernels pad samples to a multiple of 4 with zero weights and work in chunks; every N must be right.
describe("loss for every sample count", () => {
  it("equals a plain summed reference for N = 1 … 80 (D = 3, 5 tanh + bias)", () => {
    const layers = [
      { k: 5, act: "tanh", bias: true },
      { k: 2, act: "identity", bias: true },
    ] satisfies RefLayer[];
    const r = rng(5);
    for (let n = 1; n <= 80; n++) {
      const input = randn(r, n, 3);
      const target = randn(r, n, 2);
      const net = new Net({ layers: layers.map((l) => [l.k, l.act, l.bias] as const), input, target });
      const x = net.randomParams({ seed: n });
      for (let i = 0; i < x.length; i++) x[i] += 0.1 * Math.sin(i + n);
      const ref = refLoss(layers, x, input, target);
      expect(Math.abs(net.loss(x) - ref)).toBeLessThan(1e-14 * Math.max(1, ref));
      net.dispose();
    }
  });

  it("chunk boundaries: N around multiples of the chunk size give the same loss as the reference", () => {
    const layers = [
      { k: 3, act: "sigmoid", bias: true },
      { k: 1, act: "identity", bias: false },
    ] satisfies RefLayer[];
    const r = rng(6);
    for (const n of [255, 256, 257, 511, 513, 1001]) {
      const input = randn(r, n, 2);
      const target = randn(r, n, 1);
      const weights = input.map(() => r());
      const net = new Net({ layers: layers.map((l) => [l.k, l.act, l.bias] as const), input, target, weights });
      const x = net.randomParams({ seed: n });
      const ref = refLoss(layers, x, input, target, weights);
      expect(Math.abs(net.loss(x) - ref)).toBeLessThan(1e-13 * Math.max(1, ref));
      net.dispose();
    }
  });
});
