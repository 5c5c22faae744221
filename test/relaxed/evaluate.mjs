// Child process of test/relaxed.test.ts: loads the package's default kernels (relaxed SIMD when the
// engine supports it) and prints, as JSON, the flavour and loss, gradient, Hessian and H·v of a few
// networks on seeded data. Run twice (with and without --experimental-wasm-relaxed-simd) and compared.
import { kernelFlavour } from "../../dist/engine/kernels.js";
import { Net, init } from "../../dist/index.js";

function rng(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
}

const cases = [
  {
    layers: [
      [64, "tanh", true],
      [64, "tanh", true],
      [8, "identity", true],
    ],
    din: 64,
    n: 1001,
    hessian: false,
  },
  {
    layers: [
      [50, "softplus", true],
      [1, "identity", true],
    ],
    din: 2,
    n: 1000,
    hessian: true,
  },
  {
    layers: [
      [20, "gelu", true],
      [7, "sigmoid", false],
      [5, "softmax", true],
    ],
    din: 30,
    n: 499,
    hessian: true,
  },
];

await init();
const out = { flavour: kernelFlavour(), cases: [] };
for (const c of cases) {
  const r = rng(c.n);
  const input = Array.from({ length: c.n }, () => Array.from({ length: c.din }, r));
  const dout = c.layers.at(-1)[0];
  const softmax = c.layers.at(-1)[1] === "softmax";
  const target = softmax ? input.map(() => Math.floor((r() + 0.5) * dout)) : input.map(() => Array.from({ length: dout }, r));
  const net = new Net({ layers: c.layers, input, target });
  const x = net.randomParams({ seed: 5 }).map((v) => v + 0.1 * r());
  const v = x.map(() => r());
  out.cases.push({
    loss: net.loss(x),
    gradient: Array.from(net.gradient(x)),
    hvp: Array.from(net.hvp(x, v)),
    hessian: c.hessian ? Array.from(net.hessian(x).data) : null,
  });
  net.dispose();
}
console.log(JSON.stringify(out));
