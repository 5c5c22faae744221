import { MLPGFError } from "../errors.js";
import { ABI_VERSION, KERNEL_FUNCTIONS, type KernelExports } from "./abi.generated.js";
import { Allocator } from "./allocator.js";
import type { ThreadPool } from "./threadpool.js";

export type { KernelExports } from "./abi.generated.js";

/** Anything `init` accepts as the location or bytes of `kernels.wasm`. */
export type WasmSource = URL | string | BufferSource | WebAssembly.Module;

/** @internal The loaded engine: the WASM instance, its memory, an allocator and typed views. */
export class Engine {
  readonly exports: KernelExports;
  readonly memory: WebAssembly.Memory;
  readonly allocator: Allocator;
  /**
   * The evaluation threads of `init`'s `threads` option (null: one thread). A network with
   * enough samples splits its evaluations over them (see `src/engine/samplesplit.ts`).
   */
  pool: ThreadPool | null = null;
  private buffer: ArrayBuffer | null = null;
  private f64view = new Float64Array(0);
  private i32view = new Int32Array(0);

  constructor(instance: WebAssembly.Instance) {
    this.exports = checkedExports(instance.exports);
    this.memory = this.exports.memory;
    this.allocator = new Allocator(this.memory, this.exports.heapBase());
  }

  /** The whole memory as float64 (re-created after the memory grew). Index = byte address / 8. */
  get F64(): Float64Array {
    this.refresh();
    return this.f64view;
  }

  /** The whole memory as int32 (re-created after the memory grew). Index = byte address / 4. */
  get I32(): Int32Array {
    this.refresh();
    return this.i32view;
  }

  /** A float64 view of `length` values at byte address `ptr` (invalid after the memory grows). */
  f64(ptr: number, length: number): Float64Array {
    return this.F64.subarray(ptr >>> 3, (ptr >>> 3) + length);
  }

  /** Reserves `bytes` of linear memory (16-byte aligned). */
  alloc(bytes: number, what?: string): number {
    return this.allocator.alloc(bytes, what);
  }

  /** Returns memory reserved by {@link Engine.alloc}. */
  free(ptr: number): void {
    this.allocator.free(ptr);
  }

  private refresh(): void {
    const buf = this.memory.buffer as ArrayBuffer;
    if (buf !== this.buffer) {
      this.buffer = buf;
      this.f64view = new Float64Array(buf);
      this.i32view = new Int32Array(buf);
    }
  }
}

let engine: Engine | null = null;
let compiled: WebAssembly.Module | null = null;
let loading: Promise<void> | null = null;
let flavour: KernelFlavour = "simd128";

/** Which build of the kernels runs: SIMD128, or relaxed SIMD with fused multiply-add. */
export type KernelFlavour = "simd128" | "relaxed-simd";

/**
 * A minimal module (v128, v128, v128) → v128 whose body is one f64x2.relaxed_madd (opcode 0xfd 0x107):
 * it validates exactly where relaxed SIMD is available (Node ≥ 22, Chrome ≥ 114; Node 20 with
 * `--experimental-wasm-relaxed-simd`).
 */
const RELAXED_SIMD_PROBE = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // magic, version
  0x01,
  0x08,
  0x01,
  0x60,
  0x03,
  0x7b,
  0x7b,
  0x7b,
  0x01,
  0x7b, // type: (v128 v128 v128) → v128
  0x03,
  0x02,
  0x01,
  0x00, // one function of that type
  0x0a,
  0x0d,
  0x01,
  0x0b,
  0x00,
  0x20,
  0x00,
  0x20,
  0x01,
  0x20,
  0x02,
  0xfd,
  0x87,
  0x02,
  0x0b, // local.get ×3, f64x2.relaxed_madd
]);

/** True when this engine runs relaxed-SIMD WebAssembly (feature detection, no instantiation). */
export function hasRelaxedSimd(): boolean {
  try {
    return WebAssembly.validate(RELAXED_SIMD_PROBE);
  } catch {
    return false;
  }
}

