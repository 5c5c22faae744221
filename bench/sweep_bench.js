// Sweep runner figures for docs/SCALING.md (run after `npm run build`): `node bench/sweep_bench.js`.
//   a. Runner overhead per run: `mlpgf sweep run` of 200 tiny runs (1 ODE step, no optimizer) on one
//      worker; (wall time − the same command with nothing left to do) / runs, next to the mean time
//      the runs themselves took in their worker (build, train, Hessian spectrum).
//   b. 10⁴ synthetic results (a real result file written under 10⁴ ids of a 10⁴-run grid): files per
//      directory, bytes, and the time of `collectSweep` and of `mlpgf sweep collect` / `status`.
//   c. Speed-up from 1 to 2 workers: 24 runs of ≈ 0.3–1 s, wall time of `mlpgf sweep run` with
//      --workers 1 and --workers 2 (fresh directories, medians of --reps, default 3).
// Options: --part abc (default), --reps N. Wall-clock medians; the machine may be shared.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collectSweep, planSweep } from "../dist/index.js";

const CLI = new URL("../dist/cli/main.js", import.meta.url).pathname;
const args = process.argv.slice(2);
const part = args.includes("--part") ? args[args.indexOf("--part") + 1] : "abc";
const reps = args.includes("--reps") ? Number(args[args.indexOf("--reps") + 1]) : 3;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function base(odeIterations, optimIterations) {
  return {
    layers: [
      [3, "softplus", true],
      [1, "identity", true],
    ],
    data: {
      kind: "teacher",
      teacher: {
        layers: [
          [2, "softplus", true],
          [1, "identity", true],
        ],
        seed: 3,
      },
      din: 2,
      samples: 40,
      seed: 5,
    },
    train: {
      maxiterationsOde: odeIterations,
      maxiterationsOptim: optimIterations,
      maxtimeOde: 1e6,
      maxtimeOptim: 1e6,
      minloss: 0,
      minGnorm: 0,
    },
  };
}

/** Wall seconds of `mlpgf ...args`. */
function timed(cliArgs) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...cliArgs], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`mlpgf ${cliArgs.join(" ")} failed: ${r.stderr}`);
  return { seconds: (performance.now() - t0) / 1000, stdout: r.stdout };
}

function tmp() {
  return mkdtempSync(join(tmpdir(), "mlpgf-sweep-bench-"));
}

function runSeconds(out) {
  return readdirSync(join(out, "runs")).map((f) => JSON.parse(readFileSync(join(out, "runs", f), "utf8")).result?.sweep?.seconds ?? NaN);
}

if (part.includes("a")) {
  const n = 200;
  const walls = [];
  const idle = [];
  let inWorker = NaN;
  for (let k = 0; k < reps; k++) {
    const dir = tmp();
    const spec = join(dir, "s.json");
    writeFileSync(spec, JSON.stringify({ ...base(1, 0), grid: { "student.seed": Array.from({ length: n }, (_, i) => i + 1) } }));
    walls.push(timed(["sweep", "run", spec, "-o", join(dir, "out"), "--workers", "1"]).seconds);
    idle.push(timed(["sweep", "run", spec, "-o", join(dir, "out"), "--workers", "1"]).seconds);
    const secs = runSeconds(join(dir, "out"));
    inWorker = secs.reduce((a, b) => a + b, 0) / secs.length;
    rmSync(dir, { recursive: true, force: true });
  }
  const per = (median(walls) - median(idle)) / n;
  console.log(
    `a. ${n} tiny runs, 1 worker: wall ${median(walls).toFixed(2)} s, nothing-to-do ${median(idle).toFixed(2)} s → ${(per * 1000).toFixed(1)} ms per run, of which ${(inWorker * 1000).toFixed(1)} ms in the worker (run itself) → runner overhead ≈ ${((per - inWorker) * 1000).toFixed(1)} ms per run`,
  );
}

if (part.includes("b")) {
  const n = 10_000;
  const dir = tmp();
  const spec = join(dir, "s.json");
  const sweep = { ...base(40, 3), grid: { "student.seed": Array.from({ length: n }, (_, i) => i + 1) } };
  writeFileSync(spec, JSON.stringify(sweep));
  const out = join(dir, "out");
  // one real run (shard 0 of n), its file copied under the ids of the other runs
  timed(["sweep", "run", spec, "-o", out, "--workers", "1", "--shard", `0/${n}`]);
  const [first] = readdirSync(join(out, "runs"));
  const text = readFileSync(join(out, "runs", first), "utf8");
  const runs = (await planSweep(sweep)).runs;
  for (const r of runs.slice(1)) writeFileSync(join(out, "runs", `${r.id}.json`), text.replace(first.replace(".json", ""), r.id));
  const files = readdirSync(join(out, "runs"));
  const bytes = files.reduce((a, f) => a + statSync(join(out, "runs", f)).size, 0);
  const t0 = performance.now();
  const table = await collectSweep(out);
  const tCollect = (performance.now() - t0) / 1000;
  const cli = timed(["sweep", "collect", out, "-o", join(dir, "r.csv")]).seconds;
  const st = timed(["sweep", "status", out]).seconds;
  const resume = timed(["sweep", "run", spec, "-o", out, "--workers", "1"]).seconds;
  console.log(
    `b. ${table.rows.length} results: ${files.length} files in runs/ (${(bytes / 1e6).toFixed(1)} MB, ${(bytes / files.length / 1024).toFixed(1)} kB each); collectSweep ${tCollect.toFixed(2)} s; mlpgf sweep collect ${cli.toFixed(2)} s, status ${st.toFixed(2)} s, run with nothing left ${resume.toFixed(2)} s (all including ≈ 0.3 s Node start)`,
  );
  rmSync(dir, { recursive: true, force: true });
}

if (part.includes("c")) {
  const times = { 1: [], 2: [] };
  const spec0 = { ...base(1500, 3), grid: { "layers.0.0": [3, 4], "student.seed": Array.from({ length: 12 }, (_, i) => i + 1) } };
  let work = NaN;
  for (let k = 0; k < reps; k++) {
    for (const w of [1, 2]) {
      const dir = tmp();
      const spec = join(dir, "s.json");
      writeFileSync(spec, JSON.stringify(spec0));
      times[w].push(timed(["sweep", "run", spec, "-o", join(dir, "out"), "--workers", String(w)]).seconds);
      if (w === 1) work = runSeconds(join(dir, "out")).reduce((a, b) => a + b, 0);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const [t1, t2] = [median(times[1]), median(times[2])];
  console.log(
    `c. 24 runs (sum of run times on 1 worker ${work.toFixed(1)} s): 1 worker ${t1.toFixed(2)} s, 2 workers ${t2.toFixed(2)} s → speed-up ${(t1 / t2).toFixed(2)}× (medians of ${reps}; 1 worker: ${times[1].map((t) => t.toFixed(2)).join(", ")}; 2 workers: ${times[2].map((t) => t.toFixed(2)).join(", ")})`,
  );
}
