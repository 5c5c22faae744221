import { describe, expect, it } from "vitest";
import { ACT, allFinite, COUNT1, COUNT2, fixture, Gauss, hix, hix1, maxScaledErr } from "./helpers.js";

// Closed forms of assembly/normalintegrals.ts (relu, normal_cdf, sigmoid2) against
//  - the mpmath oracle of gen_gauss.py (1-D quadrature split at the kinks; derivatives by central
//    differences of it at 40 digits), tolerances relative to max(1, |oracle|);
//  - the cross-check values of the inventory (§f);
//  - central differences of the closed forms themselves;
//  - the Gauss–Hermite quadrature of the derivative kinds (smooth kinds; relu at the original's 1e−4).
const TOL: Record<string, number> = { relu: 1e-12, normal_cdf: 1e-13, sigmoid2: 1e-13, mixed: 1e-13 };
const CLOSED = ["relu", "normal_cdf", "sigmoid2"];
const gh = new Gauss();
const adaptive = new Gauss(0);

interface Pt {
  p: number[];
  d: number[];
  kinds?: number[];
}
interface Lim {
  p: number[];
  v: number;
}

describe("closed forms vs the mpmath oracle", () => {
  for (const name of CLOSED) {
    const k = ACT[name];
    const fx = fixture.closed[name];
    it(`${name}: M and G1 with gradient and Hessian`, () => {
      for (const [key, fn] of [
        ["m", gh.m.bind(gh)],
        ["g1", gh.g1.bind(gh)],
      ] as const) {
        for (const c of fx[key] as Pt[]) {
          const e = maxScaledErr(fn(k, c.p[0], c.p[1]), c.d);
          if (!(e <= TOL[name])) throw new Error(`${name} ${key}(${c.p}) error ${e}`);
        }
        for (const c of fx[`${key}_lim`] as Lim[]) {
          const v = fn(k, c.p[0], c.p[1]);
          expect(allFinite(v)).toBe(true);
          expect(Math.abs(v[0] - c.v)).toBeLessThanOrEqual(TOL[name] * Math.max(1, Math.abs(c.v)));
        }
      }
    });

    it(`${name}: G2 with gradient and Hessian (u near ±1, r near 0, negative r)`, () => {
      let worst = 0;
      for (const c of fx.g2 as Pt[]) {
        const v = gh.g2(k, k, c.p);
        const e = maxScaledErr(v, c.d);
        worst = Math.max(worst, e);
        if (!(e <= TOL[name])) throw new Error(`${name} G2(${c.p}) error ${e}: ${v} vs ${c.d}`);
        if (c.kinds) expect(maxScaledErr(v.slice(1, 6), c.kinds)).toBeLessThanOrEqual(TOL[name]);
      }
      for (const c of fx.g2_lim as Lim[]) {
        const v = gh.g2(k, k, c.p);
        expect(allFinite(v)).toBe(true);
        if (!(Math.abs(v[0] - c.v) <= TOL[name] * Math.max(1, Math.abs(c.v)))) {
          throw new Error(`${name} G2(${c.p}) = ${v[0]}, oracle ${c.v}`);
        }
      }
      expect(worst).toBeLessThanOrEqual(TOL[name]);
    });
  }

  it("mixed normal_cdf × sigmoid2 pairs", () => {
    const a = ACT.normal_cdf,
      b = ACT.sigmoid2;
    for (const c of fixture.closed.mixed.g2 as Pt[]) {
      expect(maxScaledErr(gh.g2(a, b, c.p), c.d)).toBeLessThanOrEqual(TOL.mixed);
      // exchanging the units: (r₂, b₂, r₁, b₁, u)
      const [r1, b1, r2, b2, u] = c.p;
      const s = gh.g2(b, a, [r2, b2, r1, b1, u]);
      expect(Math.abs(s[0] - c.d[0])).toBeLessThanOrEqual(TOL.mixed);
      expect(Math.abs(s[1] - c.d[3]) + Math.abs(s[5] - c.d[5])).toBeLessThanOrEqual(2 * TOL.mixed);
      expect(Math.abs(s[hix(0, 2)] - c.d[hix(0, 2)])).toBeLessThanOrEqual(TOL.mixed);
    }
  });
});

