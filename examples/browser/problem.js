// The teacher–student problem of the demo: Gaussian inputs, a fixed random teacher that labels
// them, and a student network to train on those labels. Public API of the package only.
import { Net, TeacherNet } from "mlp-gradient-flow";

/**
 * N samples of x ~ N(0, I_D) as a row-major N × D matrix, reproducible for a given seed
 * (a 32-bit linear congruential generator and Box–Muller).
 */
export function gaussianInputs(N, D, seed) {
  let s = (Math.imul(seed, 2654435761) + 12345) >>> 0;
  const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const data = new Float64Array(N * D);
  for (let i = 0; i < data.length; i++) data[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return { rows: N, cols: D, data };
}

/**
 * Builds the problem of a demo configuration `{ D, N, teacherWidth, studentWidth, activation, seed }`:
 * one hidden layer (with biases) and a linear output on both sides. Returns the student `Net` (the
 * caller disposes it) and its random start point.
 */
export function makeProblem(c) {
  const input = gaussianInputs(c.N, c.D, c.seed);
  const teacher = new TeacherNet({
    layers: [
      [c.teacherWidth, c.activation, true],
      [1, "identity", true],
    ],
    din: c.D,
    seed: c.seed,
  });
  let target;
  try {
    target = teacher.forward(input);
  } finally {
    teacher.dispose();
  }
  const student = new Net({
    layers: [
      [c.studentWidth, c.activation, true],
      [1, "identity", true],
    ],
    input,
    target,
  });
  return { student, x0: student.randomParams({ seed: c.seed + 1 }) };
}
