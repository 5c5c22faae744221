import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MLPGFError, loadResult, saveResult } from "../../src/index.js";
import { awkwardResult, bitwise } from "./sample.js";

const tmp = () => mkdtempSync(join(tmpdir(), "mlpgf-io-"));

describe("saveResult / loadResult", () => {
  it("saves and loads both formats (from the extension or the format option; loading detects the content)", async () => {
    const r = await awkwardResult();
    const dir = tmp();
    for (const [name, format] of [
      ["a.json", undefined],
      ["b.npz", undefined],
      ["c.out", "npz"],
      ["d.txt", "json"],
    ] as const) {
      const path = join(dir, name);
      await saveResult(path, r, format ? { format } : {});
      expect(bitwise(await loadResult(path))).toEqual(bitwise(r));
    }
    expect(readFileSync(join(dir, "c.out")).subarray(0, 2).toString()).toBe("PK");
    expect(readFileSync(join(dir, "d.txt"), "utf8")).toMatch(/^\{"format":"mlp-gradient-flow\/result"/);
    expect(readdirSync(dir).sort()).toEqual(["a.json", "b.npz", "c.out", "d.txt"]); // no temporary files left
  });

  it("rejects an unknown extension or format and a bad path with MLPGFError", async () => {
    const r = await awkwardResult();
    const dir = tmp();
    await expect(saveResult(join(dir, "r.pt"), r)).rejects.toThrow(/cannot tell the format of .*\.json or \.npz/);
    await expect(saveResult(join(dir, "r.json"), r, { format: "pickle" as "json" })).rejects.toThrow(
      /saveResult: option format: expected one of "json", "npz", got "pickle"/,
    );
    await expect(saveResult("", r)).rejects.toBeInstanceOf(MLPGFError);
    await expect(saveResult(join(dir, "r.json"), {} as typeof r)).rejects.toThrow(/expected a TrainResult/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a failing rename (target is a directory) removes the temporary file and leaves the target untouched", async () => {
    const r = await awkwardResult();
    const dir = tmp();
    const target = join(dir, "r.json");
    mkdirSync(target);
    writeFileSync(join(target, "inside"), "keep");
    await expect(saveResult(target, r)).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(["r.json"]);
    expect(readFileSync(join(target, "inside"), "utf8")).toBe("keep");
  });

  it("a writer killed (SIGKILL) in the middle of saving a large result leaves the old file loadable and unchanged", async () => {
    const old = await awkwardResult();
    const dir = tmp();
    const path = join(dir, "r.json");
    await saveResult(path, old);
    const before = readFileSync(path);
    // the child overwrites the file with a ~50 MB result; kill it once its temporary file is growing
    const dist = new URL("../../dist/index.js", import.meta.url).href;
    const script = `
      import { saveResult } from ${JSON.stringify(dist)};
      const P = 2_000_000;
      const x = new Float64Array(P).map((_, i) => Math.sin(i) / 3);
      const r = { loss: 1, x, init: x, odeX: x, trajectory: [], lossCurve: [], weights: null };
      await saveResult(${JSON.stringify(path)}, r);
      process.stdout.write("finished");`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
    let killedMidWrite = false;
    for (let i = 0; i < 2000 && child.exitCode === null; i++) {
      const tmpFile = readdirSync(dir).find((f) => f.endsWith(".tmp"));
      if (tmpFile && statSync(join(dir, tmpFile), { throwIfNoEntry: false })?.size) {
        child.kill("SIGKILL");
        killedMidWrite = true;
        break;
      }
      await new Promise((res) => setTimeout(res, 5));
    }
    await exited;
    expect(killedMidWrite).toBe(true);
    expect(out).toBe("");
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(bitwise(await loadResult(path))).toEqual(bitwise(old));
  });
});
