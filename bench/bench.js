// Benchmarks of the paper's protocol (DESIGN.md): D = 2, one softplus hidden layer of k neurons with
// biases, linear output with bias; one gradient and one Hessian through the public API, medians.
//   npm run bench            ours only
//   npm run bench:torch      ours and PyTorch (bench/torch_bench.py, /usr/bin/python3) in the same run
// Options: --quick (N ≤ 1000), --json FILE (write all measurements), --neti (the infinite-data table only).
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { Net, NetI, TeacherNet, gaussHermiteNet, init } from "../dist/index.js";
import { normals, rows } from "./random.js";
import { median, protocolNet } from "./protocol.js";

const args = process.argv.slice(2);
const withTorch = args.includes("--torch");
const quick = args.includes("--quick");
const netiOnly = args.includes("--neti");
const jsonOut = args.includes("--json") ? args[args.indexOf("--json") + 1] : null;

const KS = [10, 50, 100];
const NS = quick ? [10, 100, 1000] : [10, 100, 1000, 10000, 100000];

/** D = 64, two hidden layers of 64 tanh with biases, 8 linear outputs, N = 10⁴: the matmul-bound case. */
function mlp64() {
  const n = 10000;
  const input = rows(normals(3, 64 * n), 64);
  const target = rows(normals(4, 8 * n), 8);
  const net = new Net({
    layers: [
      [64, "tanh", true],
      [64, "tanh", true],
      [8, "identity", true],
    ],
    input,
    target,
  });
  // multiply-adds of forward (z = W·a) and backward (e = Wᵀδ, except into the input; gradient δ·aᵀ)
  const macs = n * (65 * 64 + 65 * 64 + 65 * 8) + n * (64 * 8 + 64 * 64) + n * (65 * 64 + 65 * 64 + 65 * 8);
  return { net, flops: 2 * macs };
}

function runTorch() {
  const r = spawnSync(
    "env",
    [
      "-u",
      "OPENBLAS_CORETYPE",
      "-u",
      "OPENBLAS_L2_SIZE",
      "OPENBLAS_NUM_THREADS=1",
      "OMP_NUM_THREADS=1",
      "/usr/bin/python3",
      "bench/torch_bench.py",
      "--json",
      "--cells",
      quick ? "quick" : "all",
    ],
    { encoding: "utf8", maxBuffer: 1 << 26 },
  );
  if (r.status !== 0) throw new Error(`torch_bench.py failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

const fmt = (s) => (s == null ? "—" : s < 1e-3 ? `${(s * 1e6).toFixed(1)} µs` : s < 1 ? `${(s * 1e3).toFixed(2)} ms` : `${s.toFixed(2)} s`);
const ratio = (a, b) => (a == null || b == null ? "—" : `${(a / b).toFixed(1)}×`);

await init();
if (netiOnly) {
  const inf = await infiniteData();
  console.log(
    `\nNetI benchmark — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"}, medians`,
  );
  printInfinite(inf);
  process.exit(0);
}
const ours = [];
for (const k of KS) {
  for (const n of NS) {
    const net = protocolNet(k, n);
    const x = net.randomParams({ seed: 1 });
    const grad = await median(() => net.gradient(x), 400);
    const hess = await median(() => net.hessian(x), 800, n * k >= 1e6 ? 2 : 3);
    ours.push({ k, N: n, P: net.nparams, grad_s: grad, hess_s: hess });
    net.dispose();
    process.stderr.write(`ours k=${k} N=${n}: gradient ${fmt(grad)}, Hessian ${fmt(hess)}\n`);
  }
}
const big = mlp64();
const x64 = big.net.randomParams({ seed: 1 });
const mlpGrad = await median(() => big.net.gradient(x64), 1500, 5);
big.net.dispose();

/**
 * Infinite-data costs: NetI (teacher 8 / student 8, D = 10 and 2; quadrature: the default adaptive
 * rule and the fixed Gauss–Hermite order 600 of the original; kinked quadrature: a relu teacher with a
 * softplus student and selu on both sides, default rule) and the Gauss–Hermite net at D = 2.
 */
