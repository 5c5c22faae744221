// What the benchmarks share: a tinybench median and the paper's protocol network (DESIGN.md).
import { Net } from "../dist/index.js";
import { normals, rows } from "./random.js";

/** Median time (s) of f, repeated for about `budget` ms (at least `min` runs after one warm-up). */
export async function median(f, budget, min = 3) {
  const { Bench } = await import("tinybench"); // here, not at the top: a browser worker imports protocolNet without an import map
  const bench = new Bench({ time: budget, iterations: min, warmupIterations: 1, warmupTime: 0 });
  bench.add("t", f);
  await bench.run();
  return bench.tasks[0].result.latency.p50 / 1000;
}

/** The protocol's network: D = 2, one softplus hidden layer of k neurons with biases, linear output, n seeded samples. */
export function protocolNet(k, n) {
  const input = rows(normals(1, 2 * n), 2);
  const target = rows(normals(2, n), 1);
  return new Net({
    layers: [
      [k, "softplus", true],
      [1, "identity", true],
    ],
    input,
    target,
  });
}
