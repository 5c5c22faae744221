import { TeacherNet, params } from "../../src/index.js";

/** The teacher's incoming weight vectors e₁, e₂. */
export const E1 = [1, 0, 0];
export const E2 = [0, 1, 0];

/** The teacher of the copy–average point: two orthonormal sigmoid2 neurons e₁, e₂ in D = 3, output weights 1, no biases. */
export function copyAverageTeacher(): TeacherNet {
  return new TeacherNet({
    layers: [
      [2, "sigmoid2", false],
      [1, "identity", false],
    ],
    din: 3,
    params: params([
      [[E1, E2], null],
      [[[1, 1]], null],
    ]),
  });
}
