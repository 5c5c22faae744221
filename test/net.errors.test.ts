import { describe, expect, it, vi } from "vitest";
import { MLPGFError, Net, hessianSpectrum } from "../src/index.js";

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

/** Runs f and returns the MLPGFError it throws (fails if it throws anything else or nothing). */
function caught(f: () => unknown): MLPGFError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(MLPGFError);
    return e as MLPGFError;
  }
  throw new Error("expected an MLPGFError, nothing was thrown");
}

describe("input validation", () => {
  it("wrong shapes", () => {
    let e = caught(() => new Net({ layers, input: [[1, 2], [3]], target }));
    expect(e.code).toBe("SHAPE");
    expect(e.message).toMatch(/row 1 has 1 entries, expected 2/);
    e = caught(() => new Net({ layers, input, target: [[1], [2]] }));
    expect(e.code).toBe("SHAPE");
    expect(e.message).toMatch(/target: has 2 rows, expected 3/);
    e = caught(
      () =>
        new Net({
          layers: [
            [3, "tanh", true],
            [2, "identity", true],
          ],
          input,
          target,
        }),
    );
    expect(e.message).toMatch(/output layer has 2 neurons but the target has 1 columns/);
    const net = new Net({ layers, input, target });
    e = caught(() => net.loss(new Float64Array(3)));
    expect(e.code).toBe("SHAPE");
    expect(e.message).toMatch(/parameters x: has length 3, expected 13/);
    e = caught(() => net.forward(net.randomParams({ seed: 1 }), [[1, 2, 3]]));
    expect(e.message).toMatch(/input: has 3 columns, expected 2/);
    e = caught(() => net.loss(net.randomParams(), { weights: [1, 2] }));
    expect(e.code).toBe("OPTION");
    expect(e.message).toMatch(/option weights: expected 3 sample weights, got 2/);
    e = caught(
      () =>
        new Net({
          layers: [
            [3, ["tanh", "relu"], true],
            [1, "identity", true],
          ],
          input,
          target,
        }),
    );
    expect(e.message).toMatch(/2 per-neuron activations for 3 neurons/);
    e = caught(() => new Net({ layers: [[3, "tanh"]] as never, input, target }));
    expect(e.message).toMatch(/expected \[width, activation, bias\]/);
    net.dispose();
  });

  it("non-finite data or parameters", () => {
    let e = caught(
      () =>
        new Net({
          layers,
          input: [
            [0.1, NaN],
            [0, 0],
            [1, 1],
          ],
          target,
        }),
    );
    expect(e.code).toBe("VALUE");
    expect(e.message).toMatch(/input: entry at row 0, column 1 is NaN/);
    e = caught(() => new Net({ layers, input, target: [[1], [Infinity], [0]] }));
    expect(e.message).toMatch(/target: entry at row 1, column 0 is Infinity/);
    e = caught(() => new Net({ layers, input, target, weights: [1, -1, 1] }));
    expect(e.message).toMatch(/sample weights must be ≥ 0/);
    const net = new Net({ layers, input, target });
    const x = net.randomParams({ seed: 2 });
    x[5] = NaN;
    e = caught(() => net.gradient(x));
    expect(e.code).toBe("VALUE");
    expect(e.message).toMatch(/parameters x: entry at index 5 is NaN/);
    net.dispose();
  });

  it("a NaN produced by overflow is reported, not returned", () => {
    const net = new Net({
      layers: [
        [2, "exp", false],
        [1, "exp", false],
      ],
      input: [
        [0, 1],
        [1, 1],
        [0.5, 0.5],
      ],
      target,
    });
    const x = new Float64Array(net.nparams).fill(400); // exp(exp(400)) = Inf, Inf·0 → NaN in the gradient
    const e = caught(() => net.gradient(x));
    expect(e.code).toBe("VALUE");
    expect(e.message).toMatch(/NaN/);
    net.dispose();
  });

  it("unknown activation, softmax outside the output layer", () => {
    let e = caught(
      () =>
        new Net({
          layers: [
            [3, "swish" as never, true],
            [1, "identity", true],
          ],
          input,
          target,
        }),
    );
    expect(e.code).toBe("ACTIVATION");
    expect(e.message).toMatch(/unknown activation "swish"; expected one of identity, relu/);
    e = caught(
      () =>
        new Net({
          layers: [
            [3, "softmax", true],
            [1, "identity", true],
          ],
          input,
          target,
        }),
    );
    expect(e.code).toBe("ACTIVATION");
    expect(e.message).toMatch(/softmax is allowed in the output layer only/);
    e = caught(
      () =>
        new Net({
          layers: [
            [2, ["softmax", "relu"], true],
            [1, "identity", true],
          ],
          input,
          target,
        }),
    );
    expect(e.message).toMatch(/softmax cannot be a per-neuron activation/);
    e = caught(
      () =>
        new Net({
          layers: [
            [3, "tanh", true],
            [1, ["identity"], true],
          ],
          input,
          target,
        }),
    );
    expect(e.message).toMatch(/per-neuron activations are allowed in hidden layers only/);
    e = caught(
      () =>
        new Net({
          layers: [
            [3, { poly: [] }, true],
            [1, "identity", true],
          ],
          input,
          target,
        }),
    );
    expect(e.message).toMatch(/poly/);
  });

  it("labels out of range, loss type mismatch", () => {
    const sm = [
      [3, "tanh", true],
      [3, "softmax", true],
    ] as const;
    let e = caught(() => new Net({ layers: sm, input, target: [0, 3, 1] }));
    expect(e.code).toBe("VALUE");
    expect(e.message).toMatch(/entry 1 is 3; labels must be integers in 0..2/);
    e = caught(() => new Net({ layers: sm, input, target: [0, 1.5, 1] }));
    expect(e.message).toMatch(/entry 1 is 1.5/);
    e = caught(() => new Net({ layers, input, target: [0, 1, 1] }));
    expect(e.message).toMatch(/class labels .* need a softmax output/);
    const net = new Net({ layers: sm, input, target: [0, 2, 1] });
    e = caught(() => net.loss(net.randomParams(), { losstype: "mse" }));
    expect(e.message).toMatch(/use "nll"/);
    net.dispose();
  });

  it("zero samples and missing data", () => {
    let e = caught(() => new Net({ layers, input: [], target: [] }));
    expect(e.code).toBe("SHAPE");
    expect(e.message).toMatch(/zero samples/);
    e = caught(() => new Net({ layers, input }));
    expect(e.message).toMatch(/give both input and target/);
    e = caught(() => new Net({ layers }));
    expect(e.message).toMatch(/din \(a positive integer\)/);
    const net = new Net({ layers, din: 2 });
    e = caught(() => net.loss(net.randomParams()));
    expect(e.message).toMatch(/no data/);
    expect(net.forward(net.randomParams({ seed: 1 }), input).rows).toBe(3);
    net.dispose();
  });

  it("a network or Hessian that cannot fit in WASM memory says how much it needs", () => {
    const many = Array.from({ length: 100 }, (_, i) => [i / 100, 1 - i / 100]);
    let e = caught(
      () =>
        new Net({
          layers: [
            [2_000_000, "tanh", true],
            [1, "identity", true],
          ],
          input: many,
          target: many.map(() => [0]),
        }),
    );
    expect(e.code).toBe("MEMORY");
    expect(e.message).toMatch(/cannot reserve [\d.]+ MiB of WASM memory for the network/);
    const net = new Net({
      layers: [
        [30_000, "tanh", true],
        [1, "identity", true],
      ],
      input,
      target,
    });
    e = caught(() => net.hessian(net.randomParams({ seed: 1 })));
    expect(e.code).toBe("MEMORY");
    expect(e.message).toMatch(/cannot reserve [\d.]+ MiB of WASM memory for the 120001 × 120001 Hessian/);
    net.dispose();
  });

  it("use after dispose", () => {
    const net = new Net({ layers, input, target });
    const x = net.randomParams({ seed: 3 });
    net.dispose();
    for (const f of [() => net.loss(x), () => net.gradient(x), () => net.hessian(x), () => net.forward(x), () => hessianSpectrum(net, x)]) {
      const e = caught(f);
      expect(e.code).toBe("DISPOSED");
      expect(e.message).toMatch(/disposed/);
    }
    net.dispose(); // twice is harmless
  });

  it("use before init()", async () => {
    vi.resetModules();
    const fresh = await import("../src/index.js");
    let err: unknown;
    try {
      new fresh.Net({ layers, input, target });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(fresh.MLPGFError);
    expect((err as MLPGFError).code).toBe("NOT_INITIALIZED");
    expect((err as MLPGFError).message).toMatch(/call `await init\(\)`/);
  });
});
