import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { unzipSync } from "fflate";
import { MLPGFError, resultFromNpz, resultToNpz } from "../../src/index.js";
import { decodeNpy, encodeNpy } from "../../src/io/npy.js";
import { awkwardResult, bitwise, sampleResult } from "./sample.js";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));

describe("result .npz", () => {
  it("round-trips a result bitwise (vectors, trajectory with its extra numeric field, NaN/Inf/−0, meta, extras)", async () => {
    const r = await awkwardResult();
    const back = await resultFromNpz(await resultToNpz(r));
    expect(bitwise(back)).toEqual(bitwise(r));
  });

  it("writes NPY 1.0 headers padded to 64 bytes, little-endian float64, C order, one entry per array", async () => {
    const r = await awkwardResult();
    const entries = unzipSync(await resultToNpz(r));
    const P = r.x.length;
    expect(Object.keys(entries).sort()).toEqual(
      [
        "extraVector.npy",
        "init.npy",
        "lossCurve.npy",
        "meta.json",
        "odeX.npy",
        "trajectory_t.npy",
        "trajectory_wallTime.npy",
        "trajectory_x.npy",
        "weights.npy",
        "x.npy",
      ].sort(),
    );
    for (const [name, b] of Object.entries(entries)) {
      if (name === "meta.json") continue;
      const hlen = b[8] | (b[9] << 8);
      expect([b[6], b[7]]).toEqual([1, 0]);
      expect((10 + hlen) % 64).toBe(0);
      expect(b[10 + hlen - 1]).toBe(0x0a);
      const header = new TextDecoder().decode(b.subarray(10, 10 + hlen));
      expect(header).toMatch(/^\{'descr': '<f8', 'fortran_order': False, 'shape': \(\d+(, \d+|,)\), \} *\n$/);
    }
    const tx = decodeNpy(entries["trajectory_x.npy"]);
    expect(tx.shape).toEqual([r.trajectory.length, P]);
    expect(Array.from(tx.values.subarray(P, 2 * P))).toEqual(Array.from(r.trajectory[1].x));
    const v = new DataView(entries["x.npy"].buffer, entries["x.npy"].byteOffset + 128);
    expect(v.getFloat64(0, true)).toBe(r.x[0]);
  });

  it("encodes 0-length and 2-D shapes; rejects a shape that does not match the data", async () => {
    expect(decodeNpy(encodeNpy(new Float64Array(0), [0, 3])).shape).toEqual([0, 3]);
    expect(() => encodeNpy(new Float64Array(5), [2, 3])).toThrow(MLPGFError);
    await expect(resultFromNpz(Uint8Array.of(1, 2, 3))).rejects.toThrow(/not a zip/);
  });

  it("reads the npz files numpy wrote (np.savez and np.savez_compressed; big-endian, float32, Fortran-order entries, uint8 meta)", async () => {
    const expected = bitwise(sampleResult());
    for (const name of ["npz_numpy_savez.npz", "npz_numpy_compressed.npz"]) {
      const r = await resultFromNpz(fixture(name));
      expect(bitwise(r)).toEqual(expected);
    }
  });

  it("writes what numpy reads back exactly: the committed npz_ours.npz is our current output and npz_ours_read.json is numpy's reading of it", async () => {
    const sample = sampleResult();
    expect(Buffer.from(await resultToNpz(sample)).equals(Buffer.from(fixture("npz_ours.npz")))).toBe(true);
    const read = JSON.parse(readFileSync(new URL("../fixtures/npz_ours_read.json", import.meta.url), "utf8"));
    const dec = (e: { $f64: (number | string)[] }) =>
      bitwise(
        Float64Array.from(e.$f64, (s) =>
          typeof s === "number" ? s : s === "NaN" ? NaN : s === "-0" ? -0 : s === "Infinity" ? Infinity : -Infinity,
        ),
      );
    for (const k of ["x", "init", "odeX", "weights"] as const) {
      expect(read.arrays[k].dtype).toBe("<f8");
      expect(dec(read.arrays[k].values)).toEqual(bitwise(sample[k]));
    }
    const P = sample.x.length;
    expect(read.arrays.trajectory_x.shape).toEqual([sample.trajectory.length, P]);
    expect(read.arrays.trajectory_x.fortran).toBe(false);
    const tx = new Float64Array(sample.trajectory.length * P);
    sample.trajectory.forEach((p, i) => tx.set(p.x, i * P));
    expect(dec(read.arrays.trajectory_x.values)).toEqual(bitwise(tx));
    expect(dec(read.arrays.trajectory_t.values)).toEqual(bitwise(Float64Array.from(sample.trajectory, (p) => p.t)));
    expect(dec(read.arrays.lossCurve.values)).toEqual(bitwise(Float64Array.from(sample.lossCurve)));
    expect(read.meta.format).toBe("mlp-gradient-flow/result");
    expect(read.meta.version).toBe(2);
    expect(read.meta.result.optimStoppedBy).toBe(sample.optimStoppedBy);
    expect(read.meta.result.optimStop).toEqual({ kind: "minloss", message: sample.optimStoppedBy });
    expect(read.meta.result.layers).toEqual(sample.layers);
    expect(read.meta.result.gnorm).toEqual({ $num: "Infinity" });
  });
});
