import { describe, expect, it } from "vitest";
import { Net } from "../src/index.js";
import { getEngine } from "../src/engine/kernels.js";

describe("memory", () => {
  it("creating and disposing 10,000 networks keeps WASM memory bounded", () => {
    const e = getEngine();
    const input = [
      [0.1, 0.2],
      [0.3, -0.4],
      [1.0, 0.5],
      [0.2, 0.2],
      [0, 1],
    ];
    const target = [[1], [0], [0.5], [0.1], [0]];
    const warm = new Net({
      layers: [
        [16, "tanh", true],
        [1, "identity", true],
      ],
      input,
      target,
    });
    warm.hessian(warm.randomParams({ seed: 1 }));
    warm.dispose();
    const usedBefore = e.allocator.used;
    const capacityBefore = e.memory.buffer.byteLength;
    for (let i = 0; i < 10_000; i++) {
      const net = new Net({
        layers: [
          [16, "tanh", true],
          [1, "identity", true],
        ],
        input,
        target,
      });
      const x = net.randomParams({ seed: i });
      net.loss(x);
      if (i % 1000 === 0) net.hessian(x);
      net.dispose();
    }
    expect(e.allocator.used).toBe(usedBefore);
    expect(e.memory.buffer.byteLength).toBe(capacityBefore);
  });

  it("views survive memory growth between calls", () => {
    const input = [
      [0.1, 0.2],
      [0.3, -0.4],
    ];
    const net = new Net({
      layers: [
        [3, "identity", true],
        [1, "identity", true],
      ],
      input,
      target: [[1], [2]],
    });
    const x = net.randomParams({ seed: 1 });
    const before = net.lossAndGradient(x);
    const big = new Net({
      layers: [
        [1024, "identity", true],
        [1, "identity", true],
      ],
      input,
      target: [[1], [2]],
    });
    big.hessian(big.randomParams({ seed: 1 })); // grows the memory by > 100 MiB (P = 4097)
    const after = net.lossAndGradient(x);
    expect(after.loss).toBe(before.loss);
    expect(Array.from(after.gradient)).toEqual(Array.from(before.gradient));
    big.dispose();
    net.dispose();
  });
});
