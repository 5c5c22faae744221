import { describe, expect, it } from "vitest";
import { NetI, TeacherNet, train } from "../src/index.js";

describe("train on infinite data (NetI)", () => {
  it("an erf student of 1 neuron learning 2 orthonormal teacher neurons converges to the copy–average point", async () => {
    const m = 2;
    // teacher: w1 = I (column-major), unit output weights, no biases
    const teacher = new TeacherNet({
      layers: [
        [2, "sigmoid2", false],
        [1, "identity", false],
      ],
      din: 2,
      params: [1, 0, 0, 1, 1, 1],
    });
    const neti = new NetI(teacher, {
      layers: [
        [1, "sigmoid2", false],
        [1, "identity", false],
      ],
    });
    const r = await train(neti, [0.3, 0.2, 0.5], { maxtimeOde: 20, maxtimeOptim: 20 });
    const expected = m / 3 - ((2 * m * m) / Math.PI) * Math.asin(1 / (2 * m));
    expect(Math.abs(r.loss - expected)).toBeLessThan(1e-14);
    expect(r.gnorm).toBeLessThan(1e-10);
    // the copy–average point: w = ρ(e₁ + e₂)/√2 with ρ² = 1/3, output weight 2
    expect(Math.abs(r.x[0] - r.x[1])).toBeLessThan(1e-8);
    expect(Math.abs(Math.hypot(r.x[0], r.x[1]) - Math.sqrt(1 / 3))).toBeLessThan(1e-8);
    expect(Math.abs(r.x[2] - m)).toBeLessThan(1e-8);
    expect(r.converged).toBe(true);
    neti.dispose();
    teacher.dispose();
  });
});