async function infiniteData() {
  const rows = [];
  const kinds = [
    [10, "NetI"],
    [10, "NetI", 600],
    [2, "NetI"],
    [2, "NetI", 600],
    [2, "gaussHermiteNet"],
  ];
  for (const [tact, act, how] of [
    ["relu", "relu", "closed form"],
    ["softplus", "softplus", "quadrature"],
    ["relu", "softplus", "kinked quadrature"],
    ["selu", "selu", "kinked quadrature"],
  ]) {
    for (const [D, kind, order] of kinds) {
      if (order !== undefined && how !== "quadrature") continue;
      if (kind === "gaussHermiteNet" && how === "kinked quadrature") continue;
      const teacher = new TeacherNet({
        layers: [
          [8, tact, true],
          [1, "identity", true],
        ],
        din: D,
        seed: 1,
      });
      const layers = [
        [8, act, true],
        [1, "identity", true],
      ];
      const net = kind === "NetI" ? new NetI(teacher, { layers, quadratureOrder: order }) : gaussHermiteNet(teacher, { layers });
      const x = net.randomParams({ seed: 2 });
      rows.push({
        kind: order ? `${kind} (order ${order})` : kind,
        act: tact === act ? act : `${tact} teacher, ${act}`,
        how,
        D,
        P: net.nparams,
        N: net.nsamples ?? null,
        lg: await median(() => net.lossAndGradient(x), 400),
        h: await median(() => net.hessian(x), 600),
      });
      net.dispose();
      teacher.dispose();
    }
  }
  return rows;
}
const inf = await infiniteData();

function printInfinite(inf) {
  console.log("\n| infinite data | activation | D | P | samples | loss + gradient | Hessian |");
  console.log("|---|---|---:|---:|---:|---:|---:|");
  for (const r of inf) console.log(`| ${r.kind} | ${r.act} (${r.how}) | ${r.D} | ${r.P} | ${r.N ?? "∞"} | ${fmt(r.lg)} | ${fmt(r.h)} |`);
}

const torch = withTorch ? runTorch() : null;
const cellOf = (k, n) => torch?.cells.find((c) => c.k === k && c.N === n);

console.log(
  `\nmlp-gradient-flow benchmark — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}${torch ? `, PyTorch ${torch.torch}` : ""}, one thread`,
);
console.log("\n| k | N | P | gradient ours | gradient torch | torch/ours | Hessian ours | Hessian torch | torch/ours |");
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const o of ours) {
  const t = cellOf(o.k, o.N);
  console.log(
    `| ${o.k} | ${o.N} | ${o.P} | ${fmt(o.grad_s)} | ${fmt(t?.grad_s)} | ${ratio(t?.grad_s, o.grad_s)} | ${fmt(o.hess_s)} | ${t?.hess_s == null ? (t?.hess_note ?? "—") : fmt(t.hess_s)} | ${ratio(t?.hess_s, o.hess_s)} |`,
  );
}
const gf = big.flops / mlpGrad / 1e9;
console.log(
  `\nmatmul-bound case (D = 64, 2 × 64 tanh, 8 outputs, N = 10⁴): gradient ${fmt(mlpGrad)} = ${gf.toFixed(2)} GFLOP/s` +
    (torch
      ? `; torch ${fmt(torch.mlp64.grad_s)} (${ratio(torch.mlp64.grad_s, mlpGrad)}); numpy dgemm ${torch.numpy_gflops.toFixed(2)} GFLOP/s → ours at ${((100 * gf) / torch.numpy_gflops).toFixed(0)} %`
      : ""),
);
printInfinite(inf);
if (jsonOut)
  writeFileSync(
    jsonOut,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        ours,
        mlp64: { grad_s: mlpGrad, flops: big.flops },
        infiniteData: inf,
        torch,
      },
      null,
      2,
    ),
  );
