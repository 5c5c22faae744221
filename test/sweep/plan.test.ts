import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMLPGFError, planSweep, runSweep } from "../../src/index.js";
import type { SweepSpec } from "../../src/index.js";
import { tinySweep } from "../helpers/sweep.js";

describe("planSweep", () => {
  it("expands the grid as a Cartesian product, first path slowest, each run the base config with its values set", async () => {
    const plan = await planSweep(tinySweep([2, 4, 8], [1, 2]) as SweepSpec);
    expect(plan.paths).toEqual(["layers.0.0", "student.seed"]);
    expect(plan.runs.map((r) => [r.point["layers.0.0"], r.point["student.seed"]])).toEqual([
      [2, 1],
      [2, 2],
      [4, 1],
      [4, 2],
      [8, 1],
      [8, 2],
    ]);
    expect(plan.runs.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    const r = plan.runs[3];
    expect(r.config.layers).toEqual([
      [4, "softplus", true],
      [1, "identity", true],
    ]);
    expect(r.config.student).toEqual({ seed: 2 });
    expect((r.config as Record<string, unknown>).grid).toBeUndefined();
  });

  it("gives ids <index>-<first 8 hex digits of sha256 of the grid point with sorted keys>, the same on every call", async () => {
    const spec = { ...tinySweep([2], [7]), grid: { "student.seed": [7], "layers.0.0": [2] } } as SweepSpec;
    const plan = await planSweep(spec);
    // key order of the grid point does not matter: canonical JSON sorts keys
    const hash = createHash("sha256").update('{"layers.0.0":2,"student.seed":7}').digest("hex").slice(0, 8);
    expect(plan.runs[0].id).toBe(`0000-${hash}`);
    expect((await planSweep(spec)).runs[0].id).toBe(plan.runs[0].id);
    const big = await planSweep(
      tinySweep(
        [1, 2, 3, 4, 5],
        Array.from({ length: 2500 }, (_, i) => i),
      ) as SweepSpec,
    );
    expect(big.runs[12499].id).toMatch(/^12499-[0-9a-f]{8}$/);
    expect(big.runs[7].id).toMatch(/^00007-/);
    expect(new Set(big.runs.map((r) => r.id)).size).toBe(12500);
  });

  it("sets object values (train.alg) and creates missing objects on the way (student.scale)", async () => {
    const spec = {
      ...tinySweep([2], [1]),
      grid: { "train.alg": ["rodas5p", { descent: { eta: 0.1 } }], "student.scale": [0.5] },
    } as SweepSpec;
    const plan = await planSweep(spec);
    expect(plan.runs.map((r) => (r.config.train as { alg?: unknown } | undefined)?.alg)).toEqual(["rodas5p", { descent: { eta: 0.1 } }]);
    expect(plan.runs[0].config.student).toEqual({ scale: 0.5 });
  });

  const bad: [string, unknown, RegExp][] = [
    ["no grid", { ...tinySweep([2], [1]), grid: undefined }, /missing field "grid"/],
    ["an empty value list", { ...tinySweep([2], [1]), grid: { "student.seed": [] } }, /grid "student.seed": expected a non-empty array/],
    [
      "an unknown path",
      { ...tinySweep([2], [1]), grid: { "student.sed": [1, 2] } },
      /student\.sed = 1\): student\.sed: unknown field "sed"/,
    ],
    [
      "an index past the end",
      { ...tinySweep([2], [1]), grid: { "layers.5.0": [2] } },
      /grid path "layers\.5\.0": layers is an array of 2 entries/,
    ],
    [
      "a value the schema rejects",
      { ...tinySweep([2], [1]), grid: { "layers.0.0": [2, -1] } },
      /run 0001-[0-9a-f]{8} \(layers\.0\.0 = -1\): layers\[0\]/,
    ],
    ["a bad alg", { ...tinySweep([2], [1]), grid: { "train.alg": ["rk99"] } }, /train\.alg = "rk99"\): train\.alg: expected an ODE method/],
    ["a path through a number", { ...tinySweep([2], [1]), grid: { "data.din.x": [1] } }, /data\.din is number 2, not an object or array/],
  ];
  it.each(bad)("rejects %s with an OPTION error naming it, in one line", async (_, spec, message) => {
    const e = await planSweep(spec as SweepSpec).then(
      () => null,
      (err: unknown) => err,
    );
    expect(isMLPGFError(e, "OPTION")).toBe(true);
    expect((e as Error).message).toMatch(message);
    expect((e as Error).message).not.toMatch(/\n/);
  });
});

