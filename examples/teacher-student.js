// Teacher–student on finite data: a softplus teacher with 3 hidden neurons labels 500 Gaussian inputs
// in 2 dimensions; students with 2, 3 and 5 neurons follow the gradient flow from a random start and
// an optimizer lands on the critical point. For each: the final loss, the gradient, and where the run
// ended (classifyEndpoint: minimum, saddle, channel or not critical, with the relative tolerances used).
// Every run stops on iteration limits, so the output is the same on every machine.
//
//   node examples/teacher-student.js
import { classifyEndpoint, gaussianInput, init, Net, TeacherNet, train } from "mlp-gradient-flow";

await init();

const D = 2;
const N = 500;
const input = gaussianInput(N, D, { seed: 1 });
const teacher = new TeacherNet({
  layers: [
    [3, "softplus", true],
    [1, "identity", true],
  ],
  din: D,
  seed: 7,
});
const target = teacher.forward(input);
console.log(`teacher: 3 softplus neurons; ${N} samples in ${D} dimensions`);

for (const width of [2, 3, 5]) {
  const student = new Net({
    layers: [
      [width, "softplus", true],
      [1, "identity", true],
    ],
    input,
    target,
  });
  const x0 = student.randomParams({ seed: 2 });
  const r = await train(student, x0, { maxiterationsOde: 1500, maxiterationsOptim: 300 });
  const c = classifyEndpoint(student, r.x);
  console.log(
    `student with ${width} neurons (${student.nparams} parameters): loss ${student.loss(x0).toExponential(2)} → ${r.loss.toExponential(3)}, ` +
      `‖∇‖∞ ${r.gnorm.toExponential(2)}; ${c.kind} (λ_min ${c.eigen.min.toExponential(2)}, ` +
      `zero eigenvalues ${c.eigen.zero} below ${c.eigen.tolerance} · |λ|max; stopped by: ${r.odeStoppedBy} / ${r.optimStoppedBy})`,
  );
  student.dispose();
}
teacher.dispose();
