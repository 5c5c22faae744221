// Infinite Gaussian data (NetI) and the copy–average critical points of Şimşek et al. (2021): a student
// with one neuron less than its teacher is trained to a minimum; splitting one of its neurons into two
// copies (incoming weights copied, outgoing weight shared as γ·a and (1 − γ)·a) gives a point of the
// wider network with the same function and loss that is again a critical point — here a saddle or a
// degenerate minimum, which classifyEndpoint tells apart; merging the two (averaging incoming, summing
// outgoing weights) returns the first point.
//
//   node examples/neti-copy-average.js
import { classifyEndpoint, init, mergeNeurons, NetI, splitNeuron, TeacherNet, train } from "mlp-gradient-flow";

await init();

const teacher = new TeacherNet({
  layers: [
    [3, "sigmoid2", false],
    [1, "identity", false],
  ],
  din: 4,
  seed: 1,
});
const student = new NetI(teacher, {
  layers: [
    [2, "sigmoid2", false],
    [1, "identity", false],
  ],
});
const r = await train(student, student.randomParams({ seed: 2 }), { maxiterationsOde: 2000, maxiterationsOptim: 200 });
const c = classifyEndpoint(student, r.x);
console.log(`2-neuron student: loss ${r.loss.toExponential(6)}, ‖∇‖∞ ${r.gnorm.toExponential(2)}, ${c.kind}`);

for (const gamma of [0.5, 0.2]) {
  const { net: wide, x } = splitNeuron(student, r.x, 0, gamma); // neuron 0 → neurons 0 and 1
  const w = classifyEndpoint(wide, x);
  console.log(
    `copy with γ = ${gamma}: loss ${wide.loss(x).toExponential(6)} (same), ‖∇‖∞ ${w.gnorm.toExponential(2)}, ` +
      `${w.kind}: ${w.eigen.negative} negative, ${w.eigen.zero} zero eigenvalues (λ_min ${w.eigen.min.toExponential(2)})`,
  );
  const { net: back, x: xa } = mergeNeurons(wide, x, 0, 1); // average back
  const diff = Math.max(...Array.from(xa, (v, i) => Math.abs(v - r.x[i])));
  console.log(`  merged back: max |Δx| = ${diff.toExponential(1)}`);
  back.dispose();
  wide.dispose();
}
student.dispose();
teacher.dispose();
