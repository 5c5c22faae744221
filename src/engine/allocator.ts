import { MLPGFError } from "../errors.js";

/** Alignment of every block, in bytes (one v128). */
export const ALIGN = 16;
/** Bytes per WebAssembly page. */
const PAGE = 65536;
/** Largest wasm32 memory, in pages (4 GiB). */
const MAX_PAGES = 65536;

interface FreeBlock {
  ptr: number;
  size: number;
}

/**
 * First-fit free-list allocator over the WASM linear memory above `__heap_base`.
 *
 * The kernels never allocate (stub runtime): every buffer is reserved here by the TypeScript
 * workspace and returned with {@link Allocator.free}, so disposing a network gives its memory back.
 * Free blocks are kept sorted by address and coalesced with their neighbours.
 */
export class Allocator {
  private readonly free_: FreeBlock[] = [];
  private readonly sizes = new Map<number, number>();
  private top: number;

  constructor(
    private readonly memory: WebAssembly.Memory,
    heapBase: number,
  ) {
    this.top = alignUp(heapBase);
  }

  /** Bytes currently handed out. */
  get used(): number {
    let s = 0;
    for (const v of this.sizes.values()) s += v;
    return s;
  }

  /** Size of the linear memory in bytes. */
  get capacity(): number {
    return this.memory.buffer.byteLength;
  }

  /** Reserves `bytes` (rounded up to 16) and returns the address; throws `MEMORY` when it cannot. */
  alloc(bytes: number, what = "buffer"): number {
    const size = Math.max(ALIGN, alignUp(bytes));
    for (let i = 0; i < this.free_.length; i++) {
      const b = this.free_[i];
      if (b.size >= size) {
        const ptr = b.ptr;
        if (b.size === size) this.free_.splice(i, 1);
        else {
          b.ptr += size;
          b.size -= size;
        }
        this.sizes.set(ptr, size);
        return ptr;
      }
    }
    const ptr = this.top;
    this.ensure(ptr + size, what);
    this.top = ptr + size;
    this.sizes.set(ptr, size);
    return ptr;
  }

  /** Returns a block obtained from {@link Allocator.alloc}. Freeing twice is a no-op. */
  free(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) return;
    this.sizes.delete(ptr);
    let lo = 0;
    let hi = this.free_.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free_[mid].ptr < ptr) lo = mid + 1;
      else hi = mid;
    }
    this.free_.splice(lo, 0, { ptr, size });
    const next = this.free_[lo + 1];
    if (next && ptr + size === next.ptr) {
      this.free_[lo].size += next.size;
      this.free_.splice(lo + 1, 1);
    }
    const prev = this.free_[lo - 1];
    if (prev && prev.ptr + prev.size === ptr) {
      prev.size += this.free_[lo].size;
      this.free_.splice(lo, 1);
    }
    const last = this.free_[this.free_.length - 1];
    if (last && last.ptr + last.size === this.top) {
      this.top = last.ptr;
      this.free_.pop();
    }
  }

  /** Throws `MEMORY` unless `bytes` more bytes could be reserved (checked before building a network). */
  check(bytes: number, what: string): void {
    const need = this.top + alignUp(bytes);
    if (need > MAX_PAGES * PAGE) throw memoryError(bytes, this.top, what);
  }

  private ensure(end: number, what: string): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) throw memoryError(end - this.top, this.top, what);
    try {
      this.memory.grow(pages);
    } catch {
      throw memoryError(end - this.top, this.top, what);
    }
  }
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function memoryError(bytes: number, inUse: number, what: string): MLPGFError {
  return new MLPGFError(
    "MEMORY",
    `cannot reserve ${mib(bytes)} of WASM memory for ${what}: ${mib(inUse)} are in use and a ` +
      `wasm32 instance holds at most 4096 MiB. Use fewer samples, a smaller network, or dispose() unused networks.`,
  );
}
