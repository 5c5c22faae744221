// The train options schema: every key checked, unknown keys named with the closest valid one, the
// same schema behind the API, trainMany and the CLI config.
import { describe, expect, it } from "vitest";
import { MLPGFError, Net, type TrainOptions, train, trainMany } from "../../src/index.js";
import { parseConfig } from "../../src/cli/config.js";
import { closestName, editDistance } from "../../src/options/closest.js";
import { randn, rng } from "../helpers/reference.js";

function smallNet(): Net {
  const r = rng(7);
  const input = randn(r, 20, 2);
  return new Net({
    layers: [
      [3, "tanh", true],
      [1, "identity", true],
    ],
    input,
    target: input.map(([a, b]) => [a * b]),
  });
}

/** The OPTION error of train with these options (fails the test if there is none). */
async function optionError(net: Net, opts: unknown): Promise<MLPGFError> {
  const e = await train(net, net.randomParams({ seed: 1 }), opts as TrainOptions).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, `no error for ${String(JSON.stringify(opts))}`).toBeInstanceOf(MLPGFError);
  expect((e as MLPGFError).code).toBe("OPTION");
  return e as MLPGFError;
}

describe("edit distance and the closest name", () => {
  it("computes Levenshtein distances (hand-counted)", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("flaw", "lawn")).toBe(2);
    expect(editDistance("same", "same")).toBe(0);
  });

  it("prefers a case-only difference, and suggests nothing for an unrelated name", () => {
    expect(closestName("maxtimeODE", ["maxT", "maxtimeOde", "maxtimeOptim"])).toBe("maxtimeOde");
    expect(closestName("evry", ["path", "every"])).toBe("every");
    expect(closestName("zzzzzzzz", ["alg", "maxT"])).toBeNull();
  });
});

