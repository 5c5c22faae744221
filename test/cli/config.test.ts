import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Config, type TrainConfig, parseConfig } from "../../src/cli/config.js";
import { demoRuns } from "../../src/cli/democommand.js";
import { UsageError } from "../../src/cli/usererror.js";

describe("config schema", () => {
  it("the train section is typed by the API's train schema, in the file's form and checked (was `unknown`/`{}`)", () => {
    const file: Config["train"] = { maxT: "Infinity", maxtimeOde: 5, alg: { adam: { eta: 0.01 } } };
    // @ts-expect-error a misspelt option does not compile in the file's form
    const misspelt: Config["train"] = { maxtimeODE: 5 };
    // @ts-expect-error nor in the checked form
    const checkedMisspelt: TrainConfig = { maxtimeODE: 5 };
    expect([misspelt, checkedMisspelt]).toHaveLength(2);
    const c = {
      layers: [[1, "identity", true]],
      data: { kind: "teacher", teacher: { layers: [[1, "identity", true]] }, din: 1, samples: 3 },
    };
    const checked: TrainConfig | undefined = parseConfig({ ...c, train: file }).train;
    expect(checked?.maxT).toBe(Number.POSITIVE_INFINITY);
    expect(checked?.alg).toEqual({ adam: { eta: 0.01 } });
  });

  it("accepts the example config and the demo's configs", () => {
    const example = JSON.parse(readFileSync(new URL("../../examples/teacher-student.json", import.meta.url), "utf8"));
    expect(parseConfig(example).train?.alg).toBe("rodas5p");
    const runs = demoRuns();
    for (const { config } of runs) expect(parseConfig(config).data.kind).toBe("teacher");
    expect(runs.map((r) => r.key)).toEqual(["student4", "student8", "student8-varpro"]);
    expect(parseConfig(runs[2].config).train?.varpro).toBe(true);
  });

  it('"Infinity" stands for ∞ in number options; per-neuron and poly activations pass; other strings fail', () => {
    const base = {
      layers: [
        [2, ["relu", { poly: [0, 1, 0.5] }], true],
        [1, "identity", true],
      ],
      data: {
        kind: "gaussian",
        teacher: {
          layers: [
            [1, "relu", true],
            [1, "identity", true],
          ],
        },
        din: 2,
      },
    };
    expect(parseConfig({ ...base, train: { maxtimeOde: "Infinity", maxT: 3 } }).train).toEqual({ maxtimeOde: Infinity, maxT: 3 });
    expect(() => parseConfig({ ...base, train: { maxtimeOde: "inf" } }, "c.json")).toThrow(
      'c.json: train.maxtimeOde: expected a number ≥ 0, got "inf"',
    );
    expect(() => parseConfig({ ...base, layers: [[2, ["relu", "nope"], true]] })).toThrow(/layers\[0\]\[1\]: unknown activation/);
  });

  it("passes varpro through as a boolean and rejects other values", () => {
    const base = {
      layers: [
        [2, "relu", true],
        [1, "identity", true],
      ],
      data: {
        kind: "teacher",
        teacher: {
          layers: [
            [1, "relu", true],
            [1, "identity", true],
          ],
        },
        din: 2,
        samples: 10,
      },
    };
    expect(parseConfig({ ...base, train: { varpro: true, optimSolver: "bfgs" } }).train).toEqual({ varpro: true, optimSolver: "bfgs" });
    expect(() => parseConfig({ ...base, train: { varpro: "yes" } }, "c.json")).toThrow(
      'c.json: train.varpro: expected true or false, got "yes"',
    );
  });

  it("every error is one UsageError line naming the first offending field", () => {
    const cases: [unknown, string][] = [
      [42, "c.json: (top level): expected Object, got 42"],
      [
        { layers: [[0, "relu", true]], data: { kind: "gaussian", teacher: { layers: [] }, din: 2 } },
        "layers[0][0]: expected an integer ≥ 1, got 0",
      ],
      [
        { layers: [[1, "relu", true]], data: { kind: "gaussian", teacher: { layers: [[1, "relu", true]] }, din: 2 }, student: { sed: 1 } },
        'student.sed: unknown field "sed"; expected one of seed, scale, distribution',
      ],
    ];
    for (const [c, msg] of cases) {
      let err: unknown;
      try {
        parseConfig(c, "c.json");
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toContain(msg);
      expect((err as Error).message).not.toContain("\n");
    }
  });
});
