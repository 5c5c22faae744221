// The measurement of bench/browserthreads.js, run in Node, on a page's main thread and in a module Web
// Worker alike: one evaluation of the protocol's network on 1 and on T threads, interleaved rounds.
import { init } from "../dist/index.js";
import { protocolNet } from "./protocol.js";

/** Median time (ms) of f over at least 5 runs and about budget ms, after one warm-up run. */
function median(f, budget) {
  f();
  const times = [];
  const end = performance.now() + budget;
  while (times.length < 5 || performance.now() < end) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[times.length >> 1];
}

export async function measure(T, rounds, k, n) {
  await init();
  const net = protocolNet(k, n);
  const x = net.randomParams({ seed: 1 });
  const rows = [];
  for (const what of ["gradient", "hessian"]) {
    const f = what === "gradient" ? () => net.gradient(x) : () => net.hessian(x);
    const one = [];
    const many = [];
    for (let r = 0; r < rounds; r++) {
      await init(undefined, { threads: 1 });
      one.push(median(f, 400));
      await init(undefined, { threads: T });
      many.push(median(f, 400));
    }
    const mid = (a) => a.sort((p, q) => p - q)[a.length >> 1];
    rows.push({ what, one: mid(one), many: mid(many) });
  }
  net.dispose();
  await init(undefined, { threads: 1 });
  return rows;
}
