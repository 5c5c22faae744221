// Teacher–student demo (`npm start`): a softplus teacher with 4 hidden neurons labels 10⁴ Gaussian
// inputs in 2 dimensions; students with 4 and 8 neurons follow the gradient flow from random starts
// (stiff ODE solver with the exact Hessian), then Newton/BFGS lands on the critical point. Printed:
// progress while it runs, final loss, gradient norm, stop reasons, smallest Hessian eigenvalues (a
// minimum has none below 0) and the time per phase.
import { Net, hessianSpectrum, init, train } from "mlp-gradient-flow";

await init();

const D = 2;
const N = 10_000;
let s = 12345; // fixed-seed Gaussian inputs, so the demo is reproducible
const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
const input = Array.from({ length: N }, () => Array.from({ length: D }, gauss));

const teacher = new Net({
  layers: [
    [4, "softplus", true],
    [1, "identity", true],
  ],
  din: D,
});
const teacherParams = teacher.randomParams({ seed: 3 }).map((v, i) => (i >= 8 && i < 12 ? 0.5 : v)); // non-zero biases
const target = teacher.forward(teacherParams, input);
teacher.dispose();
console.log(`teacher: 4 softplus neurons, ${N} samples in ${D} dimensions\n`);

const tty = process.stdout.isTTY;
for (const width of [4, 8]) {
  const student = new Net({
    layers: [
      [width, "softplus", true],
      [1, "identity", true],
    ],
    input,
    target,
  });
  const x0 = student.randomParams({ seed: 2 });
  console.log(`student with ${width} neurons (${student.nparams} parameters), initial loss ${student.loss(x0).toExponential(3)}`);
  const r = await train(student, x0, {
    maxtimeOde: 10,
    maxtimeOptim: 5,
    progressInterval: tty ? 0.25 : 5,
    onProgress: (p) => {
      const line = `  ${p.phase.padEnd(5)} ${p.elapsed.toFixed(1).padStart(5)} s  t = ${p.t.toExponential(2)}  loss ${p.loss.toExponential(4)}  ‖∇‖∞ ${p.gnorm.toExponential(2)}  evaluations ∇ ${p.evaluations.gradient}, ∇² ${p.evaluations.hessian}`;
      if (tty) process.stdout.write(`\r${line}`);
      else console.log(line);
    },
  });
  if (tty) process.stdout.write("\n");
  const { values } = hessianSpectrum(student, r.x);
  console.log(`  loss              ${r.loss.toExponential(6)}`);
  console.log(`  ‖gradient‖∞       ${r.gnorm.toExponential(3)}`);
  console.log(`  gradient flow     ${r.odeIterations} steps in ${r.odeTimeRun.toFixed(2)} s, stopped by: ${r.odeStoppedBy}`);
  console.log(`  optimizer         ${r.optimIterations} iterations in ${r.optimTimeRun.toFixed(2)} s, stopped by: ${r.optimStoppedBy}`);
  console.log(`  smallest Hessian eigenvalues  ${Array.from(values.slice(0, 4), (v) => v.toExponential(3)).join("  ")}`);
  const verdict =
    r.loss < 1e-20
      ? "the teacher was found (global minimum)"
      : r.gnorm > 1e-10
        ? "not yet at a critical point: the flow is still moving through a flat region (give it more time)"
        : values[0] < -1e-8
          ? "a saddle"
          : "a minimum";
  console.log(`  ${verdict}\n`);
  student.dispose();
}
