// The kernel ABI has one source, the AssemblyScript files: scripts/gen-abi.mjs generates
// src/engine/abi.generated.ts and assembly/abi.generated.ts from them, its --check mode fails on drift
// (shown on edited copies of the sources), and init() refuses a module of another ABI version, bytes
// that are no module of ours, and paths that cannot be read, with MLPGFError codes ABI and IO.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { ABI_VERSION, H, HEADER_WORDS, KERNEL_FUNCTIONS } from "../src/engine/abi.generated.js";
import { getEngine } from "../src/engine/kernels.js";

const GEN = resolve("scripts/gen-abi.mjs");
const tmp = mkdtempSync(join(tmpdir(), "mlpgf-abi-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the files the generator reads and writes. */
function copyOfSources(name: string): string {
  const root = join(tmp, name);
  mkdirSync(join(root, "src", "engine"), { recursive: true });
  cpSync("assembly", join(root, "assembly"), { recursive: true });
  cpSync("src/engine/abi.generated.ts", join(root, "src/engine/abi.generated.ts"));
  return root;
}

function gen(root: string, ...args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [GEN, "--root", root, ...args], { encoding: "utf8" });
  return { status: r.status, stderr: r.stderr };
}

function edit(path: string, from: string, to: string): void {
  const text = readFileSync(path, "utf8");
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
}

describe("ABI generator and drift check", () => {
  it("the committed generated files match the sources", () => {
    const r = spawnSync(process.execPath, [GEN, "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("fails when a layout constant is edited without regenerating, and passes after `gen`", () => {
    const root = copyOfSources("layout");
    expect(gen(root, "--check").status).toBe(0);
    edit(join(root, "assembly/layout.ts"), "export const H_LOSS: i32 = 7;", "export const H_LOSS: i32 = 17;");
    const r = gen(root, "--check");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/abi\.generated\.ts/);
    expect(gen(root).status).toBe(0);
    expect(gen(root, "--check").status).toBe(0);
    const ts = readFileSync(join(root, "src/engine/abi.generated.ts"), "utf8");
    expect(ts).toContain("export const H_LOSS = 17;");
    expect(ts).not.toContain(`ABI_VERSION = 0x${ABI_VERSION.toString(16).padStart(8, "0")};`);
  });

  it("fails when the generated TS module is edited by hand", () => {
    const root = copyOfSources("hand");
    edit(join(root, "src/engine/abi.generated.ts"), "export const H_LAYERS = 0;", "export const H_LAYERS = 1;");
    expect(gen(root, "--check").status).toBe(1);
  });

  it("fails when a kernel signature changes, and picks up a new export with its typed signature", () => {
    const root = copyOfSources("exports");
    edit(join(root, "assembly/lu.ts"), "export function luSolve(n: i32,", "export function luSolve(n: i64,");
    expect(gen(root, "--check").status).toBe(1);
    writeFileSync(
      join(root, "assembly/extra.ts"),
      "/** Doubles x. */\nexport function twice(x: f64, n: i32, flag: bool): f64 {\n  return 2 * x;\n}\n",
    );
    writeFileSync(
      join(root, "assembly/index.ts"),
      `${readFileSync(join(root, "assembly/index.ts"), "utf8")}export { twice } from "./extra";\n`,
    );
    expect(gen(root, "--check").status).toBe(1);
    expect(gen(root).status).toBe(0);
    const ts = readFileSync(join(root, "src/engine/abi.generated.ts"), "utf8");
    expect(ts).toContain("twice(x: number, n: number, flag: boolean | number): number;");
    expect(ts).toContain("luSolve(n: bigint, a: number, piv: number, b: number): void;");
    expect(ts).toMatch(/KERNEL_FUNCTIONS[^\n]*"twice"/);
    const as = readFileSync(join(root, "assembly/abi.generated.ts"), "utf8");
    expect(as).toMatch(/return 0x[0-9a-f]{8};/);
  });

  it("rejects a type that cannot cross the wasm boundary (exit 2, names the function)", () => {
    const root = copyOfSources("badtype");
    edit(join(root, "assembly/lu.ts"), "export function luSolve(n: i32,", "export function luSolve(n: string,");
    const r = gen(root, "--check");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/luSolve\(n\).*string/);
  });
});

describe("the loaded module and the generated ABI", () => {
  it("exports every generated kernel and the same ABI version", () => {
    const e = getEngine().exports;
    for (const name of KERNEL_FUNCTIONS) expect(typeof e[name]).toBe("function");
    expect(e.abiVersion()).toBe(ABI_VERSION);
    expect(HEADER_WORDS).toBeGreaterThan(Math.max(...Object.values(H)));
  });
});

type Package = typeof import("../dist/index.js");

async function freshPackage(): Promise<Package> {
  vi.resetModules();
  return import("../dist/index.js");
}

/** Signed LEB128 of a non-negative i32, as `i32.const` encodes it. */
function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

/** kernels.wasm with the constant of abiVersion() changed (the one `i32.const ABI_VERSION` in the code). */
function wasmOfOtherVersion(): Uint8Array {
  const bytes = new Uint8Array(readFileSync("dist/kernels.wasm"));
  const needle = [0x41, ...sleb(ABI_VERSION)];
  const hits: number[] = [];
  for (let i = 0; i + needle.length <= bytes.length; i++) if (needle.every((b, j) => bytes[i + j] === b)) hits.push(i);
  expect(hits).toHaveLength(1);
  bytes[hits[0] + 1] ^= 1; // the lowest bit of the version
  return bytes;
}

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

describe("init() failures are MLPGFErrors", () => {
  it("a module of another ABI version → ABI, and a later init() with the right one works", async () => {
    const pkg = await freshPackage();
    const err = await pkg.init(wasmOfOtherVersion()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(pkg.MLPGFError);
    expect(err).toMatchObject({ code: "ABI", message: expect.stringContaining(ABI_VERSION.toString(16)) });
    expect(pkg.isInitialized()).toBe(false);
    await pkg.init(readFileSync("dist/kernels.wasm"));
    expect(pkg.isInitialized()).toBe(true);
  });

  it("a valid module without the kernels → ABI", async () => {
    const pkg = await freshPackage();
    await expect(pkg.init(Uint8Array.from(HEADER))).rejects.toMatchObject({
      code: "ABI",
      message: expect.stringMatching(/lacks its memory and the exports abiVersion/),
    });
  });

  it("bytes that are not WebAssembly → ABI with the CompileError as cause", async () => {
    const pkg = await freshPackage();
    const err = (await pkg.init(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)).catch((e: unknown) => e)) as InstanceType<Package["MLPGFError"]>;
    expect(err).toBeInstanceOf(pkg.MLPGFError);
    expect(err.code).toBe("ABI");
    expect(err.cause).toBeInstanceOf(WebAssembly.CompileError);
  });

  it("a module with an import the package does not provide → ABI with the LinkError as cause", async () => {
    const pkg = await freshPackage();
    // (type (func)) (import "env" "y" (func (type 0)))
    const bytes = Uint8Array.from([
      ...HEADER,
      0x01,
      0x04,
      0x01,
      0x60,
      0x00,
      0x00,
      0x02,
      0x09,
      0x01,
      0x03,
      0x65,
      0x6e,
      0x76,
      0x01,
      0x79,
      0x00,
      0x00,
    ]);
    const err = (await pkg.init(bytes).catch((e: unknown) => e)) as InstanceType<Package["MLPGFError"]>;
    expect(err.code).toBe("ABI");
    expect(err.cause).toBeInstanceOf(WebAssembly.LinkError);
  });

  it.each([
    ["a missing file", () => join(tmp, "missing", "kernels.wasm"), "ENOENT"],
    ["a directory", () => tmp, "EISDIR"],
  ])("%s → IO with the file system error as cause", async (_name, path, code) => {
    const pkg = await freshPackage();
    const err = (await pkg.init(path()).catch((e: unknown) => e)) as InstanceType<Package["MLPGFError"]>;
    expect(err).toBeInstanceOf(pkg.MLPGFError);
    expect(err.code).toBe("IO");
    expect(err.message).toContain(code);
    expect(err.cause).toMatchObject({ code });
    expect(pkg.isInitialized()).toBe(false);
  });
});