describe("cross-check values of the inventory (§f)", () => {
  const R = ACT.relu,
    N = ACT.normal_cdf,
    S = ACT.sigmoid2;
  const cases: [number, number[], number][] = [
    [R, [0.3, 0.1, 0.4, -0.2, 0.3], 0.021658846697916012],
    [R, [-0.3, 0.1, 0.4, 0.2, 0.3], 0.03421290180240383],
    [R, [1.2, -0.5, 0.7, 0.3, -0.6], 0.030405535460780272],
    [N, [0.3, 0.1, 0.4, -0.2, 0.3], 0.23442210767289234],
    [N, [1.2, -0.5, 0.7, 0.3, -0.6], 0.1839776659203441],
    [S, [0.3, 0.1, 0.4, -0.2, 0.3], 0.008697960705962515],
    [S, [1.2, -0.5, 0.7, 0.3, -0.6], -0.2071271652805564],
  ];
  it("G2 values", () => {
    for (const [k, p, v] of cases) expect(Math.abs(gh.g2(k, k, p)[0] - v)).toBeLessThanOrEqual(1e-15);
  });
  it("normal_cdf G1(0.7, 0.3) = 0.40711457912447147", () => {
    expect(Math.abs(gh.g1(N, 0.7, 0.3)[0] - 0.40711457912447147)).toBeLessThanOrEqual(1e-16);
  });
});

/** Central differences of the value (gradient) and of the gradient (Hessian) of a closed form. */
function fdCheck(fn: (p: number[]) => number[], p: number[], tol: number): void {
  const nv = p.length;
  const base = fn(p);
  const hi = nv === 2 ? hix1 : hix;
  for (let i = 0; i < nv; i++) {
    const step = 1e-6 * Math.max(1, Math.abs(p[i]));
    const pp = p.slice(),
      pm = p.slice();
    pp[i] += step;
    pm[i] -= step;
    const fp = fn(pp),
      fm = fn(pm);
    const g = (fp[0] - fm[0]) / (2 * step);
    expect(Math.abs(g - base[1 + i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(g)));
    for (let j = 0; j < nv; j++) {
      const h = (fp[1 + j] - fm[1 + j]) / (2 * step);
      expect(Math.abs(h - base[hi(i, j)])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(h)));
    }
  }
}

describe("closed-form derivatives vs central differences of the closed forms", () => {
  const pts2 = [
    [0.3, 0.1, 0.4, -0.2, 0.3],
    [-0.3, 0.1, 0.4, 0.2, 0.3],
    [1.2, -0.5, -0.7, 0.3, -0.6],
    [0.8, 0.3, 0.5, -0.2, 0.99],
    [0.05, -0.1, 0.6, 0.3, -0.5],
    [0.1, 3.9, 0.6, -0.4, 0.8],
  ];
  const pts1 = [
    [0.3, 0.1],
    [-0.3, -0.1],
    [0.7, 0.3],
    [0.05, -0.1],
    [2.5, -2],
  ];
  for (const name of CLOSED) {
    const k = ACT[name];
    it(name, () => {
      for (const p of pts2) fdCheck((q) => gh.g2(k, k, q), p, 1e-7);
      for (const p of pts1) {
        fdCheck((q) => gh.m(k, q[0], q[1]), p, 1e-7);
        fdCheck((q) => gh.g1(k, q[0], q[1]), p, 1e-7);
      }
    });
  }
});

