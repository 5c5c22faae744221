// Drops objects that hold WASM memory without dispose() and lets the garbage collector reclaim them:
// the allocator's bytes in use must come back down (FinalizationRegistry). Run with --expose-gc;
// argv: kernels file, kind ("neti" | "teacher" | "lu"). Prints JSON { used: [after each round], one, baseline }.
import { readFileSync } from "node:fs";
import { NetI, TeacherNet, init } from "../../dist/index.js";
import { getEngine } from "../../dist/engine/kernels.js";
import { DenseLU } from "../../dist/engine/lu.js";

await init(readFileSync(new URL(`../../dist/${process.argv[2] ?? "kernels.wasm"}`, import.meta.url)));
const kind = process.argv[3];
const teacher = new TeacherNet({
  layers: [
    [2, "relu", false],
    [1, "identity", false],
  ],
  din: 2,
  seed: 1,
});
const make = {
  neti: () => {
    const s = new NetI(teacher, {
      layers: [
        [2, "softplus", true],
        [1, "identity", false],
      ],
    });
    s.loss(s.randomParams({ seed: 1 }));
  },
  teacher: () =>
    new TeacherNet({
      layers: [
        [64, "tanh", true],
        [1, "identity", true],
      ],
      din: 8,
      seed: 2,
    }).forward([[1, 2, 3, 4, 5, 6, 7, 8]]),
  lu: () => new DenseLU(60).factor(new Float64Array(3600).fill(1)),
}[kind];
const allocator = getEngine().allocator;
const baseline = allocator.used;
make();
globalThis.gc();
await new Promise((r) => setTimeout(r, 10));
const one = allocator.used - baseline; // usually 0 already; measured only as an upper reference
const used = [];
for (let round = 0; round < 6; round++) {
  for (let i = 0; i < 100; i++) make();
  used.push(allocator.used - baseline);
  globalThis.gc();
  await new Promise((r) => setTimeout(r, 10));
  globalThis.gc();
  await new Promise((r) => setTimeout(r, 10));
}
const after = allocator.used - baseline;
console.log(JSON.stringify({ used, after, one }));
