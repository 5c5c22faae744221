import { describe, expect, it } from "vitest";
import { ACT, allFinite, fixture, Gauss, hix, maxScaledErr } from "./helpers.js";

// Gauss–Hermite path of assembly/normalintegrals.ts for activations without closed forms, against
//  - mpmath quadrature (M, G1 with derivatives by central differences at 40 digits; G2 values by
//    nested 2-D quadrature at 20 digits) and
//  - an independent Gauss–Hermite evaluation (N = 1000, mpmath-polished nodes, 178² nodes) of the 21
//    derivative kinds in numpy
// (gen_gauss.py); tolerance relative to max(1, |oracle|). The default rule (N = 600) resolves f(rξ + b)
// to this accuracy while the complex poles of f stay ≳ 0.75 away from the real ξ axis (tanh: |r| ≲ 2,
// g = sigmoid(4x) + softplus: |r| ≲ 1); the fixture stays in that range, and the last test documents
// the loss of accuracy beyond it.
const TOL = 1e-13;
const gh = new Gauss();
const adaptive = new Gauss(0);

interface Pt1 {
  kind: string;
  p: number[];
  d: number[];
}
interface Pt2 {
  k1: string;
  k2: string;
  p: number[];
  v?: number;
  kinds: number[];
}

describe("quadrature vs mpmath for smooth activations", () => {
  it.each([
    ["Gauss–Hermite 600", gh],
    ["adaptive", adaptive],
  ] as const)("M and G1 with gradient and Hessian, %s rule", (_n, rule) => {
    let worst = 0;
    for (const [key, fn] of [
      ["m", rule.m.bind(rule)],
      ["g1", rule.g1.bind(rule)],
    ] as const) {
      for (const c of fixture.smooth[key] as Pt1[]) {
        const v = fn(ACT[c.kind], c.p[0], c.p[1]);
        const e = maxScaledErr(v, c.d);
        worst = Math.max(worst, e);
        if (!(e <= TOL)) throw new Error(`${key} ${c.kind} (${c.p}) error ${e}: ${v} vs ${c.d}`);
      }
    }
    expect(worst).toBeLessThanOrEqual(TOL);
  });

  // the kinds are the exact integral's derivatives (Price forms for u), which the adaptive rule
  // computes; the fixed rule's u-entries are derivatives of its discrete sum (see neti.quadrature.test.ts)
  it("G2 values (nested mpmath quadrature) and all 21 kinds (numpy Gauss–Hermite), adaptive rule", () => {
    let worst = 0;
    for (const c of fixture.smooth.g2 as Pt2[]) {
      const v = adaptive.g2(ACT[c.k1], ACT[c.k2], c.p);
      if (c.v !== undefined) expect(Math.abs(v[0] - c.v)).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(c.v)));
      const e = maxScaledErr(v, c.kinds);
      worst = Math.max(worst, e);
      if (!(e <= TOL)) throw new Error(`G2 ${c.k1} ${c.k2} (${c.p}) error ${e}: ${v} vs ${c.kinds}`);
    }
    expect(worst).toBeLessThanOrEqual(TOL);
  });
});

describe("quadrature identities", () => {
  // The pruned rules are exact for polynomials up to the mass they drop: the product pruning
  // (wᵢwⱼ ≥ 1e−18) removes ~1e−14 of E x₁², ~1e−13 of E x₁⁴.
  it("identity × identity: E h₁h₂ = b₁b₂ + u r₁r₂", () => {
    const I = ACT.identity;
    for (const [r1, b1, r2, b2, u] of [
      [0.3, 0.1, -0.4, 0.2, 0.3],
      [1.5, -2, 0.7, 1, -1],
      [2, 0.5, 3, -1, 1],
    ]) {
      const v = gh.g2(I, I, [r1, b1, r2, b2, u]);
      const ref = new Array(21).fill(0);
      ref[0] = b1 * b2 + u * r1 * r2;
      ref[1] = u * r2;
      ref[2] = b2;
      ref[3] = u * r1;
      ref[4] = b1;
      ref[5] = r1 * r2;
      ref[hix(0, 2)] = u;
      ref[hix(0, 4)] = r2;
      ref[hix(1, 3)] = 1;
      ref[hix(2, 4)] = r1;
      expect(maxScaledErr(v, ref)).toBeLessThanOrEqual(5e-14);
    }
  });

  it("square × square: E (h₁²/2)(h₂²/2) from Isserlis' theorem", () => {
    const S = ACT.square;
    for (const [r1, b1, r2, b2, u] of [
      [0.3, 0.1, -0.4, 0.2, 0.3],
      [1.5, -2, 0.7, 1, -0.9],
    ]) {
      const c = u * r1 * r2;
      const ref = ((r1 * r1 + b1 * b1) * (r2 * r2 + b2 * b2) + 2 * c * c + 4 * b1 * b2 * c) / 4;
      expect(Math.abs(gh.g2(S, S, [r1, b1, r2, b2, u])[0] - ref)).toBeLessThanOrEqual(1e-12 * Math.max(1, ref));
    }
  });

  it("u = 0 factorises: G2 = M₁·M₂ and the b-gradient is (M₁′M₂, M₁M₂′)", () => {
    const [A, B] = [ACT.tanh, ACT.softplus];
    const m1 = gh.m(A, 0.7, 0.2),
      m2 = gh.m(B, 1.3, -0.4);
    const g = gh.g2(A, B, [0.7, 0.2, 1.3, -0.4, 0]);
    expect(Math.abs(g[0] - m1[0] * m2[0])).toBeLessThanOrEqual(1e-15);
    expect(Math.abs(g[2] - m1[2] * m2[0])).toBeLessThanOrEqual(1e-15);
    expect(Math.abs(g[4] - m1[0] * m2[2])).toBeLessThanOrEqual(1e-15);
  });

  it("G1 equals G2 of a unit with itself at u = 1 (up to the product pruning)", () => {
    for (const k of [ACT.tanh, ACT.gelu, ACT.softplus]) {
      const a = gh.g1(k, 0.8, -0.3),
        b = gh.g2(k, k, [0.8, -0.3, 0.8, -0.3, 1]);
      expect(Math.abs(a[0] - b[0])).toBeLessThanOrEqual(5e-14);
      expect(Math.abs(a[1] - (b[1] + b[3]))).toBeLessThanOrEqual(5e-14);
      expect(Math.abs(a[2] - (b[2] + b[4]))).toBeLessThanOrEqual(5e-14);
    }
  });
});

