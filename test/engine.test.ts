import { describe, expect, it } from "vitest";
import { getEngine } from "../src/engine/kernels.js";

describe("engine", () => {
  it("allocates 16-byte aligned blocks, reuses freed memory and grows on demand", () => {
    const e = getEngine();
    const a = e.alloc(24);
    const b = e.alloc(8);
    expect(a % 16).toBe(0);
    expect(b % 16).toBe(0);
    expect(b).toBeGreaterThanOrEqual(a + 32);
    e.free(a);
    const c = e.alloc(16);
    expect(c).toBe(a);
    const before = e.memory.buffer.byteLength;
    const big = e.alloc(before + 1);
    expect(e.memory.buffer.byteLength).toBeGreaterThan(before);
    e.f64(big, 4).set([1, 2, 3, 4]);
    expect(Array.from(e.f64(big, 4))).toEqual([1, 2, 3, 4]);
    e.free(big);
    e.free(b);
    e.free(c);
  });
});
