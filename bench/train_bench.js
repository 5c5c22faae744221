// Training benchmarks through the public train() (run after `npm run build`):
//   a. ODE method comparison, the paper's scripts/ode.jl "small": D = 2, teacher 4 softplus + biases
//      with a linear output + bias, student 8 softplus + biases with a linear output + bias (P = 33),
//      N = 10⁴ Gaussian inputs. Every method runs phase 1 only for a fixed wall-clock budget; we report
//      loss, ODE time reached, steps, evaluations and the distance to a tight-tolerance reference
//      trajectory (mean over the method's trajectory points of ‖x(t) − x_ref(t)‖²/(2P), the original's
//      trajectory_distance measure, with x_ref read at exactly the same ODE time t). Medians over seeds.
//   b. Time to loss ≤ 1e-20: the same teachers, a student of the same width (P = 17) started at
//      teacher + σ·noise; train() with defaults and variants, and (--torch) what a Python user would run
//      (bench/torch_train.py: scipy BFGS / trust-exact with PyTorch derivatives, torch LBFGS, Adam).
//   c. Robustness of part b's optimizer-only variants: 30 seeds (teachers and starts as in part b), one
//      run each: how many reach loss ≤ 1e-20 (the others end at other local minima or creep), and the
//      median time of those that do.
//
//   npm run bench:train        ours and PyTorch/scipy in the same run (= node bench/train_bench.js --torch)
// Options: --torch, --quick (one seed, short budgets), --part a|b|c or a combination such as ab (default abc), --json FILE (everything).
//
// The reference of part a is integrated with the package's own Rodas5P (dist/ode, the integrator train()
// uses) on exactly the right-hand side train() integrates, dx/dt = −N·∇loss with Jacobian −N·∇²loss, and
// its dense output is read at every ODE time where a method stored a trajectory point. (train()'s own
// trajectory keeps at most one point per 10⁻³ of log10(1 + t) — e.g. only ~5 points for t < 0.01, where
// the explicit methods are still in the fast transient — so interpolating a train() reference between
// its stored points would not resolve the early trajectory.)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bench } from "tinybench";
import { Net, init, train } from "../dist/index.js";
import { solveOde } from "../dist/ode/index.js";
import { normals, rows } from "./random.js";

const args = process.argv.slice(2);
const withTorch = args.includes("--torch");
const quick = args.includes("--quick");
const part = args.includes("--part") ? args[args.indexOf("--part") + 1] : "abc";
const jsonOut = args.includes("--json") ? args[args.indexOf("--json") + 1] : null;

const N = 10_000;
const D = 2;
const SEEDS = quick ? [1] : [1, 2, 3];
const TEACHER = [
  [4, "softplus", true],
  [1, "identity", true],
];
const STUDENT_A = [
  [8, "softplus", true],
  [1, "identity", true],
];

/** Part a settings: phase-1 budget per method, reference method, tolerance and budget. */
const A = { budget: quick ? 2 : 5, refAlg: "rodas5p", refTol: 1e-10, refBudget: quick ? 8 : 30 };
const A_METHODS = [
  { name: "kencarp58", alg: "kencarp58" },
  { name: "rodas5p", alg: "rodas5p" },
  { name: "rodas4", alg: "rodas4" },
  { name: "trbdf2", alg: "trbdf2" },
  { name: "tsit5", alg: "tsit5" },
  { name: "rk4", alg: "rk4" },
  { name: "descent η = 1e-2", alg: { descent: { eta: 1e-2 } } },
  { name: "adam η = 1e-3", alg: { adam: { eta: 1e-3 } } },
];

/**
 * Part b settings. σ = 0.3 puts the start of seeds 2 and 3 where no method (ours or PyTorch/scipy, 60 s
 * and more) reaches 1e-20: seed 2 creeps along a channel (≈5e-11 after 90 s), seed 3 lands on a
 * critical point with loss 7.7e-13 (‖∇‖∞ ≈ 2e-16). With σ = 0.1 the exact teacher is reachable from
 * all three starts (see bench/TRAIN_RESULTS.md). Budget: wall clock per run that does not reach it.
 */
