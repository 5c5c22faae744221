// The built declarations (tsconfig stripInternal) show the public API only: a consumer file compiles
// against dist/ with skipLibCheck off, and every @internal member it touches is a type error.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const tmp = mkdtempSync(join(tmpdir(), "mlpgf-dts-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs tsc on `files` with "mlp-gradient-flow" mapped to the built dist/index.d.ts; returns its output. */
function compile(files: string[]): { status: number | null; out: string } {
  const config = join(tmp, "tsconfig.json");
  writeFileSync(
    config,
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        lib: ["ES2022", "DOM", "ESNext.Disposable"],
        types: [],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        paths: { "mlp-gradient-flow": [resolve("dist/index.d.ts")] },
      },
      files: files.map((f) => resolve(f)),
    }),
  );
  const r = spawnSync(process.execPath, [resolve("node_modules/typescript/bin/tsc"), "-p", config], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe("published declarations", () => {
  it("a consumer of the public API compiles against dist/*.d.ts with skipLibCheck off; each use of an @internal member is an error", () => {
    const r = compile(["test/dts/consumer.ts", "test/dts/internal.ts"]);
    const errors = r.out.split("\n").filter((l) => l.includes("error TS"));
    // the consumer and the declarations themselves: no error
    expect(errors.filter((l) => !/internal\.ts\(\d+,\d+\): error TS2339/.test(l))).toEqual([]);
    const marked = readFileSync("test/dts/internal.ts", "utf8")
      .split("\n")
      .flatMap((l, i) => (l.includes("// internal") ? [i + 1] : []));
    const lines = errors.map((l) => Number(/internal\.ts\((\d+),/.exec(l)?.[1]));
    expect(lines).toEqual(marked);
    expect(r.status).not.toBe(0);
  });

  it("dist/index.d.ts exports no engine internals", () => {
    const dts = readFileSync("dist/engine/init.d.ts", "utf8") + readFileSync("dist/engine/kernels.d.ts", "utf8");
    expect(dts).toContain("export declare function init(");
    for (const name of ["class Engine", "getEngine", "isNode", "wasmModule"]) expect(dts).not.toContain(name);
  });
});
