// Bad input of the network API, the spectrum and the landscape tools (issue 12, point 2): every case
// is a MLPGFError naming the argument (never a TypeError, a RangeError, a silent NaN or a silently
// converted value), and valid extreme input (130,000 labels, directions of norm 1e308) works.
import { describe, expect, it } from "vitest";
import {
  LinearSubspace,
  Net,
  NetI,
  TeacherNet,
  cosineSimilarity,
  gaussHermiteNet,
  hessianSpectrum,
  params,
  symmetricEigen,
  toLocalCoords,
  weightnorm,
} from "../../src/index.js";
import type { ActivationName } from "../../src/api/activations.js";
import { show } from "../../src/util/show.js";
import { refLoss } from "../helpers/reference.js";
import { expectError } from "./helpers.js";

const input = [
  [0.1, 0.2],
  [0.3, -0.4],
  [1.0, 0.5],
];
const target = [[1], [0], [0.5]];
const layers = [
  [3, "tanh", true],
  [1, "identity", true],
] as const;

describe("activation names are own keys only", () => {
  const inherited = ["toString", "constructor", "__proto__", "valueOf", "hasOwnProperty", "isPrototypeOf"];
  it.each(inherited)("%s is an unknown activation in Net, TeacherNet and NetI", (key) => {
    const name = key as ActivationName; // typed as a name to reach the run-time check (the compiler refuses it)
    expectError(
      () =>
        new Net({
          layers: [
            [2, name, true],
            [1, "identity", true],
          ],
          input,
          target,
        }),
      "ACTIVATION",
      /layers\[0\]: unknown activation/,
    );
    expectError(
      () =>
        new Net({
          layers: [
            [2, ["relu", name], true],
            [1, "identity", true],
          ],
          input,
          target,
        }),
      "ACTIVATION",
      /layers\[0\] neuron 1: unknown activation/,
    );
    expectError(
      () =>
        new TeacherNet({
          layers: [
            [2, name, false],
            [1, "identity", false],
          ],
          din: 2,
        }),
      "ACTIVATION",
    );
    const teacher = new TeacherNet({
      layers: [
        [2, "relu", false],
        [1, "identity", false],
      ],
      din: 2,
      seed: 1,
    });
    expectError(
      () =>
        new NetI(teacher, {
          layers: [
            [2, name, false],
            [1, "identity", false],
          ],
        }),
      "ACTIVATION",
    );
    teacher.dispose();
  });

  it("an object with an inherited poly is not a polynomial activation", () => {
    const fake = Object.create({ poly: [0, 1] }) as { poly: number[] };
    expectError(
      () =>
        new Net({
          layers: [
            [2, fake, true],
            [1, "identity", true],
          ],
          input,
          target,
        }),
      "ACTIVATION",
    );
  });
});

