// A loss-landscape slice: the plane through a minimum spanned by two random directions. Printed: the
// plain loss on a 5 × 5 grid of that plane, and the loss minimised over the other P − 2 directions at
// each grid point (LinearSubspace + subspaceMinlossOnGrid, as in the original's landscape plots) — the
// second is never above the first.
//
//   node examples/landscape-slice.js
import { gaussianInput, init, LinearSubspace, Net, subspaceMinlossOnGrid, TeacherNet } from "mlp-gradient-flow";

await init();

const input = gaussianInput(500, 2, { seed: 1 });
const teacher = new TeacherNet({
  layers: [
    [2, "tanh", true],
    [1, "identity", true],
  ],
  din: 2,
  seed: 3,
});
const net = new Net({
  layers: [
    [2, "tanh", true],
    [1, "identity", true],
  ],
  input,
  target: teacher.forward(input),
});
const xMin = teacher.params; // the teacher's parameters: a global minimum, loss 0

const [v1, v2] = [11, 12].map((seed) => net.randomParams({ seed }));
const ls = new LinearSubspace(xMin, v1, v2); // orthonormal coordinates (a1, a2) in the plane
const axis = [-0.5, -0.25, 0, 0.25, 0.5];
const plain = axis.map((a1) => axis.map((a2) => net.loss(ls.point(a1, a2))));
const { surface } = subspaceMinlossOnGrid(net, ls, { a1: axis, a2: axis, restarts: 1, maxIterations: 200 });

const table = (title, rows) => {
  console.log(title);
  console.log(`  a1 \\ a2 ${axis.map((a) => a.toFixed(2).padStart(9)).join(" ")}`);
  rows.forEach((row, i) => console.log(`  ${axis[i].toFixed(2).padStart(8)} ${row.map((v) => v.toExponential(1).padStart(9)).join(" ")}`));
};
table("loss on the plane:", plain);
table("loss minimised over the complement:", surface);
net.dispose();
teacher.dispose();
