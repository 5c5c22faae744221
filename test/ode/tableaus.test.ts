import { describe, expect, it } from "vitest";
import { METHODS } from "../../src/ode/index.js";
import type { EsdirkTableau, ExplicitTableau } from "../../src/ode/index.js";

// Runge–Kutta order conditions from rooted trees (Butcher): a tableau (A, b) has order p iff for every
// rooted tree t with |t| ≤ p, Σ_i b_i·Ψ_i(t) = 1/γ(t), where Ψ(•) = 1 and Ψ(t)_i = Π_children (A·Ψ(child))_i,
// and γ(t) = |t|·Π γ(children). This checks every coefficient of the tableaus independently of the solver.

type Tree = Tree[];

const key = (t: Tree): string => `[${t.map(key).sort().join("")}]`;
const order = (t: Tree): number => 1 + t.reduce((s, c) => s + order(c), 0);
const density = (t: Tree): number => order(t) * t.reduce((p, c) => p * density(c), 1);

/** All rooted trees with 1 … p nodes (p = 6: 1 + 1 + 2 + 4 + 9 + 20 = 37 trees). */
function trees(p: number): Tree[] {
  const all: Tree[] = [[]];
  let level: Tree[] = [[]];
  for (let n = 2; n <= p; n++) {
    const seen = new Map<string, Tree>();
    const grow = (t: Tree): Tree[] => [[...t, []], ...t.flatMap((c, i) => grow(c).map((g) => t.map((d, j) => (j === i ? g : d))))];
    for (const t of level) for (const g of grow(t)) seen.set(key(g), g);
    level = [...seen.values()];
    all.push(...level);
  }
  return all;
}

function psi(t: Tree, A: number[][]): number[] {
  const s = A.length;
  const v = new Array<number>(s).fill(1);
  for (const child of t) {
    const w = psi(child, A);
    for (let i = 0; i < s; i++) v[i] *= A[i].reduce((acc, aij, j) => acc + aij * w[j], 0);
  }
  return v;
}

/** Largest |Σ b·Ψ(t) − 1/γ(t)| over the trees of exactly q nodes. */
function defect(A: number[][], b: readonly number[], q: number): number {
  let m = 0;
  for (const t of trees(q)) {
    if (order(t) !== q) continue;
    const v = psi(t, A);
    m = Math.max(m, Math.abs(v.reduce((acc, vi, i) => acc + b[i] * vi, 0) - 1 / density(t)));
  }
  return m;
}

/** The dense s×s Butcher matrix of an explicit or ESDIRK tableau. */
function butcher(tab: ExplicitTableau | EsdirkTableau): number[][] {
  const s = tab.c.length;
  return Array.from({ length: s }, (_, i) => Array.from({ length: s }, (_, j) => tab.a[i][j] ?? 0));
}

/** Highest q ≤ limit with all conditions up to q satisfied to `tol`. */
function achievedOrder(A: number[][], b: readonly number[], limit: number, tol: number): number {
  let q = 0;
  while (q < limit && defect(A, b, q + 1) < tol) q++;
  return q;
}

const rk = Object.entries(METHODS).filter(([, t]) => t.kind !== "rosenbrock") as [string, ExplicitTableau | EsdirkTableau][];

describe("Runge–Kutta tableaus", () => {
  it("there are 1, 1, 2, 4, 9, 20 rooted trees of orders 1 … 6", () => {
    const counts = [1, 2, 3, 4, 5, 6].map((q) => trees(6).filter((t) => order(t) === q).length);
    expect(counts).toEqual([1, 1, 2, 4, 9, 20]);
  });

  for (const [name, tab] of rk) {
    it(`${name}: nodes are row sums, b has order ${tab.order} exactly, b̂ has order ${tab.embeddedOrder}`, () => {
      const A = butcher(tab);
      A.forEach((row, i) => expect(Math.abs(row.reduce((s, v) => s + v, 0) - tab.c[i])).toBeLessThan(1e-14));
      // the tableaus are given to ~16 digits (Tsit5's are rounded to double from 80-digit values)
      const tol = 1e-12;
      expect(achievedOrder(A, tab.b, 6, tol)).toBe(tab.order);
      if (tab.btilde) {
        const bhat = tab.b.map((v, i) => v - tab.btilde![i]);
        expect(achievedOrder(A, bhat, 6, tol)).toBe(tab.embeddedOrder);
        expect(tab.errorOrder).toBe(Math.min(tab.order, tab.embeddedOrder) + 1);
      }
    });
  }

  it("the FSAL explicit tableaus evaluate their last stage at the new state (a_s = b, c_s = 1)", () => {
    for (const [, tab] of rk) {
      if (tab.kind !== "explicit") continue;
      const s = tab.c.length;
      expect(tab.c[s - 1]).toBe(1);
      expect([...tab.a[s - 1], 0]).toEqual(tab.b);
    }
  });

  it("the ESDIRK tableaus are stiffly accurate with explicit first stage and constant diagonal", () => {
    for (const [, tab] of rk) {
      if (tab.kind !== "esdirk") continue;
      const s = tab.c.length;
      expect(tab.a[0]).toEqual([0]);
      for (let i = 1; i < s; i++) expect(tab.a[i][i]).toBe(tab.gamma);
      expect(tab.a[s - 1]).toEqual(tab.b);
    }
  });

  it("the ESDIRK methods are L-stable: R(z) = 1 + z·bᵀ(I − zA)⁻¹·1 → 0 as z → −∞, |R| ≤ 1 on z < 0", () => {
    for (const [, tab] of rk) {
      if (tab.kind !== "esdirk") continue;
      const A = butcher(tab);
      const s = A.length;
      const R = (z: number): number => {
        // forward substitution of (I − zA)·w = 1 (lower triangular)
        const w = new Array<number>(s).fill(0);
        for (let i = 0; i < s; i++) {
          let r = 1;
          for (let j = 0; j < i; j++) r += z * A[i][j] * w[j];
          w[i] = r / (1 - z * A[i][i]);
        }
        return 1 + z * tab.b.reduce((acc, bi, i) => acc + bi * w[i], 0);
      };
      // (beyond |z| ~ 1e8 the evaluation itself loses digits to cancellation)
      expect(Math.abs(R(-1e8))).toBeLessThan(1e-6);
      for (let e = -3; e <= 8; e += 0.25) expect(Math.abs(R(-Math.pow(10, e)))).toBeLessThanOrEqual(1 + 1e-12);
    }
  });
});