describe("parameters and data: nothing is converted silently", () => {
  const net = new Net({ layers, input, target });
  const x = net.randomParams({ seed: 1 });

  it("null, strings, booleans and holes in a parameter vector are VALUE, not 0 or 1", () => {
    for (const bad of [null, "1", true, undefined, {}]) {
      const v: unknown[] = Array.from(x);
      v[4] = bad;
      expectError(() => net.loss(v as number[]), "VALUE", /parameters x: entry at index 4 is .*; every value must be a finite number/);
    }
    const holey = Array.from(x) as number[];
    delete holey[2];
    expectError(() => net.gradient(holey), "VALUE", /entry at index 2 is undefined/);
  });

  it("null in input, target, weights and teacher parameters is VALUE", () => {
    expectError(
      () =>
        new Net({
          layers,
          input: [
            [null, 1],
            [1, 2],
            [3, 4],
          ] as never,
          target,
        }),
      "VALUE",
      /input: entry at row 0, column 0 is null/,
    );
    expectError(
      () => new Net({ layers, input, target: [[1], ["0"], [0.5]] as never }),
      "VALUE",
      /target: entry at row 1, column 0 is string 0/,
    );
    expectError(() => new Net({ layers, input, target, weights: [1, null, 1] as never }), "VALUE", /weights: entry at index 1 is null/);
    expectError(
      () =>
        new TeacherNet({
          layers: [
            [1, "relu", false],
            [1, "identity", false],
          ],
          din: 2,
          params: [1, null, 2] as never,
        }),
      "VALUE",
      /TeacherNet params: entry at index 1 is null/,
    );
  });

  it("a BigInt64Array is VALUE (not a TypeError), a DataView or a string is rejected", () => {
    expectError(() => net.loss(new BigInt64Array(net.nparams) as never), "VALUE", /BigInt64Array/);
    expectError(() => net.forward(new BigUint64Array(net.nparams) as never), "VALUE", /BigUint64Array/);
    expectError(() => net.loss(new DataView(new ArrayBuffer(8 * net.nparams)) as never), "SHAPE");
    expectError(() => net.loss("abcdefghijklmnop" as never), "VALUE");
    // other numeric typed arrays are fine (exactly representable values)
    expect(net.loss(Int32Array.from(x, (v) => Math.round(4 * v)))).toBe(net.loss(Float64Array.from(x, (v) => Math.round(4 * v))));
  });

  it("the length is checked before the copy (a huge sparse array fails at once)", () => {
    const huge = new Array<number>(2 ** 32 - 1);
    expectError(() => net.loss(huge), "SHAPE", /has length 4294967295, expected 13/);
    expectError(
      () => new Net({ layers, input: [new Array<number>(1e9)] as never, target: [[1]] }),
      "VALUE",
      /row 0, column 0 is undefined/,
    );
  });

  it("weightnorm of a non-vector is an error, not NaN", () => {
    expectError(() => weightnorm("abc" as never), "VALUE", /weightnorm: x/);
    expectError(() => weightnorm([1, NaN]), "VALUE");
    expectError(() => weightnorm(null as never), "SHAPE");
    expect(weightnorm([3, 4])).toBe(25 / 4);
  });

  it("error messages survive values that JSON.stringify or a template cannot print", () => {
    expectError(
      () =>
        new Net({
          layers: [
            [1n, "relu", true],
            [1, "identity", true],
          ] as never,
          input,
          target,
        }),
      "VALUE",
      /width must be a positive integer.*got 1n/,
    );
    expectError(
      () =>
        new Net({
          layers: [
            [2, Symbol("s"), true],
            [1, "identity", true],
          ] as never,
          input,
          target,
        }),
      "ACTIVATION",
      /Symbol\(s\)/,
    );
    expectError(() => new Net({ layers, input, target, din: Symbol("d") as never }), "SHAPE");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expectError(
      () =>
        new Net({
          layers: [
            [2, cyclic, true],
            [1, "identity", true],
          ] as never,
          input,
          target,
        }),
      "ACTIVATION",
    );
    expect(show(NaN)).toBe("NaN");
    expect(show([1, Infinity, 2n])).toBe('[1,"Infinity","2n"]');
    expect(show("x".repeat(500)).length).toBeLessThanOrEqual(81);
  });
});

describe("layer arrays", () => {
  it("a hole in the layers or in per-neuron activations is an error, not a dropped layer", () => {
    // eslint-disable-next-line no-sparse-arrays
    const holey = [[2, "relu", true], , [1, "identity", true]];
    expectError(
      () => new Net({ layers: holey as never, input, target }),
      "SHAPE",
      /layers\[1\]: expected \[width, activation, bias\], got undefined/,
    );
    const acts = ["relu", "tanh"];
    acts.length = 3;
    expectError(
      () =>
        new Net({
          layers: [
            [3, acts, true],
            [1, "identity", true],
          ] as never,
          input,
          target,
        }),
      "ACTIVATION",
      /neuron 2/,
    );
    const acts0 = new Array(2);
    acts0[1] = "relu";
    expectError(
      () =>
        new Net({
          layers: [
            [2, acts0, true],
            [1, "identity", true],
          ] as never,
          input,
          target,
        }),
      "ACTIVATION",
      /neuron 0/,
    );
  });

  it("params() with a hole is an error", () => {
    // eslint-disable-next-line no-sparse-arrays
    expectError(() => params([[[[1]], null], , [[[1]], null]] as never), "SHAPE", /params: layer 1 must be \[W, b\]/);
  });
});

