// Timing of the WASM Cholesky factorisation (release build) against a plain-JS unblocked reference.
//   npm run build && node bench/cholesky.js [n ...]      (default n = 200 500 1000)
import { readFileSync } from "node:fs";
import { init } from "../dist/index.js";
import { Cholesky } from "../dist/engine/cholesky.js";

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
await init(readFileSync(new URL("../dist/kernels.wasm", import.meta.url)));

/** A random symmetric positive definite matrix B·Bᵀ/n + I (deterministic). */
function spd(n, seed = 1) {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32 - 0.5;
  const B = Float64Array.from({ length: n * n }, u);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let t = 0;
      for (let k = 0; k < n; k++) t += B[i * n + k] * B[j * n + k];
      A[i * n + j] = A[j * n + i] = t / n + (i === j ? 1 : 0);
    }
  }
  return A;
}

/** Unblocked row-oriented Cholesky in plain JS (the reference timing). */
function jsCholesky(n, A, L) {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = i === j ? Math.sqrt(s) : s / L[j * n + j];
    }
  }
}

function median(f, reps) {
  const t = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[t.length >> 1];
}

console.log("n      wasm factor (ms)  GFLOP/s  js unblocked (ms)  solve (ms)");
for (const n of sizes.length ? sizes : [200, 500, 1000]) {
  const A = spd(n);
  const chol = new Cholesky(n);
  chol.load(A);
  const reps = n <= 500 ? 15 : 7;
  chol.refactor(0);
  const tf = median(() => chol.refactor(0), reps);
  const b = new Float64Array(n).fill(1);
  const x = new Float64Array(n);
  const ts = median(() => chol.solve(b, x), reps);
  const L = new Float64Array(n * n);
  const tj = median(() => jsCholesky(n, A, L), 3);
  const gflops = (2 * n ** 3) / 3 / (tf * 1e-3) / 1e9; // n³/3 multiply-adds
  console.log(
    `${String(n).padEnd(6)} ${tf.toFixed(2).padStart(16)}  ${gflops.toFixed(2).padStart(7)}  ${tj.toFixed(1).padStart(17)}  ${ts.toFixed(3).padStart(10)}`,
  );
  chol.dispose();
}
