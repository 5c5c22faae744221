// trainMany speed-up: the same starts trained by 1 and by 2 worker threads (run after `npm run build`).
//   node bench/many.js [--starts 4] [--reps 3] [--iters 600]
// Problem: D = 2, N = 2000 Gaussian inputs, teacher 4 softplus + biases, student 8 softplus + biases
// (P = 33), phase 1 only with Rodas5P for a fixed number of steps (deterministic work per start).
// Reports the median wall time over reps of: sequential train() in the main thread, trainMany with
// 1 worker, trainMany with 2 workers, and the speed-up 1 → 2 workers (medians and best runs), with the
// CPU time / wall time of each (≈ the number of threads that really ran) and the load average: on a
// shared machine other processes take cores, and the speed-up needs a free second core.
import { Net, init, train, trainMany } from "../dist/index.js";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const starts = arg("starts", 4);
const reps = arg("reps", 3);
const iters = arg("iters", 600);

await init();
let s = 1;
const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
const gauss = () => Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand());
const N = 2000;
const input = Array.from({ length: N }, () => [gauss(), gauss()]);
const teacher = new Net({
  layers: [
    [4, "softplus", true],
    [1, "identity", true],
  ],
  din: 2,
});
const target = teacher.forward(teacher.randomParams({ seed: 1 }), input);
const net = new Net({
  layers: [
    [8, "softplus", true],
    [1, "identity", true],
  ],
  input,
  target,
});
const x0s = Array.from({ length: starts }, (_, i) => net.randomParams({ seed: 10 + i }));
const opts = { alg: "rodas5p", maxiterationsOde: iters, maxiterationsOptim: 0, maxtimeOde: 600 };

const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
/** Wall time and CPU time of the whole process (all threads) of f, in seconds. */
async function time(f, cpuOut) {
  const t = performance.now();
  const c = process.cpuUsage();
  await f();
  const d = process.cpuUsage(c);
  cpuOut.push((d.user + d.system) / 1e6);
  return (performance.now() - t) / 1000;
}
const seq = [],
  one = [],
  two = [];
const cpu = { seq: [], one: [], two: [] };
for (let r = 0; r < reps; r++) {
  seq.push(
    await time(async () => {
      for (const x of x0s) await train(net, x, opts);
    }, cpu.seq),
  );
  one.push(await time(() => trainMany(net, x0s, opts, { workers: 1 }), cpu.one));
  two.push(await time(() => trainMany(net, x0s, opts, { workers: 2 }), cpu.two));
}
// CPU time / wall time ≈ number of busy threads: ≈ 2 with two workers if they really run in parallel
const fmt = (a, k) =>
  `${median(a).toFixed(2)} s [${a.map((v) => v.toFixed(2)).join(", ")}], CPU/wall ${(median(cpu[k]) / median(a)).toFixed(2)}`;
console.log(`trainMany: ${starts} starts × ${iters} Rodas5P steps, P = ${net.nparams}, N = ${N}, ${reps} reps (median [all])`);
console.log(`  sequential train (main thread): ${fmt(seq, "seq")}`);
console.log(`  trainMany, 1 worker:            ${fmt(one, "one")}`);
console.log(`  trainMany, 2 workers:           ${fmt(two, "two")}`);
const best = (a) => Math.min(...a);
console.log(
  `  speed-up 1 → 2 workers: ${(median(one) / median(two)).toFixed(2)}× (medians), ${(best(one) / best(two)).toFixed(2)}× (best of ${reps})`,
);
const os = await import("node:os");
console.log(
  `  load average during the run: ${os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(", ")} on ${os.availableParallelism()} cores`,
);