describe("closed forms vs quadrature of the derivative kinds", () => {
  // G2: the adaptive rule (its u-entries are the exact integral's Price forms; the fixed Gauss–Hermite
  // rule differentiates its discrete sum, which near |u| = 1 loses digits to cancellation)
  // the grid of the original's "fast integrals" test (inventory §f item 13)
  const grid2: number[][] = [];
  for (const r1 of [-0.3, 0.3])
    for (const b1 of [-0.1, 0, 0.1]) for (const r2 of [-0.4, 0.4]) for (const b2 of [-0.2, 0, 0.2]) grid2.push([r1, b1, r2, b2, 0.3]);
  grid2.push([1.2, -0.5, 0.7, 0.3, -0.999], [0.9, 0.4, 1.1, -0.2, 1], [0.9, 0.4, 1.1, -0.2, -1], [0, 0.3, 0.8, 0.1, 0.5]);
  const grid1: number[][] = [];
  for (const r of [-0.3, 0.3, 0, 1.7]) for (const b of [-0.1, 0, 0.1]) grid1.push([r, b]);
  const SMOOTH_TOL = 1e-14;

  for (const [a, b] of [
    ["normal_cdf", "normal_cdf"],
    ["sigmoid2", "sigmoid2"],
    ["normal_cdf", "sigmoid2"],
    ["sigmoid2", "normal_cdf"],
  ]) {
    it(`${a} × ${b}: all 21 entries of G2 at atol ${SMOOTH_TOL}`, () => {
      for (const p of grid2) {
        const c = gh.g2(ACT[a], ACT[b], p),
          q = adaptive.g2(ACT[a], ACT[b], p, 2, true);
        const e = Math.max(...c.map((v, i) => Math.abs(v - q[i])));
        if (!(e <= SMOOTH_TOL)) throw new Error(`G2 ${a} ${b} (${p}) differs by ${e}`);
      }
    });
  }
  for (const name of ["normal_cdf", "sigmoid2"]) {
    it(`${name}: the 12 one-point kinds of M and G1`, () => {
      for (const [r, b] of grid1) {
        for (const fn of [gh.m.bind(gh), gh.g1.bind(gh)]) {
          const c = fn(ACT[name], r, b),
            q = fn(ACT[name], r, b, 2, true);
          expect(Math.max(...c.map((v, i) => Math.abs(v - q[i])))).toBeLessThanOrEqual(SMOOTH_TOL);
        }
      }
    });
  }
  it("relu: values within the quadrature's kink error (1e−4, as the original's test, on its grid)", () => {
    const R = ACT.relu;
    for (const p of grid2.slice(0, 36)) expect(Math.abs(gh.g2(R, R, p)[0] - gh.g2(R, R, p, 0, true)[0])).toBeLessThanOrEqual(1e-4);
    for (const [r, b] of grid1.slice(0, 6)) {
      expect(Math.abs(gh.m(R, r, b)[0] - gh.m(R, r, b, 0, true)[0])).toBeLessThanOrEqual(1e-4);
      expect(Math.abs(gh.g1(R, r, b)[0] - gh.g1(R, r, b, 0, true)[0])).toBeLessThanOrEqual(1e-4);
    }
  });
});

