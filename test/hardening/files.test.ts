// Hostile result files (issue 12, point 2): no prototype replacement, depth and size limits, every
// .npy header field checked, FORMAT for bad content and IO (with the file system's error as cause)
// for files that cannot be read or written.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { type TrainResult, loadResult, resultFromJSON, resultFromNpz, resultToJSON, resultToNpz, saveResult } from "../../src/index.js";
import { decodeNpy, encodeNpy } from "../../src/io/npy.js";
import { MAX_UNZIPPED_BYTES } from "../../src/io/unzip.js";
import { sampleResult } from "../io/sample.js";
import { caught, rejected } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "mlpgf-hostile-"));

/** The JSON document of the sample result, to edit. */
function doc(): { format: string; version: number; result: Record<string, unknown> } {
  return JSON.parse(resultToJSON(sampleResult()));
}

/** The entries of the sample result's .npz, to edit and zip again. */
async function npzEntries(): Promise<Record<string, Uint8Array>> {
  return unzipSync(await resultToNpz(sampleResult()));
}

/** meta.json of an .npz with its "result" replaced. */
function metaWith(result: unknown): Uint8Array {
  return new TextEncoder().encode(
    `{"format":"mlp-gradient-flow/result","version":1,"result":${typeof result === "string" ? result : JSON.stringify(result)}}`,
  );
}

