// The option schemas of NetI, the loss methods, randomParams, subspaceMinloss(/OnGrid) and saveResult:
// unknown keys name the closest valid one, wrong types and ranges name the key; all are OPTION.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LinearSubspace, MLPGFError, Net, NetI, TeacherNet, saveResult, subspaceMinloss, subspaceMinlossOnGrid } from "../../src/index.js";
import { sampleResult } from "../io/sample.js";

/** The error thrown by f (fails the test if it returns). */
function caught(f: () => unknown): MLPGFError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(MLPGFError);
    return e as MLPGFError;
  }
  throw new Error("no error");
}

function expectOption(f: () => unknown, re: RegExp): void {
  const e = caught(f);
  expect(e.code).toBe("OPTION");
  expect(e.message).toMatch(re);
}

describe("option schemas of the API", () => {
  const input = [
    [0.1, 0.2],
    [0.3, -0.4],
    [1, 0.5],
  ];
  const target = [[1], [0], [0.5]];

  it("loss options of Net and NetI", () => {
    const net = new Net({
      layers: [
        [2, "tanh", true],
        [1, "identity", true],
      ],
      input,
      target,
    });
    const x = net.randomParams({ seed: 1 });
    expectOption(() => net.loss(x, { maxNorm: 1 } as never), /^loss options: unknown option "maxNorm"; did you mean "maxnorm"\?/);
    expectOption(
      () => net.loss(x, { losstype: "mae" } as never),
      /^loss options: option losstype: expected one of "mse", "nll" \(did you mean "mse"\?\), got "mae"$/,
    );
    expectOption(() => net.gradient(x, { weights: [1, -1, 1] }), /option weights: expected an array of N finite numbers ≥ 0/);
    expectOption(
      () => net.hessian(x, { merge: { layer: 0, pair: [0, 0], lambda: 1 } }),
      /option merge\.pair: expected two different neuron indices/,
    );
    expectOption(() => net.loss(x, null as never), /options: expected an object, got null/);
    expect(net.loss(x, undefined)).toBe(net.loss(x, {}));
    net.dispose();
  });

  it("NetI and randomParams", () => {
    const teacher = new TeacherNet({
      layers: [
        [2, "normal_cdf", false],
        [1, "identity", false],
      ],
      din: 2,
      seed: 1,
    });
    const layers = [
      [2, "normal_cdf", false],
      [1, "identity", false],
    ] as const;
    expectOption(
      () => new NetI(teacher, { layers, quadratureorder: 50 } as never),
      /^new NetI: unknown option "quadratureorder"; did you mean "quadratureOrder"\?/,
    );
    expectOption(
      () => new NetI(teacher, { layers, quadratureOrder: -1e9 }),
      /option quadratureOrder: expected an integer in 2\.\.4000 .*got -1000000000/,
    );
    expectOption(() => new NetI(teacher, { layers: "two" as never }), /option layers: expected an array of layer specs/);
    expectOption(() => new NetI(teacher, {} as never), /option layers: required/);
    const neti = new NetI(teacher, { layers });
    const x = neti.randomParams({ seed: 2 });
    expectOption(() => neti.loss(x, { weights: [1] }), /option weights: does not apply: NetI has no samples/);
    expectOption(() => neti.randomParams({ seed: 1.5 }), /^randomParams: option seed: expected an integer, got 1\.5$/);
    expectOption(
      () => neti.randomParams({ distribution: "glorot_uniforn" } as never),
      /option distribution: expected one of "glorot_normal", "glorot_uniform" \(did you mean "glorot_uniform"\?\), got "glorot_uniforn"/,
    );
    expectOption(() => neti.randomParams({ sed: 1 } as never), /unknown option "sed"; did you mean "seed"\?/);
    neti.dispose();
    teacher.dispose();
  });

  it("subspaceMinloss and subspaceMinlossOnGrid", () => {
    const net = new Net({
      layers: [
        [2, "tanh", true],
        [1, "identity", true],
      ],
      input,
      target,
    });
    const x = net.randomParams({ seed: 3 });
    const e1 = new Float64Array(net.nparams);
    const e2 = new Float64Array(net.nparams);
    e1[0] = 1;
    e2[1] = 1;
    const ls = new LinearSubspace(x, e1, e2);
    expectOption(
      () => subspaceMinloss(net, ls, 0, 0, { restart: 2 } as never),
      /^subspaceMinloss: unknown option "restart"; did you mean "restarts"\?/,
    );
    expectOption(
      () => subspaceMinloss(net, ls, 0, 0, { method: "adam" } as never),
      /option method: expected one of "newtonTrustRegion", "newton", "bfgs", "lbfgs", got "adam"/,
    );
    expectOption(() => subspaceMinloss(net, ls, 0, 0, { init: [1, 2] }), /option init: expected 7 complement coordinates \(P − 2\), got 2/);
    expectOption(
      () => subspaceMinlossOnGrid(net, ls, [[0, 0]], { revers: false } as never),
      /^subspaceMinlossOnGrid: unknown option "revers"; did you mean "reverse"\?/,
    );
    expectOption(
      () => subspaceMinlossOnGrid(net, ls, [[0, 0]], { reverse: "no" } as never),
      /option reverse: expected true or false, got "no"/,
    );
    net.dispose();
  });

  it("saveResult", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "mlpgf-opt-")), "r.json");
    for (const [opts, re] of [
      [{ fromat: "json" }, /^saveResult: unknown option "fromat"; did you mean "format"\?/],
      [{ format: "pickle" }, /^saveResult: option format: expected one of "json", "npz", got "pickle"$/],
    ] as const) {
      const e = await saveResult(path, sampleResult(), opts as never).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(MLPGFError);
      expect((e as MLPGFError).code).toBe("OPTION");
      expect((e as Error).message).toMatch(re);
    }
  });
});