const B = { sigma: 0.1, minloss: 1e-20, budget: quick ? 10 : 30, repeatMs: quick ? 2000 : 6000, adamLr: 1e-2 };
const odeLimits = { maxtimeOde: B.budget - 5, maxtimeOptim: 5 };
const B_OURS = [
  { name: "ours: defaults (rodas4 ODE → trust-region Newton)", opts: { ...odeLimits } },
  { name: "ours: alg tsit5 (→ trust-region Newton)", opts: { alg: "tsit5", ...odeLimits } },
  {
    name: "ours: optimSolver newtonTrustRegion, no ODE",
    opts: { maxiterationsOde: 0, optimSolver: "newtonTrustRegion", maxtimeOptim: B.budget },
  },
  { name: "ours: optimSolver bfgs, no ODE", opts: { maxiterationsOde: 0, optimSolver: "bfgs", maxtimeOptim: B.budget } },
  {
    name: "ours: varpro + newtonTrustRegion, no ODE",
    opts: { maxiterationsOde: 0, optimSolver: "newtonTrustRegion", varpro: true, maxtimeOptim: B.budget },
  },
  { name: "ours: varpro + bfgs, no ODE", opts: { maxiterationsOde: 0, optimSolver: "bfgs", varpro: true, maxtimeOptim: B.budget } },
];
/** Part c: the optimizer-only variants of part b on many starts (how often they reach the teacher). */
const C = { seeds: quick ? 5 : 30, budget: 10 };
const C_OURS = B_OURS.filter((v) => v.opts.maxiterationsOde === 0);
const TORCH_NAMES = {
  "scipy-bfgs": "scipy BFGS + torch gradient",
  "scipy-trust-exact": "scipy trust-exact + torch Hessian",
  "torch-lbfgs": "torch LBFGS (strong Wolfe)",
  "torch-adam": `torch Adam (lr ${B.adamLr})`,
};

/** Inputs x ~ N(0, I₂) and the teacher of a seed: Glorot-normal weights, N(0, 1) biases. */
function problem(seed) {
  const input = rows(normals(100 + seed, N * D), D);
  const teacherNet = new Net({ layers: TEACHER, din: D });
  const dict = teacherNet.paramsToDict(teacherNet.randomParams({ seed: 1000 + seed }));
  const biases = normals(2000 + seed, 5);
  dict.w1.forEach((row, i) => (row[D] = biases[i]));
  dict.w2[0][4] = biases[4];
  const teacher = teacherNet.paramsFromDict(dict);
  const target = teacherNet.forward(teacher, input);
  teacherNet.dispose();
  return { input, target, teacher };
}