describe("limits r → 0 and |u| → 1", () => {
  /** Entries of G2 that diverge for relu at the limit point (excluded from continuity). */
  function divergent(name: string, p: number[]): number[] {
    if (name !== "relu") return [];
    const out: number[] = [];
    if (p[0] === 0 && p[1] === 0) out.push(hix(1, 1)); // ∂b₁∂b₁ = r₂φ(0)C₁/r₁
    if (p[2] === 0 && p[3] === 0) out.push(hix(3, 3));
    return out;
  }

  for (const name of CLOSED) {
    const k = ACT[name];
    it(`${name}: r = 0 exactly is finite and the limit of r → 0⁺ (G2, M, G1)`, () => {
      for (const p of [
        [0, 0.3, 0.7, 0.1, 0.4],
        [0, -0.3, 0.7, 0.1, 0.4],
        [0, 0, 0.7, 0.1, 0.4],
        [0.6, 0.2, 0, 0.5, -0.3],
        [0, 0.2, 0, -0.5, 0.5],
        [0, 0, 0, 0, 0.5],
      ]) {
        const at = gh.g2(k, k, p);
        expect(allFinite(at)).toBe(true);
        const near = p.slice();
        if (near[0] === 0) near[0] = 1e-9;
        if (near[2] === 0) near[2] = 1e-9;
        const nv = gh.g2(k, k, near);
        const skip = new Set(divergent(name, p));
        for (let i = 0; i < 21; i++) {
          if (skip.has(i)) continue;
          if (!(Math.abs(at[i] - nv[i]) <= 1e-7 * Math.max(1, Math.abs(at[i]))))
            throw new Error(`${name} G2(${p})[${i}] = ${at[i]}, at r = 1e-9: ${nv[i]}`);
        }
      }
      for (const b of [0.3, -0.3, 0]) {
        for (const which of ["m", "g1"] as const) {
          const fn = which === "m" ? gh.m.bind(gh) : gh.g1.bind(gh);
          const at = fn(k, 0, b),
            nv = fn(k, 1e-9, b);
          expect(allFinite(at)).toBe(true);
          for (let i = 0; i < 6; i++) {
            if (name === "relu" && b === 0 && i === 5 && which === "m") continue; // ∂b∂b M = φ(0)/r diverges
            expect(Math.abs(at[i] - nv[i])).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(at[i])));
          }
        }
      }
    });

    it(`${name}: u = ±1 exactly is finite and the limit of |u| → 1`, () => {
      for (const p of [
        [0.8, 0.3, 0.5, -0.2, 1],
        [0.8, 0.3, 0.5, -0.2, -1],
        [1, 0.5, 1, 0.5, 1],
        [1, 0.5, -1, -0.5, -1],
        [1.3, -0.4, 0.6, 0.9, 1],
      ]) {
        const at = gh.g2(k, k, p);
        expect(allFinite(at)).toBe(true);
        const near = p.slice();
        near[4] *= 1 - 1e-13;
        const nv = gh.g2(k, k, near);
        const coincide = name === "relu" && Math.abs(p[1] / p[0] - (p[4] * p[3]) / p[2]) < 1e-12;
        for (let i = 0; i < 21; i++) {
          if (i === hix(4, 4) && name === "relu") continue; // ∂u∂u = r₁r₂φ₂ → 0 or ∞
          // at coinciding kinks the u-derivatives converge like √(1 − |u|)
          const tol = coincide ? 1e-5 : 1e-7;
          if (!(Math.abs(at[i] - nv[i]) <= tol * Math.max(1, Math.abs(at[i]))))
            throw new Error(`${name} G2(${p})[${i}] = ${at[i]}, near: ${nv[i]}`);
        }
      }
      // clamping: |u| > 1 is treated as ±1
      expect(gh.g2(k, k, [0.8, 0.3, 0.5, -0.2, 1.5])).toEqual(gh.g2(k, k, [0.8, 0.3, 0.5, -0.2, 1]));
    });
  }

  it("a relu unit with |b/r| > 40 is exactly linear or zero, continuous across the switch", () => {
    const R = ACT.relu;
    for (const s of [1, -1]) {
      const lo = gh.g2(R, R, [0.1, s * 3.9999, 0.6, -0.4, 0.8]);
      const hi = gh.g2(R, R, [0.1, s * 4.0001, 0.6, -0.4, 0.8]);
      expect(maxScaledErr(lo, hi)).toBeLessThanOrEqual(1e-3);
      const lo1 = gh.m(R, 0.1, s * 3.9999),
        hi1 = gh.m(R, 0.1, s * 4.0001);
      expect(maxScaledErr(lo1, hi1)).toBeLessThanOrEqual(1e-3);
    }
    expect(gh.g2(R, R, [0.1, -5, 0.6, -0.4, 0.8]).every((v) => v === 0)).toBe(true);
  });
});

describe("extreme inputs", () => {
  it("every closed-form output is finite for |r|, |b| ∈ {0} ∪ [1e−200, 1e100], u ∈ [−1, 1] (seeded sample)", () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const mag = (): number => (rand() < 0.1 ? 0 : (rand() < 0.5 ? -1 : 1) * 10 ** (-200 + 300 * rand()));
    const U = [-1, -1 + 2 ** -53, -0.999999, 1 - 2 ** -53, 1];
    for (let t = 0; t < 1500; t++) {
      const p = [mag(), mag(), mag(), mag(), rand() < 0.3 ? U[Math.floor(rand() * U.length)] : 2 * rand() - 1];
      for (const name of CLOSED) {
        const k = ACT[name];
        const v = gh.g2(k, k, p);
        if (!allFinite(v)) throw new Error(`${name} G2(${p}) = ${v}`);
        if (!allFinite(gh.m(k, p[0], p[1])) || !allFinite(gh.g1(k, p[0], p[1]))) throw new Error(`${name} M/G1(${p.slice(0, 2)})`);
      }
    }
  });
});

describe("output layout", () => {
  it("derivs = 0, 1, 2 write 1, 6, 21 (2-D) and 1, 3, 6 (1-D) entries, equal to the full result", () => {
    for (const name of CLOSED) {
      const k = ACT[name];
      const full2 = gh.g2(k, k, [0.3, 0.1, 0.4, -0.2, 0.3]);
      const full1 = gh.g1(k, 0.3, 0.1);
      for (const d of [0, 1]) {
        expect(gh.g2(k, k, [0.3, 0.1, 0.4, -0.2, 0.3], d)).toEqual(full2.slice(0, COUNT2[d]));
        expect(gh.g1(k, 0.3, 0.1, d)).toEqual(full1.slice(0, COUNT1[d]));
      }
    }
  });
});
