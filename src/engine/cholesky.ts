import { MLPGFError } from "../errors.js";
import type { KernelExports } from "./abi.generated.js";
import { type Engine, getEngine } from "./kernels.js";
import { forgetOwner, releaseWhenCollected } from "./lifetime.js";

/** The WASM block of one {@link Cholesky}, returned to the allocator on dispose or garbage collection. */
class Block {
  constructor(
    readonly engine: Engine,
    public ptr: number,
  ) {}

  release(): void {
    if (this.ptr) this.engine.free(this.ptr);
    this.ptr = 0;
  }
}

/**
 * Dense Cholesky factorisation A + τI = L·Lᵀ of a symmetric n × n matrix (row-major `Float64Array`,
 * only the lower triangle is read), computed in WASM (blocked, f64x2 SIMD), with solves.
 *
 * One instance owns the WASM buffers for one n: the matrix A, the factor L and two vectors. They are
 * reserved once and reused by every call; {@link Cholesky.dispose} returns them (unreferenced
 * instances are also reclaimed by the garbage collector). A is kept, so {@link Cholesky.refactor}
 * can try another shift without copying the matrix again (modified Cholesky, trust regions).
 *
 * @example
 * ```ts
 * const chol = new Cholesky(n);
 * if (chol.factor(H, 0)) chol.solve(g, d); // d = H⁻¹g
 * chol.dispose();
 * ```
 */
export class Cholesky {
  /** Order of the matrices. */
  readonly n: number;
  private readonly engine: Engine;
  private readonly k: KernelExports;
  private readonly block: Block;
  private readonly aPtr: number;
  private readonly lPtr: number;
  private readonly xPtr: number;
  private readonly wPtr: number;
  private loaded = false;
  private factored = false;
  private failed = -1;
  // Views of the four buffers, re-created only when the WASM memory has grown (no allocation per call).
  private viewBuffer: ArrayBufferLike | null = null;
  private aView = new Float64Array(0);
  private lView = new Float64Array(0);
  private xView = new Float64Array(0);
  private wView = new Float64Array(0);

