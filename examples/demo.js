// Teacher–student demo: a random softplus teacher labels Gaussian inputs; a wider student is
// evaluated at a random point: loss, gradient norm, and the Hessian spectrum (minimum or saddle?).
// Run with `npm start` (builds first) or `node examples/demo.js` after `npm run build`.
import { Net, hessianSpectrum, init } from "mlp-gradient-flow";

await init();

const D = 2;
const N = 1000;
// Gaussian inputs (Box–Muller on a fixed-seed generator, so the demo is reproducible)
let s = 12345;
const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
const input = Array.from({ length: N }, () => Array.from({ length: D }, gauss));

// Teacher: 4 softplus neurons with biases, one linear output
const teacher = new Net({ layers: [[4, "softplus", true], [1, "identity", true]], din: D });
const teacherParams = teacher.randomParams({ seed: 1 });
const target = teacher.forward(teacherParams, input);
console.log(`teacher: ${teacher.nparams} parameters, ${N} samples in ${D} dimensions`);

for (const width of [4, 8]) {
  const student = new Net({ layers: [[width, "softplus", true], [1, "identity", true]], input, target: target });
  const x = student.randomParams({ seed: 2 });
  const t0 = performance.now();
  const { loss, gradient } = student.lossAndGradient(x);
  const t1 = performance.now();
  const { values } = hessianSpectrum(student, x);
  const t2 = performance.now();
  const gnorm = Math.max(...gradient.map(Math.abs));
  const negative = values.filter((v) => v < -1e-8).length;
  console.log(`\nstudent with ${width} neurons (${student.nparams} parameters) at a random point:`);
  console.log(`  loss              ${loss.toExponential(6)}`);
  console.log(`  ‖gradient‖∞       ${gnorm.toExponential(6)}   (${(t1 - t0).toFixed(2)} ms)`);
  console.log(`  Hessian spectrum  ${values.length} eigenvalues in [${values[0].toExponential(3)}, ${values[values.length - 1].toExponential(3)}], ${negative} negative   (${(t2 - t1).toFixed(1)} ms with eigen-decomposition)`);
  console.log(`  smallest five     ${Array.from(values.slice(0, 5), (v) => v.toExponential(3)).join("  ")}`);
  student.dispose();
}
teacher.dispose();
console.log("\nTraining (gradient flow to a critical point) arrives with train(); see README.");
