// Work of the ODE methods (src/ode): (1) steps of stiff vs explicit methods on y′ = −A·y with λ from
// 1e-2 to 1e4; (2) the measurement behind defaultMethod(): teacher–student gradient flows
// dθ/dt = −N·∇L(θ) with the exact Hessian as Jacobian, integrated to t = 1e6 at tol 1e-6.
//   npm run build && node bench/ode.js [--quick]
import { Net, init } from "../dist/index.js";
import { solveOde } from "../dist/ode/index.js";

await init();
const quick = process.argv.includes("--quick");
let s = 7;
const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand());

// (1) stiff linear problem
{
  const n = 8;
  const Q = [];
  while (Q.length < n) {
    const v = Array.from({ length: n }, () => rand() - 0.5);
    for (const q of Q) {
      const d = v.reduce((a, vi, i) => a + vi * q[i], 0);
      for (let i = 0; i < n; i++) v[i] -= d * q[i];
    }
    const r = Math.hypot(...v);
    Q.push(v.map((x) => x / r));
  }
  const lam = Array.from({ length: n }, (_, k) => 1e-2 * 1e6 ** (k / (n - 1)));
  const A = new Float64Array(n * n);
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] += Q[k][i] * lam[k] * Q[k][j];
  const fn = {
    autonomous: true,
    f(_t, x, dx) {
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += A[i * n + j] * x[j];
        dx[i] = -v;
      }
    },
    jacobian(_t, _x, J) {
      for (let i = 0; i < n * n; i++) J[i] = -A[i];
    },
  };
  const x0 = Float64Array.from({ length: n }, (_, i) => 1 + 0.1 * i);
  console.log("y' = -A y, n = 8, λ ∈ [1e-2, 1e4], t ∈ [0, 10]");
  console.log("method      tol     steps  rejected      nf  njac   nlu");
  for (const tol of [1e-6, 1e-9]) {
    for (const method of ["tsit5", "dp5", "rk4", "rodas4", "rodas5p", "trbdf2", "kencarp58"]) {
      const r = solveOde(fn, x0, { method, tEnd: 10, abstol: tol, reltol: tol, maxSteps: 1e6 });
      console.log(
        `${method.padEnd(10)} ${tol.toExponential(0)} ${String(r.steps).padStart(8)} ${String(r.rejected).padStart(9)} ${String(r.nf).padStart(7)} ${String(r.njac).padStart(5)} ${String(r.nlu).padStart(5)}`,
      );
    }
  }
}

// (2) gradient flows of two-layer networks (D = 2, teacher with 4 hidden units)
{
  const cases = quick
    ? [
        [2, 10000],
        [10, 1000],
        [50, 1000],
      ]
    : [
        [2, 10000],
        [4, 10000],
        [6, 10000],
        [10, 10000],
        [10, 1000],
        [50, 1000],
        [100, 1000],
        [250, 200],
      ];
  console.log("\ngradient flow to t = 1e6 (tol 1e-6; best of up to 5 runs): k, P, N, method, steps, nf, njac, nlu, ms, final loss");
  for (const [k, N] of cases) {
    const input = Array.from({ length: N }, () => [gauss(), gauss()]);
    const teacher = new Net({
      layers: [
        [4, "softplus", true],
        [1, "identity", true],
      ],
      input,
      target: input.map(() => [0]),
    });
    const y = teacher.forward(teacher.randomParams({ seed: 11 })).data;
    teacher.dispose();
    const net = new Net({
      layers: [
        [k, "softplus", true],
        [1, "identity", true],
      ],
      input,
      target: Array.from(y, (v) => [v]),
    });
    const x0 = net.randomParams({ seed: 5 });
    const P = x0.length;
    const fn = {
      autonomous: true,
      f(_t, x, dx) {
        const g = net.gradient(x);
        for (let i = 0; i < P; i++) dx[i] = -N * g[i];
      },
      jacobian(_t, x, J) {
        const H = net.hessian(x).data;
        for (let i = 0; i < P * P; i++) J[i] = -N * H[i];
      },
    };
    const reps = quick || P > 300 ? 1 : 5;
    const results = {};
    for (let rep = 0; rep < reps; rep++) {
      for (const method of ["rodas5p", "kencarp58", "trbdf2"]) {
        const t0 = performance.now();
        const r = solveOde(fn, x0, { method, tEnd: 1e6 });
        const ms = performance.now() - t0;
        if (!results[method] || ms < results[method].ms) results[method] = { r, ms };
      }
    }
    for (const [method, { r, ms }] of Object.entries(results)) {
      console.log(
        `${k} ${P} ${N} ${method.padEnd(9)} ${r.steps} ${r.nf} ${r.njac} ${r.nlu} ${ms.toFixed(0)} ${net.loss(r.x).toExponential(2)}`,
      );
    }
    net.dispose();
  }
}