/** The build of the kernels that `init` loaded (by default: relaxed SIMD where available). */
export function kernelFlavour(): KernelFlavour {
  getEngine();
  return flavour;
}

/** Samples per thread below which an evaluation is not split (measured: the split pays from ≈ 2000 samples per thread at P ≈ 400). */
export const PARALLEL_MIN_SAMPLES = 2048;

/**
 * @internal Loads the WebAssembly engine (the public `init` of src/engine/init.ts calls it, and so do
 * the worker scripts, which must not reach the thread pools: a bundler would see a worker script
 * that starts itself). Later calls return the first load.
 *
 * @param source - where to find `kernels.wasm` (see `init`). Default: next to the package entry,
 *   `kernels.relaxed.wasm` where the engine supports relaxed SIMD, else `kernels.wasm`.
 */
export function loadEngine(source?: WasmSource): Promise<void> {
  if (!loading) {
    // literal URLs (not a computed name), so that bundlers find and copy both files
    const relaxed = source === undefined && hasRelaxedSimd();
    const defaultSource = relaxed ? new URL("../kernels.relaxed.wasm", import.meta.url) : new URL("../kernels.wasm", import.meta.url);
    loading = instantiate(source ?? defaultSource)
      .then((inst) => {
        engine = new Engine(inst);
        flavour = relaxed ? "relaxed-simd" : "simd128";
      })
      .catch((err: unknown) => {
        loading = null; // a later init() may try another source
        throw err;
      });
  }
  return loading;
}

/** @internal The compiled `kernels.wasm` of the loaded engine (workers instantiate it without fetching again). */
export function wasmModule(): WebAssembly.Module {
  getEngine();
  return compiled!;
}

/** True once `init` has finished. */
export function isInitialized(): boolean {
  return engine !== null;
}

/** @internal The engine; throws `NOT_INITIALIZED` before `init` has finished. */
export function getEngine(): Engine {
  if (!engine) {
    throw new MLPGFError("NOT_INITIALIZED", "the WASM engine is not loaded: call `await init()` once before using the package");
  }
  return engine;
}

/** @internal True in Node (file paths and worker_threads available), false in browsers. */
export const isNode = typeof process !== "undefined" && !!process.versions?.node;

/**
 * The exports of an instance, checked against the ABI this package was generated with
 * (`src/engine/abi.generated.ts`): every kernel present and the same `abiVersion()`; else `ABI`.
 */
function checkedExports(exports: WebAssembly.Exports): KernelExports {
  if (!isKernelExports(exports)) {
    const missing = KERNEL_FUNCTIONS.filter((name) => typeof exports[name] !== "function");
    throw new MLPGFError(
      "ABI",
      `this WASM module is not the package's kernels.wasm: it lacks ${exports.memory instanceof WebAssembly.Memory ? "" : "its memory and "}` +
        `the exports ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""}; load the kernels.wasm of this package version`,
    );
  }
  const version = exports.abiVersion() >>> 0;
  if (version !== ABI_VERSION) {
    throw new MLPGFError(
      "ABI",
      `kernels.wasm has ABI version 0x${version.toString(16)} but this package expects 0x${ABI_VERSION.toString(16)}: ` +
        "load the kernels.wasm built with this package version (rebuild with `npm run build`)",
    );
  }
  return exports;
}

function isKernelExports(exports: WebAssembly.Exports): exports is WebAssembly.Exports & KernelExports {
  return exports.memory instanceof WebAssembly.Memory && KERNEL_FUNCTIONS.every((name) => typeof exports[name] === "function");
}

async function instantiate(source: WasmSource): Promise<WebAssembly.Instance> {
  const imports = { env: { abort: onAbort } };
  try {
    if (source instanceof WebAssembly.Module) {
      const instance = await WebAssembly.instantiate(source, imports);
      compiled = source;
      return instance;
    }
    const made = await instantiateSource(source, imports);
    compiled = made.module; // kept for the workers of trainMany
    return made.instance;
  } catch (e) {
    throw loadError(e, source);
  }
}