describe("forward has the same NaN check as loss", () => {
  it("parameters that overflow an activation to NaN: VALUE from forward, loss and gradient alike", () => {
    const net = new Net({
      layers: [
        [2, "cube", true],
        [1, "identity", true],
      ],
      input,
      target,
    });
    const x = net.randomParams({ seed: 1 }).map((v) => 1e150 * (v + 0.5));
    expectError(() => net.loss(x), "VALUE", /NaN/);
    expectError(() => net.forward(x), "VALUE", /forward: the output has NaN entries/);
    expectError(() => net.forward(x, input), "VALUE", /forward: the output has NaN entries/);
    const teacher = new TeacherNet({
      layers: [
        [2, "cube", true],
        [1, "identity", true],
      ],
      din: 2,
      params: x,
    });
    expectError(() => teacher.forward(input), "VALUE");
    teacher.dispose();
    net.dispose();
  });
});

describe("symmetricEigen checks the data length before the copy into WASM memory", () => {
  it("6 × 6 with one value is SHAPE, not eigenvalues of uninitialised memory", () => {
    expectError(() => symmetricEigen({ rows: 6, cols: 6, data: Float64Array.of(1) }), "SHAPE", /data of length rows·cols/);
    expectError(() => symmetricEigen({ rows: 2, cols: 2, data: [1, 0, 0, 1] } as never), "SHAPE");
    expectError(() => symmetricEigen({ rows: -1, cols: -1, data: Float64Array.of(1) }), "SHAPE");
    expectError(() => symmetricEigen({ rows: 1.5, cols: 1.5, data: Float64Array.of(1, 2) }), "SHAPE");
    expectError(() => symmetricEigen(null as never), "SHAPE");
    const { values } = symmetricEigen({ rows: 2, cols: 2, data: Float64Array.of(2, 1, 1, 2) });
    expect(Array.from(values)).toEqual([expect.closeTo(1, 14), expect.closeTo(3, 14)]);
  });

  it("hessianSpectrum of something without a Hessian is VALUE", () => {
    expectError(() => hessianSpectrum({} as never, [1]), "VALUE");
    expectError(() => hessianSpectrum(null as never, [1]), "VALUE");
  });
});

describe("softmax labels", () => {
  it("130,000 labels with output width null: a correct loss, no stack overflow", () => {
    const n = 130_000;
    const labels = Array.from({ length: n }, (_, i) => (i * 7) % 3);
    const xs = Array.from({ length: n }, (_, i) => [Math.sin(i), Math.cos(0.5 * i)]);
    const net = new Net({
      layers: [
        [2, "tanh", true],
        [null, "softmax", true],
      ],
      input: xs,
      target: labels,
    });
    expect(net.dout).toBe(3);
    const x = net.randomParams({ seed: 3 });
    // oracle: the plain-TS reference on the one-hot targets
    const onehot = labels.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
    const ref = refLoss(
      [
        { k: 2, act: "tanh", bias: true },
        { k: 3, act: "softmax", bias: true },
      ],
      x,
      xs,
      onehot,
    );
    expect(Math.abs(net.loss(x) - ref)).toBeLessThan(1e-12 * ref);
    net.dispose();
  });

  it("labels beyond the declared width, negative or fractional labels are VALUE; a giant label is MEMORY", () => {
    expectError(
      () =>
        new Net({
          layers: [
            [2, "relu", true],
            [null, "softmax", true],
          ],
          input,
          target: [0, 1.5, 1],
        }),
      "VALUE",
      /entry 1 is 1.5; labels must be integers ≥ 0/,
    );
    expectError(
      () =>
        new Net({
          layers: [
            [2, "relu", true],
            [2, "softmax", true],
          ],
          input,
          target: [0, 2, 1],
        }),
      "VALUE",
      /entry 1 is 2; labels must be integers in 0..1/,
    );
    expectError(
      () =>
        new Net({
          layers: [
            [2, "relu", true],
            [null, "softmax", true],
          ],
          input,
          target: [0, 1e12, 1],
        }),
      "MEMORY",
    );
  });
});

