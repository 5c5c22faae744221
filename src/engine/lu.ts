import { MLPGFError } from "../errors.js";
import type { KernelExports } from "./abi.generated.js";
import { type Engine, getEngine } from "./kernels.js";
import { WasmBlocks, forgetOwner, releaseWhenCollected } from "./lifetime.js";

/**
 * A dense LU solver for one size n whose matrices live in WASM memory: the factors (n×n), the
 * pivots, one right-hand side and, on first use of {@link DenseLU.setJacobian}, a Jacobian J (n×n)
 * kept for shifted factorisations `c·I − J`. Buffers are reserved once and reused by every call;
 * call {@link DenseLU.dispose} to return them.
 *
 * Factorisation is LU with partial pivoting (`assembly/lu.ts`), so indefinite matrices are fine.
 */
export class DenseLU {
  /** Size of the systems. */
  readonly n: number;
  /** 0 after a regular factorisation, else 1 + the first column with an exactly zero pivot (−1 before any). */
  status = -1;
  private readonly engine: Engine;
  private readonly k: KernelExports;
  private aPtr = 0;
  private pivPtr = 0;
  private bPtr = 0;
  private jPtr = 0;
  private disposed = false;
  private readonly blocks: WasmBlocks;
  /** Cached views of the factors, right-hand side and Jacobian (re-created after memory growth). */
  private views: { buffer: ArrayBufferLike; a: Float64Array; b: Float64Array; j: Float64Array } | null = null;

  /** Reserves the WASM buffers for n×n systems (needs `init()`). */
  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1) throw new MLPGFError("SHAPE", `LU size must be a positive integer, got ${n}`);
    this.n = n;
    this.engine = getEngine();
    this.k = this.engine.exports;
    this.engine.allocator.check(8 * (n * n + 2 * n), `an LU factorisation of size ${n}`);
    this.blocks = new WasmBlocks(this.engine);
    try {
      this.aPtr = this.blocks.alloc(8 * n * n, `LU factors (${n} × ${n})`);
      this.pivPtr = this.blocks.alloc(4 * n, "LU pivots");
      this.bPtr = this.blocks.alloc(8 * n, "LU right-hand side");
    } catch (e) {
      this.blocks.release();
      throw e;
    }
    releaseWhenCollected(this, this.blocks);
  }

  /**
   * Factors M (n×n, row-major; copied, M is not modified). Returns false if a pivot is exactly zero
   * (M singular; {@link DenseLU.status} tells the column), true otherwise.
   */
  factor(M: Float64Array): boolean {
    this.check(M, this.n * this.n, "matrix");
    this.view().a.set(M);
    return this.run();
  }

  /**
   * Stores J (n×n row-major, e.g. a Jacobian ∂f/∂x) in WASM memory for {@link DenseLU.factorShifted}.
   * Later shifted factorisations reuse it until the next call.
   */
  setJacobian(J: Float64Array): void {
    this.check(J, this.n * this.n, "Jacobian");
    if (!this.jPtr) {
      this.jPtr = this.blocks.alloc(8 * J.length, `a Jacobian (${this.n} × ${this.n})`);
      this.views = null;
    }
    this.view().j.set(J);
  }

  /**
   * Factors `c·I − J` with J from {@link DenseLU.setJacobian}; the matrix is formed in WASM.
   * Returns false if it is exactly singular.
   */
  factorShifted(c: number): boolean {
    if (this.disposed) throw disposedError();
    if (!this.jPtr) throw new MLPGFError("VALUE", "factorShifted needs a Jacobian: call setJacobian first");
    this.k.luShift(this.n, this.jPtr, this.aPtr, c);
    return this.run();
  }

  /** Solves A·out = b with the last factorisation (b and out may be the same array). */
  solve(b: Float64Array, out: Float64Array): void {
    this.check(b, this.n, "right-hand side");
    if (out.length !== this.n) throw new MLPGFError("SHAPE", `LU solution needs length ${this.n}, got ${out.length}`);
    if (this.status < 0) throw new MLPGFError("VALUE", "LU solve before any factorisation");
    this.view().b.set(b);
    this.k.luSolve(this.n, this.aPtr, this.pivPtr, this.bPtr);
    out.set(this.view().b);
  }

  /** Returns the WASM memory (idempotent); the object is unusable afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    forgetOwner(this);
    this.blocks.release();
    this.aPtr = this.pivPtr = this.bPtr = this.jPtr = 0;
    this.views = null;
  }

  /** {@link DenseLU.dispose}. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Views of the buffers, re-created only when the WASM memory has grown (no allocation per call). */
  private view(): { a: Float64Array; b: Float64Array; j: Float64Array } {
    const buffer = this.engine.memory.buffer;
    if (!this.views || this.views.buffer !== buffer) {
      const e = this.engine,
        n = this.n;
      this.views = {
        buffer,
        a: e.f64(this.aPtr, n * n),
        b: e.f64(this.bPtr, n),
        j: this.jPtr ? e.f64(this.jPtr, n * n) : new Float64Array(0),
      };
    }
    return this.views;
  }

  private run(): boolean {
    this.status = this.k.luFactor(this.n, this.aPtr, this.pivPtr);
    return this.status === 0;
  }

  private check(v: Float64Array, length: number, what: string): void {
    if (this.disposed) throw disposedError();
    if (v.length !== length) throw new MLPGFError("SHAPE", `LU ${what} needs length ${length}, got ${v.length}`);
  }
}

function disposedError(): MLPGFError {
  return new MLPGFError("DISPOSED", "this LU solver was disposed: create a new one");
}