const median = (v) => {
  const s = v.filter((a) => a != null && !Number.isNaN(a)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtT = (s) => (s == null ? "—" : s < 1 ? `${(s * 1e3).toFixed(0)} ms` : `${s.toFixed(2)} s`);
const fmtE = (v, d = 2) => (v == null ? "—" : v === 0 ? "0" : v.toExponential(d));
const fmtN = (v) => (v == null ? "—" : Math.round(v).toLocaleString("en-US"));

/** One train() call; evaluation counts come from onProgress, reported after every evaluation. */
async function run(net, x0, opts) {
  let evaluations = { gradient: 0, hessian: 0 };
  const t0 = performance.now();
  const r = await train(net, x0, { ...opts, progressInterval: 1e-9, onProgress: (p) => (evaluations = p.evaluations) });
  return { r, wall: (performance.now() - t0) / 1000, evaluations };
}

/**
 * The reference trajectory: Rodas5P at abstol = reltol = refTol on dx/dt = −N·∇loss (train()'s ODE with
 * tauinv = 1), dense output at every requested time, for at most `budget` seconds.
 */
function reference(net, x0, times, budget) {
  const P = net.nparams;
  const n = net.nsamples;
  const fn = {
    autonomous: true,
    f(_t, x, dx) {
      const g = net.lossAndGradient(x).gradient;
      for (let i = 0; i < P; i++) dx[i] = -n * g[i];
    },
    jacobian(_t, x, J) {
      const H = net.hessian(x).data;
      for (let i = 0; i < P * P; i++) J[i] = -n * H[i];
    },
  };
  const ts = [...new Set(times)].sort((a, b) => a - b);
  const points = new Map();
  let k = 0;
  while (k < ts.length && ts[k] <= 0) points.set(ts[k++], Float64Array.from(x0));
  const start = performance.now();
  const r = solveOde(fn, Float64Array.from(x0), {
    method: A.refAlg,
    tEnd: ts[ts.length - 1],
    abstol: A.refTol,
    reltol: A.refTol,
    maxSteps: 1e9,
    onStep(s) {
      while (k < ts.length && ts[k] <= s.t) {
        const y = new Float64Array(P);
        s.interpolate(ts[k], y);
        points.set(ts[k++], y);
      }
      return (performance.now() - start) / 1000 > budget;
    },
  });
  return { points, t: r.t, steps: r.steps, status: r.status, seconds: (performance.now() - start) / 1000, done: r.status === "done" };
}

/** Mean of ‖x − x_ref(t)‖²/(2P) over the trajectory points whose time the reference reached. */
function distance(traj, ref, P) {
  let sum = 0;
  let m = 0;
  for (const { t, x } of traj) {
    const y = ref.points.get(t);
    if (!y) continue;
    let s = 0;
    for (let i = 0; i < P; i++) s += (x[i] - y[i]) ** 2;
    sum += s / (2 * P);
    m++;
  }
  return { mean: m ? sum / m : null, compared: m, of: traj.length };
}

// ----------------------------------------------------------------------------- part a
async function partA() {
  const perSeed = [];
  for (const seed of SEEDS) {
    const { input, target } = problem(seed);
    const net = new Net({ layers: STUDENT_A, input, target });
    const x0 = net.randomParams({ seed });
    const P = net.nparams;
    const runs = [];
    for (const m of A_METHODS) {
      const { r, evaluations } = await run(net, x0, { alg: m.alg, maxtimeOde: A.budget, maxiterationsOptim: 0 });
      // ODE time of each stored point; a descent iteration with rate η on the mean gradient is an Euler
      // step of length η/N of dx/dt = −N·∇loss; Adam has no such time.
      const scale = typeof m.alg === "string" ? 1 : "descent" in m.alg ? m.alg.descent.eta / N : null;
      const traj = scale == null ? null : r.trajectory.map((p) => ({ t: p.t * scale, x: p.x }));
      const last = r.trajectory[r.trajectory.length - 1];
      runs.push({
        method: m.name,
        loss: r.loss,
        t: scale == null ? null : last.t * scale,
        steps: r.odeIterations,
        evaluations,
        stoppedBy: r.odeStoppedBy,
        traj,
      });
      process.stderr.write(
        `a seed ${seed} ${m.name}: loss ${fmtE(r.loss)}, t ${fmtE(runs.at(-1).t)}, ${r.odeIterations} steps, ∇ ${evaluations.gradient}, ∇² ${evaluations.hessian}, ${r.odeStoppedBy}\n`,
      );
    }
    const times = runs.flatMap((u) => (u.traj ? u.traj.map((p) => p.t) : []));
    const ref = reference(net, x0, times, A.refBudget);
    process.stderr.write(
      `a seed ${seed} reference ${A.refAlg} tol ${A.refTol}: t ${fmtE(ref.t)} of ${fmtE(Math.max(...times))} in ${ref.seconds.toFixed(1)} s, ${ref.steps} steps (${ref.status})\n`,
    );
    for (const u of runs) {
      u.distance = u.traj ? distance(u.traj, ref, P) : null;
      delete u.traj;
    }
    perSeed.push({ seed, P, reference: { t: ref.t, steps: ref.steps, seconds: ref.seconds, status: ref.status }, runs });
    net.dispose();
  }
  return perSeed;
}

function printA(perSeed) {
  const P = perSeed[0].P;
  console.log(
    `\n### a. ODE methods, ${A.budget} s of phase 1 each (scripts/ode.jl "small": D = ${D}, teacher 4 softplus, student 8 softplus, P = ${P}, N = 10⁴; medians over ${perSeed.length} seed${perSeed.length > 1 ? "s" : ""})`,
  );
  console.log(
    `\n| method | loss reached | ODE time t reached | steps / iterations | ∇ evals | ∇² evals | distance to reference | points compared |`,
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const m of A_METHODS) {
    const us = perSeed.map((s) => s.runs.find((u) => u.method === m.name));
    const t = median(us.map((u) => u.t));
    const discrete = typeof m.alg !== "string";
    const tCell = t == null ? "— (no ODE time)" : discrete ? `≈ ${fmtE(t)} (η/N per iteration)` : fmtE(t);
    const dist = us.every((u) => u.distance) ? fmtE(median(us.map((u) => u.distance.mean))) : "— (no ODE time)";
    const cmp = us.every((u) => u.distance) ? us.map((u) => `${u.distance.compared}/${u.distance.of}`).join(", ") : "—";
    console.log(
      `| ${m.name} | ${fmtE(median(us.map((u) => u.loss)))} | ${tCell} | ${fmtN(median(us.map((u) => u.steps)))} | ${fmtN(median(us.map((u) => u.evaluations.gradient)))} | ${fmtN(median(us.map((u) => u.evaluations.hessian)))} | ${dist} | ${cmp} |`,
    );
  }
  console.log(
    `\nReference per seed: ${A.refAlg}, abstol = reltol = ${A.refTol}, ≤ ${A.refBudget} s: ` +
      perSeed
        .map(
          (s) =>
            `seed ${s.seed} reached t = ${fmtE(s.reference.t)} (${s.reference.steps} steps, ${s.reference.seconds.toFixed(1)} s${s.reference.status === "done" ? ", all points" : ""})`,
        )
        .join("; ") +
      ". Distance = mean over the method's trajectory points (t = 0 included) of ‖x − x_ref(t)‖²/(2P); points later than the reference's end are not compared (\"points compared\" per seed).",
  );
}

// ----------------------------------------------------------------------------- part b
/** Part b's problem of a seed: the teacher's data and the start teacher + σ·noise. */
function problemB(seed) {
  const { input, target, teacher } = problem(seed);
  const noise = normals(3000 + seed, teacher.length);
  const x0 = teacher.map((v, i) => v + B.sigma * noise[i]);
  return { seed, input, target, teacher, x0 };
}

function problemsB() {
  return SEEDS.map(problemB);
}

async function partB(problems) {
  const ours = [];
  for (const v of B_OURS) {
    for (const p of problems) {
      const net = new Net({ layers: TEACHER, input: p.input, target: p.target });
      let last;
      const bench = new Bench({ time: B.repeatMs, iterations: 1, warmup: false });
      bench.add(v.name, async () => {
        last = await run(net, p.x0, { minloss: B.minloss, ...v.opts });
      });
      await bench.run();
      const { r, evaluations } = last;
      const reached = r.loss <= B.minloss;
      const lat = bench.tasks[0].result.latency;
      const time = reached ? lat.p50 / 1000 : last.wall;
      const stoppedBy = [r.odeStoppedBy, r.optimStoppedBy].filter(Boolean).join(" → ");
      ours.push({
        method: v.name,
        seed: p.seed,
        reached,
        time_s: time,
        repeats: lat.samplesCount,
        loss: r.loss,
        evals: evaluations.gradient,
        hess_evals: evaluations.hessian,
        stopped_by: stoppedBy,
      });
      process.stderr.write(
        `b seed ${p.seed} ${v.name}: ${reached ? "reached" : "NOT reached"} ${fmtT(time)} (${lat.samplesCount} run${lat.samplesCount > 1 ? "s" : ""}), loss ${fmtE(r.loss)}, ${stoppedBy}\n`,
      );
      net.dispose();
    }
  }
  return ours;
}

function runTorch(problems) {
  const dir = mkdtempSync(join(tmpdir(), "mlpgf-train-bench-"));
  const file = join(dir, "problems.json");
  try {
    writeFileSync(
      file,
      JSON.stringify({
        threshold: B.minloss,
        budget: B.budget,
        adam_lr: B.adamLr,
        problems: problems.map((p) => ({
          name: `seed ${p.seed}`,
          seed: p.seed,
          layers: TEACHER,
          input: p.input,
          target: rows(Array.from(p.target.data), 1),
          x0: Array.from(p.x0),
        })),
      }),
    );
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
        "bench/torch_train.py",
        "--json",
        "--problems",
        file,
      ],
      { encoding: "utf8", maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "inherit"] },
    );
    if (r.status !== 0) throw new Error(`torch_train.py failed (status ${r.status})`);
    const out = JSON.parse(r.stdout.trim().split("\n").pop());
    for (const u of out.results) u.seed = Number(u.problem.replace("seed ", ""));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printB(ours, torch) {
  console.log(
    `\n### b. Time to loss ≤ ${B.minloss} (teacher 4 softplus + biases, linear output + bias; student of the same width, P = 17; N = 10⁴; start = teacher + ${B.sigma}·N(0, 1) noise; budget ${B.budget} s per run; seeds ${SEEDS.join(", ")})`,
  );
  const rowsOut = [];
  const group = (list, name) => list.filter((u) => u.method === name).sort((a, b) => a.seed - b.seed);
  for (const v of B_OURS) rowsOut.push({ name: v.name, us: group(ours, v.name), ours: true });
  if (torch) for (const [k, name] of Object.entries(TORCH_NAMES)) rowsOut.push({ name, us: group(torch.results, k), ours: false });
  const base = rowsOut[0].us.map((u) => (u.reached ? u.time_s : Infinity));
  const bestOurs = SEEDS.map((_, i) =>
    Math.min(...rowsOut.filter((r) => r.ours).map((r) => (r.us[i].reached ? r.us[i].time_s : Infinity))),
  );
  // a run that did not reach the loss: cut by the budget ("> budget") or stopped by itself ("stopped at")
  const byBudget = (u) => u.time_s >= B.budget - 0.5;
  const cell = (u) => (u.reached ? fmtT(u.time_s) : byBudget(u) ? `> ${B.budget} s` : `never (stopped at ${fmtT(u.time_s)})`);
  const ratio = (us, ref) => {
    const v = us.map((u, i) => {
      if (!Number.isFinite(ref[i])) return { s: "—" };
      if (u.reached) return { s: `${(u.time_s / ref[i]).toFixed(1)}×`, r: u.time_s / ref[i] };
      return { s: byBudget(u) ? `> ${(B.budget / ref[i]).toFixed(1)}×` : "never" };
    });
    const all = v.every((a) => a.r != null);
    return all && v.length > 1
      ? `${median(v.map((a) => a.r)).toFixed(1)}× (${v.map((a) => a.s).join(", ")})`
      : v.map((a) => a.s).join(", ");
  };
  console.log(
    `\n| method | reached | time to ${B.minloss} (median) | per seed | best loss (median) | ∇ evals | ∇² evals | stopped by | torch / ours (defaults) | torch / ours (best) |`,
  );
  console.log("|---|---:|---:|---|---:|---:|---:|---|---|---|");
  for (const row of rowsOut) {
    const { us } = row;
    const nReached = us.filter((u) => u.reached).length;
    const med = nReached === us.length ? fmtT(median(us.map((u) => u.time_s))) : nReached === 0 ? "not reached" : "—";
    const reasons = [...new Set(us.map((u) => u.stopped_by))].join("; ");
    const r1 = row.ours ? "" : ratio(us, base);
    const r2 = row.ours ? "" : ratio(us, bestOurs);
    console.log(
      `| ${row.name} | ${nReached}/${us.length} | ${med} | ${us.map(cell).join(", ")} | ${fmtE(median(us.map((u) => u.loss)))} | ${fmtN(median(us.map((u) => u.evals)))} | ${fmtN(median(us.map((u) => u.hess_evals)))} | ${reasons} | ${r1} | ${r2} |`,
    );
  }
  console.log(
    `\nOurs: wall-clock time of the whole train() call (median of the repeats that fit in ${B.repeatMs / 1000} s, at least one), ` +
      `ODE variants with maxtimeOde ${odeLimits.maxtimeOde} s + maxtimeOptim ${odeLimits.maxtimeOptim} s, otherwise the defaults; minloss = ${B.minloss}. ` +
      (torch
        ? `PyTorch ${torch.torch} / scipy ${torch.scipy}, one thread: time from the start of the method to the first evaluation with loss ≤ ${B.minloss} (one run). `
        : "") +
      `"> r×": not reached within the budget (r = budget / ours); "never": the method stopped by itself above the loss. ` +
      `torch / ours (best): against the fastest of our variants on each seed.`,
  );
}

// ----------------------------------------------------------------------------- part c
async function partC() {
  const rowsC = C_OURS.map((v) => ({ name: v.name, runs: [] }));
  for (let seed = 1; seed <= C.seeds; seed++) {
    const { input, target, x0 } = problemB(seed);
    const net = new Net({ layers: TEACHER, input, target });
    for (const [i, v] of C_OURS.entries()) {
      const t0 = performance.now();
      const r = await train(net, x0, { minloss: B.minloss, ...v.opts, maxtimeOptim: C.budget });
      rowsC[i].runs.push({ seed, reached: r.loss <= B.minloss, time_s: (performance.now() - t0) / 1000, loss: r.loss });
    }
    net.dispose();
    process.stderr.write(`c seed ${seed}: ${rowsC.map((r) => (r.runs.at(-1).reached ? "ok" : "--")).join(" ")}\n`);
  }
  return rowsC;
}

function printC(rowsC) {
  console.log(
    `\n### c. How often the optimizer-only variants reach loss ≤ ${B.minloss} (part b's problem, seeds 1–${C.seeds}, σ = ${B.sigma}, one run each, budget ${C.budget} s)`,
  );
  console.log("\n| method | reached | median time of those | seeds not reached (best loss) |");
  console.log("|---|---:|---:|---|");
  for (const { name, runs } of rowsC) {
    const ok = runs.filter((u) => u.reached);
    const missed =
      runs
        .filter((u) => !u.reached)
        .map((u) => `${u.seed} (${fmtE(u.loss, 1)})`)
        .join(", ") || "—";
    console.log(`| ${name} | ${ok.length}/${runs.length} | ${fmtT(median(ok.map((u) => u.time_s)))} | ${missed} |`);
  }
}

// ----------------------------------------------------------------------------- main
await init();
const out = { date: new Date().toISOString(), node: process.version, settings: { N, D, SEEDS, A, B } };
if (part.includes("a")) out.a = await partA();
if (part.includes("b")) {
  const problems = problemsB();
  out.b = { ours: await partB(problems) };
  out.b.torch = withTorch ? runTorch(problems) : null;
  out.b.problems = problems.map((p) => ({ seed: p.seed, teacher: Array.from(p.teacher), x0: Array.from(p.x0) }));
}
console.log(
  `\nmlp-gradient-flow training benchmark — ${out.date.slice(0, 10)}, Node ${process.version}${out.b?.torch ? `, PyTorch ${out.b.torch.torch}, scipy ${out.b.torch.scipy}` : ""}, one thread`,
);
if (out.a) printA(out.a);
if (out.b) printB(out.b.ours, out.b.torch);
if (part.includes("c")) {
  out.c = await partC();
  printC(out.c);
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(out, null, 2));
