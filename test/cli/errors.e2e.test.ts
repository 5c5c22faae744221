import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, smallConfig, tempDir, writeConfig } from "../helpers/cli.js";

const fixture = (name: string) => new URL(`../fixtures/cli/${name}`, import.meta.url).pathname;
const csvData = (name: string) => ({ kind: "file", path: fixture(name), input: ["x1", "x2"], target: ["y"] });

/** Each bad config or data file, and what the one-line message must say. */
const CASES: [string, (c: Record<string, unknown>) => unknown, RegExp][] = [
  ["missing field", (c) => ({ ...c, layers: undefined }), /^mlpgf: .*config\.json: layers: missing required field/],
  ["wrong type", (c) => ({ ...c, train: { maxtimeOde: "ten" } }), /train\.maxtimeOde: expected a number .*got "ten"/],
  [
    "unknown activation",
    (c) => ({
      ...c,
      layers: [
        [3, "softplux", true],
        [1, "identity", true],
      ],
    }),
    /layers\[0\]\[1\]: unknown activation.*softplus.*got "softplux"/,
  ],
  [
    "unknown train option",
    (c) => ({ ...c, train: { maxtimeODE: 1 } }),
    /train\.maxtimeODE: unknown field "maxtimeODE"; did you mean "maxtimeOde"\? \(expected one of .*maxtimeOde/,
  ],
  ["wrong student type", (c) => ({ ...c, student: { seed: "one" } }), /student\.seed: .*got "one"/],
  ["ragged CSV", (c) => ({ ...c, data: csvData("ragged.csv") }), /ragged\.csv: ragged CSV .*line 5/],
  [
    "NaN in a CSV",
    (c) => ({ ...c, data: csvData("nan.csv") }),
    /nan\.csv: row 7, column "x2" is "nan"; every value must be a finite number/,
  ],
  [
    "NaN in an .npz",
    (c) => ({ ...c, data: { kind: "file", path: fixture("nan.npz"), input: "X", target: "Y" } }),
    /nan\.npz\/X\.npy: row 3, column 1 is NaN/,
  ],
  [
    "missing column",
    (c) => ({ ...c, data: { ...csvData("data.csv"), target: ["z"] } }),
    /data\.target: no column "z" .*columns are x1, x2, y/,
  ],
  [
    "missing data file",
    (c) => ({ ...c, data: { ...csvData("data.csv"), path: "nowhere.csv" } }),
    /data\.path: cannot read .*nowhere\.csv: ENOENT/,
  ],
  [
    "layers that do not fit the data",
    (c) => ({
      ...c,
      layers: [
        [3, "softplus", true],
        [2, "identity", true],
      ],
    }),
    /^mlpgf: layers: /,
  ],
  // checked against the built network before training starts (once exit code 1, after training had begun)
  [
    "tauinv of the wrong length",
    (c) => ({ ...c, train: { tauinv: [1, 2] } }),
    /^mlpgf: train: option tauinv: expected a number or 13 values \(one per parameter\), got \[1,2\]/,
  ],
  [
    'losstype "nll" on an identity output',
    (c) => ({ ...c, train: { losstype: "nll" } }),
    /option losstype: "nll" needs a softmax output layer/,
  ],
  [
    "merge.layer out of range",
    (c) => ({ ...c, train: { merge: { layer: 5, pair: [0, 1], lambda: 1 } } }),
    /option merge\.layer: expected a layer index in 0\.\.1, got 5/,
  ],
  [
    "Adam beta out of [0, 1)",
    (c) => ({ ...c, train: { alg: { adam: { beta: [2, 3] } } } }),
    /train\.alg\.adam\.beta: expected two numbers in \[0, 1\) .*got \[2,3\]/,
  ],
  ['"euler" without dt', (c) => ({ ...c, train: { alg: "euler" } }), /option dt: required by alg "euler"/],
  [
    "data.samples beyond the WebAssembly memory",
    (c) => ({ ...c, data: { ...(c.data as object), samples: 1e12 } }),
    /data\.samples: 1000000000000 samples × 2 inputs exceed/,
  ],
  // found by the outside campaign: a one-class softmax trained to a NaN Hessian and exit 1
  [
    "a softmax output for a regression teacher",
    (c) => ({ ...c, layers: [(c.layers as unknown[])[0], [null, "softmax", true]] }),
    /^mlpgf: .*softmax output/,
  ],
  [
    "a data file that is a FIFO (the read blocked for ever)",
    (c) => ({ ...c, data: { ...csvData("data.csv"), path: fifo() } }),
    /data\.path: cannot read .*: .*not a regular file/,
  ],
];

/** A FIFO with no writer in a fresh folder. */
function fifo(): string {
  const path = join(tempDir(), "data.fifo.csv");
  execFileSync("mkfifo", [path]);
  return path;
}

describe("mlpgf train: bad config or data → exit code 2 and one line naming the problem", () => {
  it.each(CASES)("%s", async (_name, edit, message) => {
    const dir = tempDir();
    const config = writeConfig(dir, edit(smallConfig()));
    const run = await runCli(["train", config, "-o", join(dir, "r.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).not.toMatch(/initial loss/); // found before training started
    expect(run.stdout).not.toMatch(/result written/);
  });

  it("invalid JSON and a missing config file", async () => {
    const dir = tempDir();
    const path = join(dir, "broken.json");
    writeFileSync(path, "{ layers: ");
    for (const [file, message] of [
      [path, /broken\.json: invalid JSON/],
      [join(dir, "none.json"), /cannot read config .*none\.json: ENOENT/],
    ] as const) {
      const run = await runCli(["train", file]);
      expect(run.code).toBe(2);
      expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(message);
    }
  });

  it("a result file that cannot be written is exit 2 before training (was exit 1 after it)", async () => {
    const dir = tempDir();
    const run = await runCli(["train", writeConfig(dir, smallConfig()), "-o", join(dir, "missing", "r.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/--output: cannot write .*ENOENT/);
    expect(run.stdout).not.toMatch(/initial loss/);
  });

  it("a config that is a FIFO or a directory is exit 2 at once", async () => {
    for (const path of [fifo(), tempDir()]) {
      const run = await runCli(["train", path]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/cannot read config .*(not a regular file|EISDIR)/);
    }
  });

  it("bad arguments (unknown command, non-integer seed) exit with 2", async () => {
    expect((await runCli(["trian"])).code).toBe(2);
    const run = await runCli(["train", "x.json", "--seed", "1.5"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--seed.*expected an integer/);
  });
});
