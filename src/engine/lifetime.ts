import { MLPGFError } from "../errors.js";
import type { Engine } from "./kernels.js";

// `Symbol.dispose` (explicit resource management: `using net = new Net(...)`) is native in Node ≥ 20.4,
// where it is Symbol.for("nodejs.dispose"), and in recent browsers; defined the same way where missing.
if (typeof Symbol.dispose !== "symbol") Object.defineProperty(Symbol, "dispose", { value: Symbol.for("nodejs.dispose") });

/** WASM memory held by an object: `release()` returns it to the allocator (a second call does nothing). */
export interface Releasable {
  release(): void;
}

const registry = new FinalizationRegistry<Releasable>((memory) => memory.release());

/**
 * @internal Releases `memory` once `owner` has been garbage collected without `dispose()`. `memory`
 * must not reference `owner` (it would keep it alive).
 */
export function releaseWhenCollected(owner: object, memory: Releasable): void {
  registry.register(owner, memory, owner);
}

/** @internal Cancels {@link releaseWhenCollected} for `owner` (its `dispose()` released the memory). */
export function forgetOwner(owner: object): void {
  registry.unregister(owner);
}

/** @internal The `DISPOSED` error of a method called on `what` after its `dispose()`. */
export function disposedError(what: string): MLPGFError {
  return new MLPGFError("DISPOSED", `${what} was disposed: create a new one`);
}

/** @internal Blocks of WASM memory reserved for one owner and released together. */
export class WasmBlocks implements Releasable {
  private readonly ptrs: number[] = [];
  private released = false;

  constructor(private readonly engine: Engine) {}

  /** Reserves `bytes` (see {@link Engine.alloc}); released with the others. */
  alloc(bytes: number, what: string): number {
    if (this.released) throw disposedError("this object");
    const p = this.engine.alloc(bytes, what);
    this.ptrs.push(p);
    return p;
  }

  release(): void {
    this.released = true;
    for (const p of this.ptrs) this.engine.free(p);
    this.ptrs.length = 0;
  }
}
