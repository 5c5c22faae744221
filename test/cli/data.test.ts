import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/cli/config.js";
import { loadFileData } from "../../src/cli/data.js";
import { buildProblem } from "../../src/cli/problem.js";
import { UsageError } from "../../src/cli/usererror.js";

const dir = new URL("../fixtures/cli/", import.meta.url).pathname;
const file = (path: string, input: unknown, target: unknown) =>
  ({ kind: "file" as const, path, input, target }) as Parameters<typeof loadFileData>[0];

describe("data files (fixtures written by numpy / Python's csv and json: gen_cli_data.py)", () => {
  it("CSV, JSON (arrays and records), Fortran-order .npy and compressed .npz give the same samples, bit for bit", () => {
    const ref = loadFileData(file("data.csv", ["x1", "x2"], "y"), dir);
    expect([ref.input.rows, ref.input.cols, ref.target.rows, ref.target.cols]).toEqual([12, 2, 12, 1]);
    // first row as printed in the CSV
    const first = readFileSync(`${dir}data.csv`, "utf8").split("\n")[1].split(",").map(Number);
    expect([...ref.input.data.slice(0, 2), ref.target.data[0]]).toEqual(first);
    for (const d of [
      file("data.json", "X", "Y"),
      file("records.json", ["x1", "x2"], ["y"]),
      file("data.npy", [0, 1], [2]),
      file("data.npz", "X", "Y"),
    ]) {
      const s = loadFileData(d, dir);
      expect(Array.from(s.input.data), d.path).toEqual(Array.from(ref.input.data));
      expect(Array.from(s.target.data), d.path).toEqual(Array.from(ref.target.data));
      expect([s.input.cols, s.target.cols]).toEqual([2, 1]);
    }
  });

  it("column selection by name keeps the requested order", () => {
    const a = loadFileData(file("data.csv", ["x2", "x1"], "y"), dir);
    const b = loadFileData(file("data.csv", ["x1", "x2"], "y"), dir);
    for (let i = 0; i < 12; i++)
      expect([a.input.data[2 * i], a.input.data[2 * i + 1]]).toEqual([b.input.data[2 * i + 1], b.input.data[2 * i]]);
  });

  it("bad files raise a UsageError naming file, place and problem", () => {
    const cases: [Parameters<typeof loadFileData>[0], RegExp][] = [
      [file("ragged.csv", ["x1"], "y"), /ragged CSV/],
      [file("nan.csv", ["x1", "x2"], "y"), /row 7, column "x2" is "nan"/],
      [file("nan.npz", "X", "Y"), /nan\.npz\/X\.npy: row 3, column 1 is NaN/],
      [file("data.npz", "X", "Z"), /no array "Z" .*arrays are X, Y/],
      [file("data.npy", "X", [2]), /column indices/],
      [file("data.npy", [0, 5], [2]), /column 5 out of range; data\.npy has 3 columns/],
      [file("data.txt", "a", "b"), /cannot read|unsupported file type/],
    ];
    for (const [d, msg] of cases) {
      expect(() => loadFileData(d, dir), d.path).toThrow(UsageError);
      expect(() => loadFileData(d, dir), d.path).toThrow(msg);
    }
  });

  it("buildProblem: a teacher config gives a student whose loss is 0 at the teacher's parameters", () => {
    const layers = [
      [3, "tanh", true],
      [1, "identity", true],
    ];
    const config = parseConfig({
      layers,
      data: { kind: "teacher", teacher: { layers, seed: 4 }, din: 2, samples: 50 },
      student: { seed: 1, scale: 0.5 },
    });
    const p = buildProblem(config, dir);
    const q = buildProblem(config, dir, 7);
    try {
      expect("nsamples" in p.net && p.net.nsamples).toBe(50);
      const glorot = p.net.randomParams({ seed: 1 });
      expect(Array.from(p.x0)).toEqual(Array.from(glorot, (v) => 0.5 * v));
      expect(Array.from(q.x0)).toEqual(Array.from(p.net.randomParams({ seed: 7 }), (v) => 0.5 * v));
      expect(p.net.loss(p.net.randomParams({ seed: 4 }))).toBe(0);
    } finally {
      p.dispose();
      q.dispose();
    }
  });
});