describe("train options", () => {
  it("the issue's examples are OPTION errors naming the key, what was expected and what was given", async () => {
    const net = smallNet();
    const cases: [unknown, RegExp][] = [
      [{ maxtimeODE: 5 }, /^train: unknown option "maxtimeODE"; did you mean "maxtimeOde"\?/],
      [{ onProgress: 5 }, /^train: option onProgress: expected a function, got 5$/],
      [{ signal: "abort" }, /^train: option signal: expected an AbortSignal, got "abort"$/],
      [{ alg: { adam: { beta: [2, 3] } } }, /^train: option alg\.adam\.beta: expected two numbers in \[0, 1\) .*got \[2,3\]$/],
      [{ alg: "euler" }, /^train: option dt: required by alg "euler"/],
      [null, /^train: options: expected an object, got null$/],
      [{ checkpoint: { path: "a.json", evry: 1 } }, /^train: unknown option "checkpoint\.evry"; did you mean "every"\?/],
      [{ alg: { adm: { eta: 1 } } }, /^train: option alg: expected an ODE method .*\(did you mean "adam"\?\), got/],
      [{ alg: "tsit" }, /^train: option alg: expected an ODE method: .*\(did you mean "tsit5"\?\), got "tsit"$/],
    ];
    for (const [opts, re] of cases) expect((await optionError(net, opts)).message).toMatch(re);
    net.dispose();
  });

  it("every key rejects a value of the wrong type or range, naming the key", async () => {
    const net = smallNet();
    const bad: Record<keyof TrainOptions, unknown[]> = {
      alg: [5, "ode45", { descent: { eta: -1 } }, { adam: { epsilon: -1 } }],
      maxT: [0, -1, "10", NaN],
      abstol: [0, "1e-6"],
      reltol: [-1e-6, null],
      dt: [0, Infinity],
      maxtimeOde: [-1, "Infinity"],
      maxiterationsOde: [1.5, -1],
      nSamplesTrajectory: [2.5, -1, Infinity],
      optimSolver: ["slsqp", 1],
      varpro: ["yes", 1],
      maxiterationsOptim: [0.5, "10"],
      maxtimeOptim: [-5, NaN],
      minGnorm: [-1e-15, "0"],
      minloss: [-1, true],
      patience: [-1, 2.5],
      maxnorm: [-2, "3"],
      merge: [
        { layer: 0, pair: [1, 1], lambda: 1 },
        { layer: -1, pair: [0, 1], lambda: 1 },
        { layer: 0, pair: [0, 1], lambda: Infinity },
        { layer: 0, pair: [0, 1] },
      ],
      tauinv: [-1, Infinity, [1, -1], [1, NaN], "1"],
      batchsize: [0, 2.5],
      weights: [[1, -1], "1", [NaN]],
      losstype: ["mae", 0],
      progressInterval: [0, -1],
      verbosity: [-1, 0.5],
      onProgress: [5, "f"],
      signal: ["abort", 5, {}],
      checkpoint: ["x", { every: 1 }, { path: "" }, { path: "a", every: -1 }],
      resume: [3, ""],
    };
    for (const [key, values] of Object.entries(bad)) {
      for (const value of values) {
        const e = await optionError(net, { [key]: value });
        expect(e.message).toContain(`option ${key}`);
      }
    }
    net.dispose();
  });

  it("undefined values are defaults, and valid values pass", async () => {
    const net = smallNet();
    const x0 = net.randomParams({ seed: 2 });
    const opts: TrainOptions = {
      alg: { adam: { eta: 0.01, beta: [0.8, 0.99], epsilon: 0 } },
      maxT: undefined,
      maxiterationsOde: 3,
      maxiterationsOptim: 0,
      tauinv: Float64Array.from({ length: net.nparams }, () => 0.5),
      weights: new Float32Array(20).fill(1),
      signal: new AbortController().signal,
      onProgress: () => undefined,
      patience: Infinity,
    };
    const r = await train(net, x0, opts);
    expect(r.odeIterations).toBe(3);
    expect(r.odeStop?.kind).toBe("maxiterations");
    net.dispose();
  });

  it("trainMany checks its options and its fourth argument before starting workers", async () => {
    const net = smallNet();
    const x = net.randomParams({ seed: 1 });
    const fail = async (p: Promise<unknown>, re: RegExp) => {
      const e = await p.then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(MLPGFError);
      expect((e as MLPGFError).code).toBe("OPTION");
      expect((e as Error).message).toMatch(re);
    };
    await fail(
      trainMany(net, [x], { maxtimeODE: 1 } as TrainOptions),
      /^trainMany: unknown option "maxtimeODE"; did you mean "maxtimeOde"\?/,
    );
    await fail(
      trainMany(net, [x], {}, { wrokers: 2 } as never),
      /^trainMany \(fourth argument\): unknown option "wrokers"; did you mean "workers"\?/,
    );
    await fail(trainMany(net, [x], {}, { workers: 1.5 }), /option workers: expected an integer ≥ 1, got 1\.5/);
    await fail(trainMany(net, [x], null as never), /options: expected an object, got null/);
    net.dispose();
  });

  it('the CLI config\'s train section is the same schema (JSON-storable part, "Infinity" for ∞)', () => {
    const base = {
      layers: [
        [2, "tanh", true],
        [1, "identity", true],
      ],
      data: {
        kind: "teacher",
        teacher: {
          layers: [
            [1, "tanh", true],
            [1, "identity", true],
          ],
        },
        din: 2,
        samples: 10,
      },
    };
    expect(parseConfig({ ...base, train: { maxtimeOde: "Infinity", alg: { adam: { beta: [0.5, 0.9] } }, weights: [1, 2] } }).train).toEqual(
      { maxtimeOde: Infinity, alg: { adam: { beta: [0.5, 0.9] } }, weights: [1, 2] },
    );
    expect(() => parseConfig({ ...base, train: { alg: { adam: { beta: [2, 3] } } } }, "c.json")).toThrow(
      /^c\.json: train\.alg\.adam\.beta: expected two numbers in \[0, 1\)/,
    );
    // runtime-only options are not part of a config
    expect(() => parseConfig({ ...base, train: { resume: "x.json" } }, "c.json")).toThrow(/train\.resume: unknown field "resume"/);
    expect(() => parseConfig({ ...base, train: { signal: 1 } }, "c.json")).toThrow(/train\.signal: unknown field "signal"/);
  });
});