describe("accuracy against the scale r (documented limitation of Gauss–Hermite)", () => {
  it("tanh²: the default rule degrades beyond |r| ≈ 2, a larger N restores it", () => {
    const big = new Gauss(2000);
    expect(big.n).toBe(248);
    for (const c of fixture.smooth.scaling as { p: number[]; v: number }[]) {
      const [r, b] = c.p;
      const e600 = Math.abs(gh.g1(ACT.tanh, r, b, 0)[0] - c.v);
      const e2000 = Math.abs(big.g1(ACT.tanh, r, b, 0)[0] - c.v);
      // measured: r = 2: 1.1e−15, r = 3: 3e−11, r = 5: 2e−6 (N = 600); N = 2000: ≤ 1e−11 at r = 5
      const bound600 = r <= 2 ? 1e-14 : r <= 3 ? 1e-9 : 1e-5;
      expect(e600).toBeLessThanOrEqual(bound600);
      expect(e2000).toBeLessThanOrEqual(r <= 3 ? 1e-14 : 1e-10);
    }
  });
});

describe("adaptive rule with a kinked unit (relu, selu) against a smooth one", () => {
  // The u-entries are the Price forms (r₁r₂ E f₁″f₂″, …) with the δ parts of relu″ and selu″ as point
  // terms on the kink (gauss/kinked.test.ts has the oracle). Checked against central differences of
  // the gradient in u.
  it("u-entries of the Hessian equal differences of the gradient in u", () => {
    for (const [k1, k2] of [
      [ACT.relu, ACT.softplus],
      [ACT.softplus, ACT.relu],
      [ACT.selu, ACT.tanh],
    ]) {
      for (const u of [0.5, -0.7]) {
        const p = [1, 0.2, 1.3, -0.4, u];
        const H = adaptive.g2(k1, k2, p);
        const s = 1e-6;
        const gp = adaptive.g2(k1, k2, [1, 0.2, 1.3, -0.4, u + s], 1);
        const gm = adaptive.g2(k1, k2, [1, 0.2, 1.3, -0.4, u - s], 1);
        for (let q = 0; q < 5; q++) {
          const fd = (gp[1 + q] - gm[1 + q]) / (2 * s);
          expect(Math.abs(H[hix(q, 4)] - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
        }
      }
    }
  });
});

describe("quadrature limits", () => {
  it("r = 0 and u = ±1 are finite and continuous", () => {
    const [A, B] = [ACT.tanh, ACT.softplus];
    for (const p of [
      [0, 0.3, 0.9, -0.2, 0.4],
      [0.7, 0.1, 0, 0.5, -0.3],
      [0.8, 0.3, 0.5, -0.2, 1],
      [0.8, 0.3, 0.5, -0.2, -1],
    ]) {
      const at = gh.g2(A, B, p);
      expect(allFinite(at)).toBe(true);
      const near = p.slice();
      if (near[0] === 0) near[0] = 1e-9;
      if (near[2] === 0) near[2] = 1e-9;
      if (Math.abs(near[4]) === 1) near[4] *= 1 - 1e-13;
      expect(maxScaledErr(at, gh.g2(A, B, near))).toBeLessThanOrEqual(1e-7);
    }
    for (const k of [A, B, ACT.relu, ACT.selu]) {
      expect(allFinite(gh.m(k, 0, 0.2, 2, true))).toBe(true);
      expect(allFinite(gh.g1(k, 0, 0.2, 2, true))).toBe(true);
      expect(allFinite(gh.g2(k, k, [0, 0, 0, 0, 1], 2, true))).toBe(true);
    }
  });

  it("derivs = 0 and 1 give the leading entries of derivs = 2", () => {
    const [A, B] = [ACT.gelu, ACT.silu];
    const full = gh.g2(A, B, [0.6, 0.1, -0.8, 0.3, 0.45]);
    expect(maxScaledErr(gh.g2(A, B, [0.6, 0.1, -0.8, 0.3, 0.45], 0), full.slice(0, 1))).toBeLessThanOrEqual(1e-15);
    expect(maxScaledErr(gh.g2(A, B, [0.6, 0.1, -0.8, 0.3, 0.45], 1), full.slice(0, 6))).toBeLessThanOrEqual(1e-15);
    const m = gh.m(A, 0.6, 0.1);
    expect(maxScaledErr(gh.m(A, 0.6, 0.1, 1), m.slice(0, 3))).toBeLessThanOrEqual(1e-15);
  });
});
