import { describe, expect, it } from "vitest";
import { Net, params } from "../../src/index.js";
import { expectMLPGFError } from "../helpers/errors.js";

const rows = [
  [0.1, 0.2],
  [0.3, -0.4],
  [1.0, 0.5],
  [-0.7, 0.9],
];
const target = [[1], [0], [0.5], [-0.2]];
const layers = [
  [3, "tanh", true],
  [1, "identity", true],
] as const;

describe("rows given as typed arrays", () => {
  it("Float64Array / Float32Array / Int32Array rows give the same network as number[] rows", () => {
    const ref = new Net({ layers, input: rows, target });
    const x = ref.randomParams({ seed: 4 });
    const expected = ref.lossAndGradient(x);
    const variants = [
      { input: rows.map((r) => Float64Array.from(r)), target: target.map((r) => Float64Array.from(r)) },
      { input: rows.map((r) => Float64Array.from(r)), target },
      { input: rows, target: target.map((r) => new Float64Array(r)) },
    ];
    for (const v of variants) {
      const net = new Net({ layers, ...v });
      const got = net.lossAndGradient(x);
      expect(got.loss).toBe(expected.loss);
      expect(Array.from(got.gradient)).toEqual(Array.from(expected.gradient));
      expect(Array.from(net.forward(x, v.input).data)).toEqual(Array.from(ref.forward(x).data));
      net.dispose();
    }
    // integer rows are exact in float64: the same as the number[] rows they hold
    const ints = [
      [1, 2],
      [3, -4],
      [0, 5],
      [-7, 9],
    ];
    const a = new Net({ layers, input: ints, target });
    const b = new Net({ layers, input: ints.map((r) => Int32Array.from(r)), target });
    expect(b.loss(x)).toBe(a.loss(x));
    const f32 = new Net({ layers, input: rows.map((r) => Float32Array.from(r)), target });
    const rounded = new Net({ layers, input: rows.map((r) => r.map(Math.fround)), target });
    expect(f32.loss(x)).toBe(rounded.loss(x));
    for (const n of [ref, a, b, f32, rounded]) n.dispose();
  });

  it("params() takes typed-array rows for W", () => {
    const W = [
      [1, 2],
      [3, 4],
    ];
    const x1 = params([[W, [5, 6]]]);
    const x2 = params([[W.map((r) => Float64Array.from(r)), Float64Array.of(5, 6)]]);
    expect(Array.from(x2)).toEqual(Array.from(x1));
  });

  it("ragged typed rows, non-numeric entries and DataView rows are errors", () => {
    const expectError = expectMLPGFError;
    expectError(
      () => new Net({ layers, input: [Float64Array.of(1, 2), Float64Array.of(3)], target: [[1], [2]] }),
      "SHAPE",
      /row 1 has 1 entries, expected 2/,
    );
    expectError(
      () =>
        new Net({
          layers,
          input: [
            [1, 2],
            [3, null],
          ] as never,
          target: [[1], [2]],
        }),
      "VALUE",
      /row 1, column 1 is null/,
    );
    expectError(
      () =>
        new Net({
          layers,
          input: [
            [1, 2],
            [3, "4"],
          ] as never,
          target: [[1], [2]],
        }),
      "VALUE",
      /row 1, column 1 is string "?4"?;/,
    );
    expectError(
      () => new Net({ layers, input: [new DataView(new ArrayBuffer(16))] as never, target: [[1]] }),
      "SHAPE",
      /expected an array of rows/,
    );
    expectError(() => new Net({ layers, input: [Float64Array.of(1, NaN)], target: [[1]] }), "VALUE", /row 0, column 1 is NaN/);
  });
});
