// Matrix-bound gradient GFLOP/s of the two kernel builds, SIMD128 (dist/kernels.wasm) and relaxed SIMD
// with fused multiply-add (dist/kernels.relaxed.wasm), side by side. Node 20 runs relaxed SIMD only with
// --experimental-wasm-relaxed-simd (Node ≥ 22 by default), so each build runs in a child process
// (init() picks the build by feature detection), in interleaved rounds.
//
//   npm run build && node bench/relaxed.js [--rounds 5]
//
// Cases: the protocol's matrix-bound network (D = 64, two hidden layers of 64 tanh with biases, 8
// linear outputs, N = 10⁴; flops as in bench/bench.js) and the MNIST-shaped one (784-100 relu-10
// softmax, N = 2000, random data). Medians of per-round medians of CPU time per gradient.
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";

const args = process.argv.slice(2);
const rounds = args.includes("--rounds") ? Number(args[args.indexOf("--rounds") + 1]) : 5;

if (args.includes("--child")) {
  const { init, Net } = await import("../dist/index.js");
  const { kernelFlavour } = await import("../dist/engine/kernels.js");
  await init();
  let s = 1;
  const r = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
  const cases = [
    {
      name: "D = 64, 2 × 64 tanh, 8 outputs, N = 10⁴",
      layers: [
        [64, "tanh", true],
        [64, "tanh", true],
        [8, "identity", true],
      ],
      din: 64,
      n: 10_000,
      flops: 2 * 22016 * 10_000,
    },
    {
      name: "784-100 relu-10 softmax, N = 2000",
      layers: [
        [100, "relu", true],
        [10, "softmax", true],
      ],
      din: 784,
      n: 2000,
      flops: 2 * 2 * 2000 * (785 * 100 + 101 * 10),
    },
  ];
  const out = { flavour: kernelFlavour(), cases: [] };
  for (const c of cases) {
    const input = Array.from({ length: c.n }, () => Array.from({ length: c.din }, r));
    const dout = c.layers.at(-1)[0];
    const target = c.layers.at(-1)[1] === "softmax" ? input.map((_, i) => i % dout) : input.map(() => Array.from({ length: dout }, r));
    const net = new Net({ layers: c.layers, input, target });
    const x = net.randomParams({ seed: 1 });
    net.gradient(x);
    const cpu = [];
    for (let i = 0; i < 7; i++) {
      const c0 = process.cpuUsage();
      net.gradient(x);
      const d = process.cpuUsage(c0);
      cpu.push((d.user + d.system) / 1e6);
    }
    cpu.sort((a, b) => a - b);
    out.cases.push({ name: c.name, cpu: cpu[3], flops: c.flops });
    net.dispose();
  }
  console.log(JSON.stringify(out));
} else {
  const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
  const runs = { simd128: [], "relaxed-simd": [] };
  for (let i = 0; i < rounds; i++) {
    for (const flags of [[], ["--experimental-wasm-relaxed-simd"]]) {
      const r = spawnSync(process.execPath, [...flags, new URL(import.meta.url).pathname, "--child"], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(r.stderr);
      const o = JSON.parse(r.stdout);
      runs[o.flavour].push(o.cases);
    }
  }
  console.log(
    `Node ${process.version}, ${rounds} interleaved rounds, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}\n`,
  );
  console.log("| case | SIMD128 | relaxed SIMD (FMA) | speed-up |\n|---|---:|---:|---:|");
  runs.simd128[0].forEach((c, j) => {
    const a = median(runs.simd128.map((r) => r[j].cpu));
    const b = median(runs["relaxed-simd"].map((r) => r[j].cpu));
    const gf = (t) => `${(t * 1e3).toFixed(1)} ms = ${(c.flops / t / 1e9).toFixed(2)} GFLOP/s`;
    console.log(`| ${c.name} | ${gf(a)} | ${gf(b)} | ${(a / b).toFixed(2)}× |`);
  });
}
