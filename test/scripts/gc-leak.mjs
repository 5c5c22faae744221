// Creates networks without dispose() and lets the garbage collector reclaim them: the WASM memory
// in use must stay bounded (FinalizationRegistry). Run with --expose-gc; prints JSON.
import { readFileSync } from "node:fs";
import { Net, init } from "../../dist/index.js";
import { getEngine } from "../../dist/engine/kernels.js";

await init(readFileSync(new URL(`../../dist/${process.argv[2] ?? "kernels.wasm"}`, import.meta.url)));
const input = Array.from({ length: 64 }, (_, i) => [Math.sin(i), Math.cos(i)]);
const target = input.map((r) => [r[0] * r[1]]);
const used = [];
for (let round = 0; round < 10; round++) {
  for (let i = 0; i < 1000; i++) {
    const net = new Net({
      layers: [
        [32, "tanh", true],
        [1, "identity", true],
      ],
      input,
      target,
    });
    net.loss(net.randomParams({ seed: i }));
  }
  globalThis.gc();
  await new Promise((r) => setTimeout(r, 10));
  used.push(getEngine().allocator.used);
}
console.log(JSON.stringify({ used, capacity: getEngine().memory.buffer.byteLength }));
