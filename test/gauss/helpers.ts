// Shared helpers of the Gaussian-integral tests: typed access to the kernels and fixture.
import { readFileSync } from "node:fs";
import { getEngine } from "../../src/engine/kernels.js";

export const engine = getEngine();
/** The kernels, typed by the generated ABI (src/engine/abi.generated.ts). */
export const kx = engine.exports;

// biome-ignore lint/suspicious/noExplicitAny: the fixture is JSON of many shapes, read field by field with typed consts below
export const fixture: any = JSON.parse(readFileSync(new URL("../fixtures/gauss.json", import.meta.url), "utf8"));

export const ACT: Record<string, number> = fixture.act;
export const POLY: number[] = fixture.poly;

/** Number of outputs per derivs level: 1-D [1, 3, 6], 2-D [1, 6, 21]. */
export const COUNT1 = [1, 3, 6];
export const COUNT2 = [1, 6, 21];

/** Index of the Hessian entry (p, q), p ≤ q, of the 21-entry 2-D layout (variables r₁ b₁ r₂ b₂ u). */
export function hix(p: number, q: number): number {
  if (p > q) [p, q] = [q, p];
  return 6 + 5 * p - (p * (p - 1)) / 2 + (q - p);
}
/** Index of the Hessian entry (p, q) of the 6-entry 1-D layout (variables r b). */
export function hix1(p: number, q: number): number {
  if (p > q) [p, q] = [q, p];
  return 3 + 2 * p - (p * (p - 1)) / 2 + (q - p);
}

/**
 * A quadrature rule block plus output and scratch buffers in WASM memory (N = 0: the adaptive
 * trapezoidal rule, rule pointer 0). Each call returns a copy of the outputs.
 */
export class Gauss {
  readonly n: number;
  readonly rule: number;
  private readonly out: number;
  private readonly scratch: number;
  private readonly coef: number;

  constructor(N = 600, threshold = 1e-18, threshold2 = 1e-18) {
    this.rule = N === 0 ? 0 : engine.alloc(8 * (2 + 2 * N));
    this.n = N === 0 ? 0 : kx.gaussRule(N, threshold, threshold2, this.rule);
    this.out = engine.alloc(8 * 32);
    this.scratch = engine.alloc(8 * (N === 0 ? kx.adaptiveScratch() : 8 * N));
    this.coef = engine.alloc(8 * POLY.length);
    engine.f64(this.coef, POLY.length).set(POLY);
  }

  private read(count: number): number[] {
    return Array.from(engine.f64(this.out, count));
  }

  private sentinel(): void {
    engine.f64(this.out, 32).fill(12345.678);
  }

  /** M (or the quadrature variant) of kind at (r, b). */
  m(kind: number, r: number, b: number, derivs = 2, quad = false): number[] {
    this.sentinel();
    (quad ? kx.quadM : kx.normalM)(kind, this.coef, POLY.length, r, b, this.rule, derivs, this.out, this.scratch);
    return this.check(COUNT1[derivs]);
  }

  g1(kind: number, r: number, b: number, derivs = 2, quad = false): number[] {
    this.sentinel();
    (quad ? kx.quadG1 : kx.normalG1)(kind, this.coef, POLY.length, r, b, this.rule, derivs, this.out, this.scratch);
    return this.check(COUNT1[derivs]);
  }

  g2(k1: number, k2: number, p: number[], derivs = 2, quad = false): number[] {
    this.sentinel();
    const [r1, b1, r2, b2, u] = p;
    (quad ? kx.quadG2 : kx.normalG2)(
      k1,
      this.coef,
      POLY.length,
      k2,
      this.coef,
      POLY.length,
      r1,
      b1,
      r2,
      b2,
      u,
      this.rule,
      derivs,
      this.out,
      this.scratch,
    );
    return this.check(COUNT2[derivs]);
  }

  /** The outputs, after checking that exactly `count` entries were written. */
  private check(count: number): number[] {
    const all = this.read(32);
    for (let i = count; i < 32; i++) if (all[i] !== 12345.678) throw new Error(`output ${i} written beyond ${count}`);
    return all.slice(0, count);
  }
}

/** Largest |a − b| / max(1, |b|) over the entries. */
export function maxScaledErr(a: number[], b: number[]): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return m;
}

/** True when every entry is a finite number. */
export function allFinite(a: number[]): boolean {
  return a.every((v) => Number.isFinite(v));
}