/** A failure to load kernels.wasm as a {@link MLPGFError}: `IO` for file and network errors, `ABI` for bytes that are not our module. */
function loadError(e: unknown, source: WasmSource): unknown {
  if (e instanceof MLPGFError) return e;
  const where = describeSource(source);
  if (e instanceof WebAssembly.CompileError || e instanceof WebAssembly.LinkError) {
    return new MLPGFError(
      "ABI",
      `cannot load kernels.wasm from ${where}: ${e instanceof WebAssembly.LinkError ? "its imports do not match" : "not a valid WebAssembly module"} (${e.message})`,
      { cause: e },
    );
  }
  if (isSystemError(e)) {
    return new MLPGFError(
      "IO",
      `cannot read kernels.wasm from ${where}: ${e.code}${e.code === "EISDIR" ? " (a directory, not a file)" : e.code === "ENOENT" ? " (no such file)" : ""}`,
      { cause: e },
    );
  }
  return e;
}

function isSystemError(e: unknown): e is Error & { code: string } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === "string";
}

function describeSource(source: WasmSource): string {
  if (source instanceof WebAssembly.Module) return "a WebAssembly.Module";
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return `${source.byteLength} bytes`;
  return String(source);
}

/** Compiles and instantiates bytes, a file (Node) or a URL (fetched; streamed when served as `application/wasm`). */
async function instantiateSource(
  source: URL | string | BufferSource,
  imports: WebAssembly.Imports,
): Promise<WebAssembly.WebAssemblyInstantiatedSource> {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.instantiate(source, imports);
  if (isNode && isFilePath(source)) return WebAssembly.instantiate(await readFileBytes(source), imports);
  let res: Response;
  try {
    res = await fetch(source);
  } catch (e) {
    throw new MLPGFError("IO", `cannot fetch kernels.wasm from ${String(source)}: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  if (!res.ok) throw new MLPGFError("NOT_INITIALIZED", `cannot load kernels.wasm from ${String(source)}: HTTP ${res.status}`);
  // Streaming compilation needs the server to send `application/wasm`; otherwise compile the bytes.
  if (typeof WebAssembly.instantiateStreaming === "function" && res.headers.get("content-type")?.startsWith("application/wasm")) {
    return WebAssembly.instantiateStreaming(res, imports);
  }
  return WebAssembly.instantiate(await res.arrayBuffer(), imports);
}

/** True for a `file:` URL or a string that is a path rather than a URL (read from disk in Node). */
function isFilePath(source: URL | string): boolean {
  if (typeof source !== "string") return source.protocol === "file:";
  return source.startsWith("file:") || !/^(https?|data|blob):/.test(source);
}

/**
 * Reads `kernels.wasm` from disk in Node. `process.getBuiltinModule` (Node ≥ 20.16) instead of an
 * `import("node:fs")`, so that bundlers building for the browser (Vite, webpack) see no Node import.
 */
async function readFileBytes(source: URL | string): Promise<BufferSource> {
  const fs = process.getBuiltinModule("node:fs/promises");
  const url = process.getBuiltinModule("node:url");
  const path = typeof source === "string" && !source.startsWith("file:") ? source : url.fileURLToPath(source);
  return new Uint8Array(await fs.readFile(path));
}

/** `abort` import of AssemblyScript: turns a failed kernel assertion into a JS error. */
function onAbort(msgPtr: number, filePtr: number, line: number, col: number): never {
  const text = (ptr: number): string => {
    if (!engine || !ptr) return "";
    const len = new Uint32Array(engine.memory.buffer, ptr - 4, 1)[0] >>> 1;
    return String.fromCharCode(...new Uint16Array(engine.memory.buffer, ptr, len));
  };
  throw new MLPGFError("WASM", `kernel assertion failed: ${text(msgPtr)} at ${text(filePtr)}:${line}:${col}`);
}