  /** Reserves the WASM buffers for n × n matrices (2n² + 2n doubles). */
  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1) throw new MLPGFError("VALUE", `the matrix order must be an integer ≥ 1, got ${String(n)}`);
    this.n = n;
    this.engine = getEngine();
    this.k = this.engine.exports;
    const nn = n * n;
    this.engine.allocator.check(8 * (2 * nn + 2 * n), `the Cholesky factorisation of a ${n} × ${n} matrix`);
    const ptr = this.engine.alloc(8 * (2 * nn + 2 * n), `the Cholesky factorisation of a ${n} × ${n} matrix`);
    this.block = new Block(this.engine, ptr);
    releaseWhenCollected(this, this.block);
    this.aPtr = ptr;
    this.lPtr = ptr + 8 * nn;
    this.xPtr = this.lPtr + 8 * nn;
    this.wPtr = this.xPtr + 8 * n;
  }

  /** True after {@link Cholesky.dispose}. */
  get disposed(): boolean {
    return this.block.ptr === 0;
  }

  /** True when the last factorisation succeeded (solves are available). */
  get ok(): boolean {
    return this.factored;
  }

  /**
   * Index of the pivot at which the last factorisation failed (the leading (j+1) × (j+1) block of
   * A + τI is not numerically positive definite), or −1 after a success.
   */
  get failedPivot(): number {
    return this.failed;
  }

  /** Copies the n × n row-major matrix A into WASM memory (for {@link Cholesky.refactor}). */
  load(A: Float64Array): void {
    this.check();
    if (A.length !== this.n * this.n)
      throw new MLPGFError("SHAPE", `expected an ${this.n} × ${this.n} matrix (${this.n * this.n} values), got ${A.length}`);
    this.views();
    this.aView.set(A);
    this.loaded = true;
    this.factored = false;
  }

  /**
   * Factors A + shift·I = L·Lᵀ. Returns false (and records {@link Cholesky.failedPivot}) when a pivot
   * L[j,j]² is not in (minPivot, ∞): the shifted matrix is not positive definite, or A holds NaN/∞.
   * Never produces NaN in a successful factor.
   *
   * @param A - n × n row-major; only the lower triangle (j ≤ i) is read.
   * @param shift - τ added to the diagonal (default 0).
   * @param minPivot - smallest accepted squared pivot, ≥ 0 (default 0: accept any positive pivot).
   */
  factor(A: Float64Array, shift = 0, minPivot = 0): boolean {
    this.load(A);
    return this.refactor(shift, minPivot);
  }

  /** Factors the matrix last given to {@link Cholesky.load} / {@link Cholesky.factor} with another shift. */
  refactor(shift: number, minPivot = 0): boolean {
    this.check();
    if (!this.loaded) throw new MLPGFError("VALUE", "no matrix loaded: call factor(A, shift) first");
    if (!Number.isFinite(shift)) throw new MLPGFError("VALUE", `the shift must be finite, got ${shift}`);
    if (!(minPivot >= 0) || !Number.isFinite(minPivot)) throw new MLPGFError("VALUE", `minPivot must be finite and ≥ 0, got ${minPivot}`);
    const info = this.k.cholFactor(this.n, this.aPtr, this.lPtr, shift, minPivot);
    this.factored = info === 0;
    this.failed = info - 1;
    return this.factored;
  }

  /** out = (L·Lᵀ)⁻¹·b = (A + τI)⁻¹·b. `out` may be `b`. */
  solve(b: Float64Array, out: Float64Array): Float64Array {
    return this.run(b, out, "solve");
  }

  /** out = L⁻¹·b (forward substitution). `out` may be `b`. */
  solveLower(b: Float64Array, out: Float64Array): Float64Array {
    return this.run(b, out, "lower");
  }

  /** out = L⁻ᵀ·b (back substitution). `out` may be `b`. */
  solveUpper(b: Float64Array, out: Float64Array): Float64Array {
    return this.run(b, out, "upper");
  }

  /**
   * A unit vector z along which L·Lᵀ = A + τI is nearly singular (the LINPACK estimate: z ∝ L⁻ᵀw,
   * w = L⁻¹e with e_i = ±1 chosen greedily), written to `out`; returns zᵀ(A + τI)z = ‖Lᵀz‖², an
   * upper bound of the smallest eigenvalue of A + τI and close to it when A + τI is nearly singular.
   */
  nearNullVector(out: Float64Array): number {
    this.requireFactor();
    this.checkVector(out, "out");
    const n = this.n;
    this.k.cholNullVector(n, this.lPtr, this.wPtr);
    this.k.cholSolveUpper(n, this.lPtr, this.wPtr, this.xPtr);
    this.views();
    const w = this.wView;
    const z = this.xView;
    let ww = 0;
    let zz = 0;
    for (let i = 0; i < n; i++) {
      ww += w[i] * w[i];
      zz += z[i] * z[i];
    }
    const s = 1 / Math.sqrt(zz);
    for (let i = 0; i < n; i++) out[i] = z[i] * s;
    return ww / zz;
  }

  /** The factor L (n × n row-major, zeros above the diagonal) — for tests and diagnostics. */
  lower(out: Float64Array = new Float64Array(this.n * this.n)): Float64Array {
    this.requireFactor();
    const n = this.n;
    this.views();
    const l = this.lView;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) out[i * n + j] = l[i * n + j];
      for (let j = i + 1; j < n; j++) out[i * n + j] = 0;
    }
    return out;
  }

  /** log det(A + τI) = 2·Σ log L[i,i]. */
  logDet(): number {
    this.requireFactor();
    const n = this.n;
    this.views();
    const l = this.lView;
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.log(l[i * n + i]);
    return 2 * s;
  }

  /** Returns the WASM memory. Later calls throw `DISPOSED`; disposing twice is a no-op. */
  dispose(): void {
    forgetOwner(this);
    this.block.release();
  }

  /** {@link Cholesky.dispose}. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  private run(b: Float64Array, out: Float64Array, which: "solve" | "lower" | "upper"): Float64Array {
    this.requireFactor();
    this.checkVector(b, "b");
    this.checkVector(out, "out");
    const n = this.n;
    this.views();
    this.xView.set(b);
    if (which === "solve") this.k.cholSolve(n, this.lPtr, this.xPtr, this.xPtr);
    else if (which === "lower") this.k.cholSolveLower(n, this.lPtr, this.xPtr, this.xPtr);
    else this.k.cholSolveUpper(n, this.lPtr, this.xPtr, this.xPtr);
    out.set(this.xView);
    return out;
  }

  /** Refreshes the cached views if the memory has grown (which detaches the old ones). */
  private views(): void {
    const buf = this.engine.memory.buffer;
    if (buf === this.viewBuffer) return;
    const n = this.n;
    this.viewBuffer = buf;
    this.aView = new Float64Array(buf, this.aPtr, n * n);
    this.lView = new Float64Array(buf, this.lPtr, n * n);
    this.xView = new Float64Array(buf, this.xPtr, n);
    this.wView = new Float64Array(buf, this.wPtr, n);
  }

  private requireFactor(): void {
    this.check();
    if (!this.factored) throw new MLPGFError("VALUE", "no successful factorisation: call factor() and check its result first");
  }

  private checkVector(v: Float64Array, name: string): void {
    if (v.length !== this.n) throw new MLPGFError("SHAPE", `${name} must have ${this.n} values, got ${v.length}`);
  }

  private check(): void {
    if (this.disposed) throw new MLPGFError("DISPOSED", "this Cholesky factorisation was disposed: create a new one");
  }
}
