import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ACT, fixture, Gauss, hix } from "./helpers.js";

// The kinked activations (relu mixed with others, selu with anything) on the default adaptive path
// of assembly/normalintegrals.ts: rules cut at the kinks (panelrule.ts) plus the δ parts of f″, against
// kinked.json (gen_kinked.py: mpmath quadrature at 44 digits of a 1-D reduction whose inner mean is
// elementary, checked against nested 2-D quadrature; gradient and Hessian by central differences of
// that value). Tolerance: 1e-12 relative per entry, or relative to 1e-2 of the largest entry of the
// output where the entry itself is ~0.

interface Pt1 {
  kind: string;
  p: number[];
  d: number[];
}
interface Pt2 {
  k1: string;
  k2: string;
  p: number[];
  d: number[];
}
const kinked: { m: Pt1[]; g1: Pt1[]; g2: Pt2[] } = JSON.parse(readFileSync(new URL("../fixtures/kinked.json", import.meta.url), "utf8"));
const TOL = 1e-12;
const adaptive = new Gauss(0);

/** Largest |a − b| / max(|b|, 1e-2·max|b|) over the entries. */
function entryErr(a: number[], b: number[]): number {
  const floor = 1e-2 * Math.max(...b.map(Math.abs));
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor));
  return m;
}

/** A 2-D output with the units exchanged: (r₂, b₂, r₁, b₁, u) order. */
function swapped(v: number[]): number[] {
  const sv = (p: number): number => (p === 4 ? 4 : p ^ 2);
  const o = new Array(21).fill(0);
  o[0] = v[0];
  for (let p = 0; p < 5; p++) {
    o[1 + p] = v[1 + sv(p)];
    for (let q = p; q < 5; q++) o[hix(p, q)] = v[hix(sv(p), sv(q))];
  }
  return o;
}

describe("kinked activations, adaptive rule, against mpmath", () => {
  it("selu M and G1 with gradient and Hessian (δ part of selu″ in ∂b∂b, ∂r∂b, ∂r∂r)", () => {
    let worst = 0;
    for (const [key, fn] of [
      ["m", adaptive.m.bind(adaptive)],
      ["g1", adaptive.g1.bind(adaptive)],
    ] as const) {
      for (const c of kinked[key]) {
        for (const quad of [false, true]) {
          const e = entryErr(fn(ACT[c.kind], c.p[0], c.p[1], 2, quad), c.d);
          worst = Math.max(worst, e);
          if (!(e <= TOL)) throw new Error(`${key} ${c.kind} (${c.p}) error ${e}`);
        }
      }
    }
    expect(worst).toBeLessThanOrEqual(TOL);
  });

  const pairs = [...new Set(kinked.g2.map((c) => `${c.k1}×${c.k2}`))];
  it.each(pairs)("G2 %s: value, gradient, Hessian in both unit orders", (pair) => {
    let worst = 0;
    for (const c of kinked.g2.filter((x) => `${x.k1}×${x.k2}` === pair)) {
      const [r1, b1, r2, b2, u] = c.p;
      const e1 = entryErr(adaptive.g2(ACT[c.k1], ACT[c.k2], c.p), c.d);
      const e2 = entryErr(swapped(adaptive.g2(ACT[c.k2], ACT[c.k1], [r2, b2, r1, b1, u])), c.d);
      worst = Math.max(worst, e1, e2);
      if (!(e1 <= TOL && e2 <= TOL)) throw new Error(`G2 ${pair} (${c.p}) error ${e1} / swapped ${e2}`);
    }
    expect(worst).toBeLessThanOrEqual(TOL);
  });

  it("derivs = 0 and 1 give the leading entries of derivs = 2", () => {
    for (const c of kinked.g2.slice(0, 40)) {
      const full = adaptive.g2(ACT[c.k1], ACT[c.k2], c.p);
      expect(adaptive.g2(ACT[c.k1], ACT[c.k2], c.p, 0)).toEqual(full.slice(0, 1));
      expect(adaptive.g2(ACT[c.k1], ACT[c.k2], c.p, 1)).toEqual(full.slice(0, 6));
    }
  });
});

describe("kinked activations, adaptive rule, against closed forms", () => {
  // relu × relu through the generic kinked quadrature (quadG2: both kinks cut, both δ parts and the
  // point mass of E relu″relu″) against the closed form of gauss.json
  it("relu × relu by quadrature: ≤ 1e-12 of the closed form's oracle", () => {
    let worst = 0;
    for (const c of fixture.closed.relu.g2 as { p: number[]; d: number[] }[]) {
      if (c.p[1] / c.p[0] < -5) continue; // x = −6: every entry is ≲ 1e−8, where the oracle's differences (~1e−19 absolute) are ~1e−10 relative
      const v = adaptive.g2(ACT.relu, ACT.relu, c.p, 2, true);
      const e = entryErr(v, c.d);
      worst = Math.max(worst, e);
      if (!(e <= TOL)) throw new Error(`relu×relu (${c.p}) error ${e}`);
    }
    expect(worst).toBeLessThanOrEqual(TOL);
  });

  it("relu M and G1 by quadrature against the closed forms' oracle", () => {
    for (const key of ["m", "g1"] as const) {
      for (const c of fixture.closed.relu[key] as { p: number[]; d: number[] }[]) {
        const v = key === "m" ? adaptive.m(ACT.relu, c.p[0], c.p[1], 2, true) : adaptive.g1(ACT.relu, c.p[0], c.p[1], 2, true);
        expect(entryErr(v, c.d)).toBeLessThanOrEqual(TOL);
      }
    }
  });
});

describe("kinked activations, adaptive rule, limits", () => {
  it("r = 0, b = 0 and u = ±1 give finite outputs, and the value and gradient are continuous at u = ±1", () => {
    const pairs = [
      [ACT.relu, ACT.softplus],
      [ACT.selu, ACT.selu],
      [ACT.selu, ACT.relu],
      [ACT.tanh, ACT.selu],
    ];
    for (const [k1, k2] of pairs) {
      for (const p of [
        [0, 0, 0.9, -0.2, 0.4],
        [0.7, 0.1, 0, 0, -0.3],
        [0, 0, 0, 0, 1],
        [0.8, 0.3, 0.5, -0.2, 1],
        [0.8, 0.3, 0.5, -0.2, -1],
      ]) {
        const at = adaptive.g2(k1, k2, p);
        expect(at.every(Number.isFinite)).toBe(true);
        if (Math.abs(p[4]) === 1 && p[0] !== 0) {
          const near = adaptive.g2(k1, k2, [p[0], p[1], p[2], p[3], p[4] * (1 - 1e-12)]);
          for (let i = 0; i < 6; i++) expect(Math.abs(at[i] - near[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(at[i])));
        }
      }
      expect(adaptive.m(k1, 0, 0).every(Number.isFinite)).toBe(true);
      expect(adaptive.g1(k1, 0, 0).every(Number.isFinite)).toBe(true);
    }
  });
});