describe("planSweep and runSweep against hostile specs and options (outside campaign)", () => {
  it("a grid path through __proto__, constructor or prototype is OPTION and pollutes nothing (it wrote into Object.prototype)", async () => {
    for (const path of ["__proto__.polluted", "constructor.prototype.polluted", "student.__proto__.polluted"]) {
      const e = await planSweep({ ...tinySweep([2], [1]), grid: { [path]: [1] } } as SweepSpec).catch((x: unknown) => x);
      expect(isMLPGFError(e, "OPTION"), String(e)).toBe(true);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it("a grid of more than a million runs is OPTION at once (it ran out of memory after two minutes)", async () => {
    const seeds = Array.from({ length: 1001 }, (_, i) => i);
    const e = await planSweep({ ...tinySweep([2], [1]), grid: { "student.seed": seeds, "data.seed": seeds } } as SweepSpec).catch(
      (x: unknown) => x,
    );
    expect(isMLPGFError(e, "OPTION")).toBe(true);
    expect((e as Error).message).toMatch(/1002001 runs/);
  });

  it("a spec getter that throws or a function in the grid is OPTION; options are checked by their schemas", async () => {
    const boom = new Error("boom");
    const spec = {
      ...tinySweep([2], [1]),
      get grid(): never {
        throw boom;
      },
    };
    const e = await planSweep(spec as SweepSpec).catch((x: unknown) => x);
    expect(isMLPGFError(e, "OPTION") && e.cause).toBe(boom);
    const fnGrid = await planSweep({ ...tinySweep([2], [1]), grid: { "student.seed": [() => 1] } } as never).catch((x: unknown) => x);
    expect(isMLPGFError(fnGrid, "OPTION")).toBe(true);
    const typo = await planSweep(tinySweep([2], [1]) as SweepSpec, { baseDri: "." } as never).catch((x: unknown) => x);
    expect(isMLPGFError(typo, "OPTION") && (typo as Error).message).toMatch(/did you mean "baseDir"/);
    const workers = await runSweep(tinySweep([2], [1]) as SweepSpec, "unused-dir", { worker: 2 } as never).catch((x: unknown) => x);
    expect(isMLPGFError(workers, "OPTION") && (workers as Error).message).toMatch(/did you mean "workers"/);
  });

  it("grid values that JSON cannot hold exactly are OPTION (a BigInt was a TypeError; ∞ became null in sweep.json)", async () => {
    for (const bad of [10n, Number.NaN, Number.POSITIVE_INFINITY, { a: [1, undefined] }, Symbol("s")]) {
      const e = await planSweep({ ...tinySweep([2], [1]), grid: { "train.maxT": [1, bad] } } as never).catch((x: unknown) => x);
      expect(isMLPGFError(e, "OPTION"), String(bad)).toBe(true);
      expect((e as Error).message).toMatch(/value 1 is .*JSON values/);
    }
    expect((await planSweep({ ...tinySweep([2], [1]), grid: { "train.maxT": [1, "Infinity"] } } as never)).runs).toHaveLength(2);
  });

  it("runSweep into a path that is a file is IO (it was a raw EEXIST)", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "mlpgf-sweep-")), "afile");
    writeFileSync(file, "x");
    const e = await runSweep(tinySweep([2], [1]) as SweepSpec, file, { workers: 1 }).catch((x: unknown) => x);
    expect(isMLPGFError(e, "IO"), String(e)).toBe(true);
  });
});