/** An .npy file with the given header dict text and data bytes (format 1.0). */
function npy(header: string, data: Uint8Array = new Uint8Array(0), major = 1): Uint8Array {
  const h = new TextEncoder().encode(`${header}\n`);
  const pre = major === 1 ? 10 : 12;
  const out = new Uint8Array(pre + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const dv = new DataView(out.buffer);
  if (major === 1) dv.setUint16(8, h.length, true);
  else dv.setUint32(8, h.length, true);
  out.set(h, pre);
  out.set(data, pre + h.length);
  return out;
}

/** Expects the loaded result to have plain prototypes everywhere and no polluted keys. */
function expectPlain(r: TrainResult): void {
  expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
  expect(r.x).toBeInstanceOf(Float64Array);
  for (const p of r.trajectory) expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((r as unknown as Record<string, unknown>).polluted).toBeUndefined();
}

describe("__proto__ keys do not replace prototypes", () => {
  it("in a JSON result (top level, nested, in trajectory points)", () => {
    const d = doc();
    const text = JSON.stringify(d).replace(
      '"result":{',
      '"result":{"__proto__":{"polluted":1,"x":{"$f64":[1]}},"nested":{"__proto__":{"polluted":2}},',
    );
    const withPoint = text.replace('"trajectory":[{', '"trajectory":[{"__proto__":{"polluted":3},');
    const r = resultFromJSON(withPoint);
    expectPlain(r);
    expect(Object.getPrototypeOf((r as unknown as { nested: object }).nested)).toBe(Object.prototype);
    expect(r.x.length).toBe(sampleResult().x.length);
  });

  it("in an .npz meta.json and in entry names", async () => {
    const e = await npzEntries();
    const meta = JSON.parse(new TextDecoder().decode(e["meta.json"]));
    const text = JSON.stringify(meta).replace('"result":{', '"result":{"__proto__":{"polluted":1},');
    const files: Record<string, Uint8Array> = {
      ...e,
      "meta.json": new TextEncoder().encode(text),
      "trajectory___proto__.npy": e["trajectory_t.npy"],
    };
    const r = await resultFromNpz(zipSync(files));
    expectPlain(r);
    // an entry named __proto__.npy (fflate assigns entries to a plain object: this one to its prototype)
    const raw = zipSync({ ...e, "abcdefghi.npy": e["x.npy"] });
    const name = new TextEncoder().encode("abcdefghi.npy");
    let renamed = 0;
    for (let i = 0; i + name.length <= raw.length; i++) {
      if (name.every((c, j) => raw[i + j] === c)) {
        raw.set(new TextEncoder().encode("__proto__.npy"), i);
        renamed++;
      }
    }
    expect(renamed).toBe(2); // local header and central directory
    expectPlain(await resultFromNpz(raw));
  });
});

describe("malformed content is FORMAT", () => {
  it("a non-object result, a deep nesting, a bad tag", () => {
    const d = doc();
    for (const result of [5, "x", [1, 2], null, true]) {
      const e = caught(() => resultFromJSON(JSON.stringify({ ...d, result })));
      expect(e.code).toBe("FORMAT");
    }
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const e = caught(() => resultFromJSON(JSON.stringify(d).replace('"result":{', `"result":{"deep":${deep},`)));
    expect(e.code).toBe("FORMAT");
    expect(e.message).toMatch(/nested deeper than 64 levels/);
    expect(caught(() => resultFromJSON("{not json")).code).toBe("FORMAT");
    expect(caught(() => resultFromJSON(JSON.stringify({ ...d, version: 99 }))).code).toBe("FORMAT");
    expect(caught(() => resultFromJSON(JSON.stringify({ ...d, result: { ...d.result, loss: "0.1" } }))).code).toBe("FORMAT");
    expect(caught(() => resultFromJSON(JSON.stringify({ ...d, result: { ...d.result, odeIterations: [] } }))).code).toBe("FORMAT");
    expect(caught(() => resultFromJSON(JSON.stringify({ ...d, result: { ...d.result, trajectory: [null] } }))).code).toBe("FORMAT");
    expect(caught(() => resultFromJSON(42 as never)).code).toBe("VALUE");
  });

  it("an .npz whose meta.json result is not an object, or that is not a zip", async () => {
    const e = await npzEntries();
    for (const result of [5, '"x"', [1], null]) {
      const err = await rejected(resultFromNpz(zipSync({ ...e, "meta.json": metaWith(result) })));
      expect(err.code).toBe("FORMAT");
    }
    expect((await rejected(resultFromNpz(Uint8Array.of(1, 2, 3)))).code).toBe("FORMAT");
    expect((await rejected(resultFromNpz("PK" as never))).code).toBe("VALUE");
    const { "x.npy": _x, ...noX } = e;
    expect((await rejected(resultFromNpz(zipSync(noX)))).message).toMatch(/no "x.npy" entry/);
  });

  it("archives declaring more than 2 GiB decompressed are refused before decompression", async () => {
    const z = zipSync({ "a.npy": new Uint8Array(100) }, { level: 6 });
    const dv = new DataView(z.buffer, z.byteOffset, z.byteLength);
    for (let i = 0; i + 4 <= z.length; i++) {
      if (dv.getUint32(i, true) === 0x02014b50) dv.setUint32(i + 24, MAX_UNZIPPED_BYTES + 1, true); // central directory: uncompressed size
    }
    const err = await rejected(resultFromNpz(z));
    expect(err.code).toBe("FORMAT");
    expect(err.message).toMatch(/decompress to more than 2147483648 bytes/);
  });

  it("every .npy header field is checked", () => {
    const f8 = (n: number) => new Uint8Array(8 * n);
    const bad: [string, Uint8Array][] = [
      ["8 bytes", Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0)],
      ["11 bytes of version 2", Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0, 5, 0, 0)],
      ["version 4", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", f8(1), 4)],
      ["negative shape", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", f8(1))],
      ["fractional shape", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1.5,), }", f8(2))],
      ["NaN shape", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (nan,), }", f8(2))],
      ["huge shape", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999, 99999999999), }", f8(2))],
      ["no fortran_order", npy("{'descr': '<f8', 'shape': (1,), }", f8(1))],
      ["fortran_order not a bool", npy("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }", f8(1))],
      ["two shapes", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'shape': (2,), }", f8(2))],
      ["object dtype", npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", f8(1))],
      ["complex dtype", npy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", f8(2))],
      ["not a dict", npy("'descr': '<f8', 'fortran_order': False, 'shape': (1,)", f8(1))],
      ["truncated data", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", f8(2))],
      ["header length past the end", Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0xff, 0xff, 0x7b)],
    ];
    for (const [what, bytes] of bad) {
      const e = caught(() => decodeNpy(bytes, what));
      expect(e.code, `${what}: ${e.message}`).toBe("FORMAT");
    }
    // valid headers: scalar, trailing commas, Fortran order, numpy's spacing
    expect(
      decodeNpy(
        npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", Uint8Array.from(new Uint8Array(Float64Array.of(2.5).buffer))),
      ).values,
    ).toEqual(Float64Array.of(2.5));
    const ft = decodeNpy(npy("{'descr':'<i4','fortran_order':True,'shape':(2,3)}", new Uint8Array(Int32Array.of(1, 4, 2, 5, 3, 6).buffer)));
    expect(Array.from(ft.values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(decodeNpy(encodeNpy(Float64Array.of(1, 2, 3, 4), [2, 2])).shape).toEqual([2, 2]);
  });

  it("a bad .npy entry of a result .npz is FORMAT", async () => {
    const e = await npzEntries();
    const err = await rejected(
      resultFromNpz(zipSync({ ...e, "x.npy": npy("{'descr': '<f8', 'fortran_order': False, 'shape': (-3,), }") })),
    );
    expect(err.code).toBe("FORMAT");
  });
});

describe("file system errors are IO with the original error as cause", () => {
  it("loadResult of a missing file or a directory", async () => {
    let e = await rejected(loadResult(join(dir, "missing.json")));
    expect(e.code).toBe("IO");
    expect((e.cause as NodeJS.ErrnoException).code).toBe("ENOENT");
    mkdirSync(join(dir, "adir.json"));
    e = await rejected(loadResult(join(dir, "adir.json")));
    expect(e.code).toBe("IO");
    expect((e.cause as NodeJS.ErrnoException).code).toBe("EISDIR");
  });

  it("saveResult into a missing directory or over a directory", async () => {
    const r = sampleResult();
    let e = await rejected(saveResult(join(dir, "no", "such", "dir", "r.json"), r));
    expect(e.code).toBe("IO");
    expect((e.cause as NodeJS.ErrnoException).code).toBe("ENOENT");
    mkdirSync(join(dir, "taken.npz"));
    e = await rejected(saveResult(join(dir, "taken.npz"), r));
    expect(e.code).toBe("IO");
    expect(e.cause).toBeInstanceOf(Error);
  });

  it("a content error of a file on disk is FORMAT, a bad argument VALUE (OPTION for the options object)", async () => {
    writeFileSync(join(dir, "garbage.json"), '{"format": 1}');
    expect((await rejected(loadResult(join(dir, "garbage.json")))).code).toBe("FORMAT");
    expect((await rejected(loadResult(5 as never))).code).toBe("VALUE");
    expect((await rejected(saveResult(10n as never, sampleResult()))).code).toBe("VALUE");
    expect((await rejected(saveResult(join(dir, "x.json"), sampleResult(), null as never))).code).toBe("OPTION");
  });
});

describe("writing hostile results", () => {
  it("a cyclic or malformed result is VALUE, not a stack overflow or a TypeError", async () => {
    const r = sampleResult() as TrainResult & { extra?: unknown };
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    r.extra = cyc;
    expect(caught(() => resultToJSON(r)).code).toBe("VALUE");
    expect((await rejected(resultToNpz(r))).code).toBe("VALUE");
    const broken = { ...sampleResult(), trajectory: 5 } as unknown as TrainResult;
    expect(caught(() => resultToJSON(broken)).code).toBe("VALUE");
    expect((await rejected(resultToNpz(broken))).code).toBe("VALUE");
    expect((await rejected(saveResult(join(dir, "b.npz"), broken))).code).toBe("VALUE");
  });
});
