// One evaluation on several threads (init's `threads` option) against one thread, side by side in one
// run: the protocol's network (D = 2, one softplus hidden layer of k neurons with biases, linear
// output), gradient and Hessian, medians of interleaved rounds.
//   node bench/threads.js [--threads T] [--rounds R]
import { execSync } from "node:child_process";
import { init } from "../dist/index.js";
import { median, protocolNet } from "./protocol.js";

const args = process.argv.slice(2);
const T = args.includes("--threads") ? Number(args[args.indexOf("--threads") + 1]) : 2;
const ROUNDS = args.includes("--rounds") ? Number(args[args.indexOf("--rounds") + 1]) : 3;

const cpu = (() => {
  try {
    return execSync("lscpu | grep 'Model name'", { encoding: "utf8" }).split(":")[1].trim();
  } catch {
    return "unknown CPU";
  }
})();
console.log(`${cpu}; one evaluation on 1 vs ${T} threads, medians of ${ROUNDS} interleaved rounds`);
console.log("| k | N | what | 1 thread | T threads | speed-up |");
console.log("|---:|---:|---|---:|---:|---:|");
await init();
for (const [k, n] of [
  [100, 10_000],
  [100, 100_000],
  [50, 10_000],
  [10, 100_000],
]) {
  const net = protocolNet(k, n);
  const x = net.randomParams({ seed: 1 });
  for (const what of ["gradient", "hessian"]) {
    const f = what === "gradient" ? () => net.gradient(x) : () => net.hessian(x);
    const budget = what === "hessian" && n >= 100_000 ? 3000 : 600;
    const one = [];
    const many = [];
    for (let r = 0; r < ROUNDS; r++) {
      await init(undefined, { threads: 1 });
      one.push(await median(f, budget));
      await init(undefined, { threads: T });
      many.push(await median(f, budget));
    }
    const mid = (a) => a.sort((p, q) => p - q)[Math.floor(a.length / 2)];
    const a = mid(one);
    const b = mid(many);
    const ms = (s) => `${(s * 1e3).toFixed(2)} ms`;
    console.log(`| ${k} | ${n} | ${what} | ${ms(a)} | ${ms(b)} | ${(a / b).toFixed(2)}× |`);
  }
  net.dispose();
}
await init(undefined, { threads: 1 });
