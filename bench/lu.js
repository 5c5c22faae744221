// Timing of the dense LU in WASM (assembly/lu.ts through src/engine/lu.ts): factorisation with partial
// pivoting and one solve of a random n×n system, medians over a few runs, plus the relative residual.
//   npm run build && node bench/lu.js [n ...]      (default n = 200 500 1000)
import { DenseLU } from "../dist/engine/lu.js";
import { init } from "../dist/index.js";

await init();
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
let s = 12345;
const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];

console.log("   n   factor ms   solve ms   GFLOP/s   residual");
for (const n of sizes.length ? sizes : [200, 500, 1000]) {
  const M = Float64Array.from({ length: n * n }, rand);
  const b = Float64Array.from({ length: n }, rand);
  const x = new Float64Array(n);
  const lu = new DenseLU(n);
  const tf = [],
    ts = [];
  for (let r = 0; r < (n > 600 ? 5 : 11); r++) {
    let t = performance.now();
    lu.factor(M);
    tf.push(performance.now() - t);
    t = performance.now();
    lu.solve(b, x);
    ts.push(performance.now() - t);
  }
  let res = 0,
    norm = 0,
    xn = 0;
  for (let i = 0; i < n; i++) {
    let v = -b[i],
      row = 0;
    for (let j = 0; j < n; j++) {
      v += M[i * n + j] * x[j];
      row += Math.abs(M[i * n + j]);
    }
    res = Math.max(res, Math.abs(v));
    norm = Math.max(norm, row);
    xn = Math.max(xn, Math.abs(x[i]));
  }
  const f = median(tf);
  console.log(
    `${String(n).padStart(4)} ${f.toFixed(2).padStart(11)} ${median(ts).toFixed(3).padStart(10)} ${(((2 / 3) * n ** 3) / f / 1e6).toFixed(2).padStart(9)}   ${(res / (norm * xn)).toExponential(1)}`,
  );
  lu.dispose();
}