describe("directions of the landscape tools are normalised without overflow", () => {
  it("new LinearSubspace(ref, [1e308, 1e308, 0], …) is the direction (1, 1, 0)/√2, not a zero vector", () => {
    const ls = new LinearSubspace([0, 0, 0], [1e308, 1e308, 0], [0, 0, 1e-310]);
    const r = expect.closeTo(Math.SQRT1_2, 15);
    expect(Array.from(ls.v1)).toEqual([r, r, 0]);
    expect(Array.from(ls.v2)).toEqual([0, 0, 1]);
    expect(Array.from(ls.point(1, 2))).toEqual([r, r, 2]);
    expectError(() => new LinearSubspace([0, 0, 0], [1e-320, 0, 0], [2e-320, 0, 0]), "VALUE", /parallel/);
    expectError(() => ls.point(NaN, 0), "VALUE", /a1 must be a finite number/);
    expectError(() => ls.point(0, 1, [1, 2]), "SHAPE");
    const far = new LinearSubspace([1e308, 0, 0], [1, 0, 0], [0, 1, 0]);
    expectError(() => far.point(1e308, 0), "VALUE", /overflow/);
    expectError(() => toLocalCoords(far, [-1e308, 0, 0]), "VALUE", /overflow/);
  });

  it("cosineSimilarity of huge and tiny vectors", () => {
    expect(cosineSimilarity([1e300, 1e300], [1e300, 0])).toBeCloseTo(Math.SQRT1_2, 15);
    expect(cosineSimilarity([1e-300, 0], [5e-324, 5e-324])).toBeCloseTo(Math.SQRT1_2, 15);
    expectError(() => cosineSimilarity([0, 0], [1, 0]), "VALUE", /a is the zero vector/);
  });
});

describe("other constructors and options", () => {
  it("null options are VALUE (OPTION for an options object with a schema), not TypeError", () => {
    const teacher = new TeacherNet({
      layers: [
        [2, "relu", false],
        [1, "identity", false],
      ],
      din: 2,
      seed: 1,
    });
    const neti = new NetI(teacher, {
      layers: [
        [2, "relu", false],
        [1, "identity", false],
      ],
    });
    const x = neti.randomParams({ seed: 2 });
    expectError(() => neti.loss(x, null as never), "OPTION");
    expectError(() => neti.randomParams(null as never), "OPTION");
    expectError(() => gaussHermiteNet(teacher, null as never), "VALUE");
    expectError(() => gaussHermiteNet(null as never, { layers: [] }), "VALUE");
    expectError(
      () =>
        gaussHermiteNet(
          teacher,
          {
            layers: [
              [2, "relu", false],
              [1, "identity", false],
            ],
          },
          null as never,
        ),
      "VALUE",
    );
    expectError(
      () =>
        gaussHermiteNet(
          teacher,
          {
            layers: [
              [2, "relu", false],
              [1, "identity", false],
            ],
          },
          { threshold: NaN },
        ),
      "VALUE",
    );
    neti.dispose();
    teacher.dispose();
  });
});

describe("the report's plots", () => {
  it("plot 300,000 points (a long loss curve of a loaded result) without a stack overflow", async () => {
    const { svgPlot } = await import("../../src/cli/svgplot.js");
    const n = 300_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => 1 / (1 + i));
    const svg = svgPlot({ title: "t", xlabel: "x", ylabel: "y", ylog: true, series: [{ x, y, label: "loss", color: "#00f" }] });
    expect(svg.startsWith("<svg")).toBe(true);
  });
});
