import { describe, expect, it } from "vitest";
import { MLPGFError, Net, TeacherNet } from "../src/index.js";

describe("TeacherNet", () => {
  it("generates targets from fixed parameters (given or seeded), with and without a hidden layer", () => {
    const input = [
      [0.1, 0.2],
      [0.3, -0.4],
      [1.0, 0.5],
    ];
    const t1 = new TeacherNet({
      layers: [
        [4, "softplus", true],
        [2, "identity", true],
      ],
      din: 2,
      seed: 3,
    });
    const t2 = new TeacherNet({
      layers: [
        [4, "softplus", true],
        [2, "identity", true],
      ],
      din: 2,
      seed: 3,
    });
    expect(Array.from(t1.params)).toEqual(Array.from(t2.params));
    const y = t1.forward(input);
    expect([y.rows, y.cols]).toEqual([3, 2]);
    const net = new Net({
      layers: [
        [4, "softplus", true],
        [2, "identity", true],
      ],
      din: 2,
    });
    expect(Array.from(y.data)).toEqual(Array.from(net.forward(t1.params, input).data));
    const lin = new TeacherNet({ layers: [[1, "identity", false]], din: 2, params: [2, -1] });
    expect(Array.from(lin.forward(input).data)).toEqual([0.1 * 2 - 0.2, 0.3 * 2 + 0.4, 2 - 0.5]);
    expect(() => new TeacherNet({ layers: [[1, "identity", false]], din: 2, params: [1] })).toThrow(/has length 1, expected 2/);
    expect(() => new TeacherNet({ layers: [[1, "identity", false]], din: 2, params: [1, NaN] })).toThrow(MLPGFError);
    for (const t of [t1, t2, lin]) t.dispose();
    net.dispose();
  });
});
