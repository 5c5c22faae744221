import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getEngine } from "../src/engine/kernels.js";

// Oracle: test/fixtures/activations.json, written by gen_activations.py from mpmath (textbook formulas
// of inventory §b.2, rounded to the nearest double).
interface KindFixture {
  id: number;
  d0: number[];
  d1: number[];
  d2: number[];
  m0?: number[];
  m1?: number[];
  m2?: number[];
}
interface Fixture {
  poly: number[];
  x: number[];
  kinds: Record<string, KindFixture>;
  dense: { x: number[]; kinds: Record<string, KindFixture> };
  exp: { x: number[]; exp: number[] };
  erf: { x: number[]; erf: number[]; erfc: number[] };
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/activations.json", import.meta.url), "utf8")) as Fixture;

/**
 * Bound asserted for every activation value and derivative: |got − want| ≤ REL_TOL·scale + ABS_TOL with
 * scale = |want|, except where the quantity is a sum of terms of both signs (poly; g″; silu′, silu″;
 * gelu′, gelu″), where scale = Σ|termᵢ| from the fixture (m0/m1/m2): near a zero of such a sum no
 * evaluation of the formula is relatively accurate. tanh′ and σ′ use the stable forms 4e/(1+e)² and
 * e/(1+e)² (e = e^(−2|x|), e^(−|x|)), so they are held to the relative bound even where 1 − y² would
 * cancel; softplus's cutoff at 34 changes nothing (x + log1p(e^(−x)) rounds to x there).
 */
const REL_TOL = 1e-14;
/** Absolute floor, for results that underflow to (sub)normal-tiny values or 0 (≈ 1e−300). */
const ABS_TOL = 1e-300;
const KIND_NAMES = Object.keys(fx.kinds);

const e = getEngine();
const ex = e.exports;

const bits = new BigInt64Array(1);
const bitsF = new Float64Array(bits.buffer);
/** Position of a double on the monotone integer line of doubles (−0 and +0 both map to 0). */
function ordinal(v: number): bigint {
  bitsF[0] = v;
  const b = bits[0];
  return b < 0n ? -(b & 0x7fffffffffffffffn) : b;
}
/** Distance in units in the last place, from the bit patterns. */
function ulpDist(a: number, b: number): number {
  const d = ordinal(a) - ordinal(b);
  return Number(d < 0n ? -d : d);
}

interface Run {
  a: Float64Array;
  a1: Float64Array;
  a2: Float64Array;
}

const SENTINEL = 12345.678;
const GUARD = 4; // sentinel doubles after each output array

/**
 * Runs activate(kind) on xs with the given derivs. Each output array is followed by GUARD sentinels and
 * the derivative arrays start filled with sentinels; checks that nothing out of range was written and
 * that arrays beyond `derivs` are untouched. Returns copies of the outputs.
 */
function run(kind: number, xs: ArrayLike<number>, derivs: number, coef: number[] = []): Run {
  const n = xs.length;
  const span = 8 * (n + GUARD);
  const pz = e.alloc(span),
    pa = e.alloc(span),
    pa1 = e.alloc(span),
    pa2 = e.alloc(span);
  const pc = e.alloc(8 * Math.max(coef.length, 1));
  try {
    for (const p of [pz, pa, pa1, pa2]) e.f64(p, n + GUARD).fill(SENTINEL);
    e.f64(pz, n).set(xs);
    e.f64(pc, coef.length).set(coef);
    ex.activate(kind, pc, coef.length, pz, pa, pa1, pa2, n, derivs);
    const z = e.f64(pz, n + GUARD);
    for (let i = 0; i < n; i++) expect(Object.is(z[i], xs[i])).toBe(true); // input unchanged
    for (const [p, written] of [
      [pa, true],
      [pa1, derivs >= 1],
      [pa2, derivs >= 2],
    ] as const) {
      const v = e.f64(p, n + GUARD);
      for (let i = written ? n : 0; i < n + GUARD; i++) expect(v[i]).toBe(SENTINEL);
    }
    return { a: e.f64(pa, n).slice(), a1: e.f64(pa1, n).slice(), a2: e.f64(pa2, n).slice() };
  } finally {
    for (const p of [pz, pa, pa1, pa2, pc]) e.free(p);
  }
}

/** max over i of |got − want| / scale, scale = max(mag ?? |want|, ABS_TOL/REL_TOL); fails above REL_TOL. */
function checkClose(label: string, xs: number[], got: Float64Array, want: number[], mag?: number[]): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const scale = Math.max(mag ? mag[i] : Math.abs(want[i]), ABS_TOL / REL_TOL);
    const err = got[i] === want[i] ? 0 : Math.abs(got[i] - want[i]) / scale;
    if (!(err <= REL_TOL)) {
      expect.fail(`${label} at x = ${xs[i]}: got ${got[i]}, want ${want[i]} (relative error ${err})`);
    }
    worst = Math.max(worst, err);
  }
  return worst;
}

describe("erf / erfc (fdlibm port)", () => {
  it("are within 2 ulp of mpmath on [−7, 7], at fdlibm's breakpoints and in erfc's tail up to 27", () => {
    const { x, erf, erfc } = fx.erf;
    expect(x.length).toBeGreaterThanOrEqual(2000);
    let worstErf = 0,
      worstErfc = 0;
    for (let i = 0; i < x.length; i++) {
      const de = ulpDist(ex.erf(x[i]), erf[i]);
      const dc = ulpDist(ex.erfc(x[i]), erfc[i]);
      if (de > 2) expect.fail(`erf(${x[i]}) = ${ex.erf(x[i])}, want ${erf[i]} (${de} ulp)`);
      if (dc > 2) expect.fail(`erfc(${x[i]}) = ${ex.erfc(x[i])}, want ${erfc[i]} (${dc} ulp)`);
      worstErf = Math.max(worstErf, de);
      worstErfc = Math.max(worstErfc, dc);
    }
    console.log(`erf max error ${worstErf} ulp, erfc max error ${worstErfc} ulp (${x.length} points)`);
  });

  it("handle signed zeros, infinities, NaN and tail underflow", () => {
    expect(Object.is(ex.erf(-0), -0)).toBe(true);
    expect(Object.is(ex.erf(0), 0)).toBe(true);
    expect(ex.erf(Infinity)).toBe(1);
    expect(ex.erf(-Infinity)).toBe(-1);
    expect(ex.erfc(Infinity)).toBe(0);
    expect(ex.erfc(-Infinity)).toBe(2);
    expect(ex.erfc(0)).toBe(1);
    expect(ex.erfc(30)).toBe(0);
    expect(ex.erfc(-30)).toBe(2);
    expect(ex.erf(Number.NaN)).toBeNaN();
    expect(ex.erfc(Number.NaN)).toBeNaN();
  });
});

describe("activate", () => {
  it("uses the kind numbers of the spec", () => {
    const ids = Object.fromEntries(KIND_NAMES.map((k) => [k, fx.kinds[k].id]));
    expect(ids).toEqual({
      identity: 0,
      relu: 1,
      sigmoid: 2,
      softplus: 3,
      g: 4,
      tanh: 5,
      gelu: 6,
      silu: 7,
      selu: 8,
      square: 9,
      cube: 10,
      sigmoid2: 11,
      normal_cdf: 12,
      exp: 13,
      poly: 14,
    });
  });

  for (const name of KIND_NAMES) {
    it(`${name}: f, f′, f″ match mpmath to ${REL_TOL} relative`, () => {
      const k = fx.kinds[name];
      const xs = fx.x;
      expect(xs.length % 2).toBe(1); // exercises the odd tail
      const r = run(k.id, xs, 2, fx.poly);
      const errs = [
        checkClose(`${name}`, xs, r.a, k.d0, k.m0),
        checkClose(`${name}'`, xs, r.a1, k.d1, k.m1),
        checkClose(`${name}''`, xs, r.a2, k.d2, k.m2),
      ];
      console.log(
        `${name}: max relative error f ${errs[0].toExponential(2)}, f' ${errs[1].toExponential(2)}, f'' ${errs[2].toExponential(2)}`,
      );
      // fewer derivatives give the same values (and leave the other arrays alone: see run())
      const r0 = run(k.id, xs, 0, fx.poly);
      const r1 = run(k.id, xs, 1, fx.poly);
      expect(r0.a).toEqual(r.a);
      expect(r1.a).toEqual(r.a);
      expect(r1.a1).toEqual(r.a1);
    });
  }

  for (const name of Object.keys(fx.dense.kinds)) {
    it(`${name}: f, f′, f″ match mpmath at 1,000 more points in [−40, 40]`, () => {
      const k = fx.dense.kinds[name];
      const xs = fx.dense.x;
      const r = run(k.id, xs, 2);
      const errs = [
        checkClose(`${name}`, xs, r.a, k.d0, k.m0),
        checkClose(`${name}'`, xs, r.a1, k.d1, k.m1),
        checkClose(`${name}''`, xs, r.a2, k.d2, k.m2),
      ];
      console.log(
        `${name} (dense): max relative error f ${errs[0].toExponential(2)}, f' ${errs[1].toExponential(2)}, f'' ${errs[2].toExponential(2)}`,
      );
    });
  }

  it("exp (the vector exp of the kernels) is within 2 ulp of mpmath over [−745.2, 709.78]", () => {
    const { x, exp } = fx.exp;
    const r = run(fx.kinds.exp.id, x, 0);
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      const d = ulpDist(r.a[i], exp[i]);
      if (d > 2) expect.fail(`exp(${x[i]}) = ${r.a[i]}, want ${exp[i]} (${d} ulp)`);
      worst = Math.max(worst, d);
    }
    console.log(`vector exp max error ${worst} ulp (${x.length} points)`);
  });

  it("softplus and σ (table-driven) are within 2 ulp of mpmath", () => {
    const xs = [...fx.x, ...fx.dense.x];
    const want = [fx.kinds.softplus, fx.dense.kinds.softplus];
    const d0 = [...want[0].d0, ...want[1].d0];
    const d1 = [...want[0].d1, ...want[1].d1];
    const r = run(fx.kinds.softplus.id, xs, 1);
    const worst = [0, 0];
    for (let i = 0; i < xs.length; i++) {
      const d = [ulpDist(r.a[i], d0[i]), ulpDist(r.a1[i], d1[i])];
      if (d[0] > 2 || d[1] > 2)
        expect.fail(`softplus(${xs[i]}) = ${r.a[i]}, σ = ${r.a1[i]}; want ${d0[i]}, ${d1[i]} (${d[0]}, ${d[1]} ulp)`);
      worst[0] = Math.max(worst[0], d[0]);
      worst[1] = Math.max(worst[1], d[1]);
    }
    console.log(`softplus max error ${worst[0]} ulp, σ ${worst[1]} ulp (${xs.length} points)`);
  });

  it("softplus: the table path (|x| ≤ 37.5) agrees with the exp-then-log path (f, f′ to 2 ulp, f″ = e/(1+e)² to 4), at the table's cell edges and its end", () => {
    // A pair of lanes takes the table only when both are inside it: [x, x] uses the table, [x, 40] the
    // exp and log1p of vmath. Points: cell centres and edges j/32 ± 1/64 (± 1 ulp), the end 37.5, tiny x.
    const xs: number[] = [0, -0, 5e-324, 1e-300, 1e-17, 37.5, -37.5, 37.499999999999993, -37.499999999999993];
    for (const j of [0, 1, 2, 31, 32, 33, 100, 511, 512, 1000, 1199, 1200]) {
      for (const off of [-1 / 64, 0, 1 / 64]) {
        const v = j / 32 + off;
        if (v < 0 || v > 37.5) continue;
        for (const u of [v, v * (1 + Number.EPSILON), v * (1 - Number.EPSILON)]) xs.push(u, -u);
      }
    }
    const table = run(
      fx.kinds.softplus.id,
      xs.flatMap((x) => [x, x]),
      2,
    );
    const slow = run(
      fx.kinds.softplus.id,
      xs.flatMap((x) => [x, 40]),
      2,
    );
    let worst = 0;
    const bound = { a: 2, a1: 2, a2: 4 }; // f″ is a product of three rounded factors on each side
    for (let i = 0; i < xs.length; i++) {
      for (const k of ["a", "a1", "a2"] as const) {
        const d = ulpDist(table[k][2 * i], slow[k][2 * i]);
        if (d > bound[k]) expect.fail(`softplus ${k} at x = ${xs[i]}: table ${table[k][2 * i]}, exp+log ${slow[k][2 * i]} (${d} ulp)`);
        worst = Math.max(worst, d);
      }
      expect(table.a[2 * i]).toBe(table.a[2 * i + 1]); // both lanes alike
    }
    console.log(`softplus table vs exp+log: max ${worst} ulp over ${xs.length} points`);
  });

  it("handles count = 0 and odd/even counts without writing out of range, for every kind and derivs", () => {
    const xs = fx.x.slice(0, 19);
    for (const name of KIND_NAMES) {
      const k = fx.kinds[name];
      const full = run(k.id, xs, 2, fx.poly);
      for (const n of [0, 1, 2, 3, 4, 5, 8, 17]) {
        for (const d of [0, 1, 2]) {
          const r = run(k.id, xs.slice(0, n), d, fx.poly);
          expect(r.a).toEqual(full.a.slice(0, n));
          if (d >= 1) expect(r.a1).toEqual(full.a1.slice(0, n));
          if (d >= 2) expect(r.a2).toEqual(full.a2.slice(0, n));
        }
      }
    }
  });

  it("may run in place (a = z)", () => {
    const xs = fx.x;
    const n = xs.length;
    for (const name of KIND_NAMES) {
      const k = fx.kinds[name];
      const want = run(k.id, xs, 2, fx.poly);
      const pz = e.alloc(8 * n),
        pa1 = e.alloc(8 * n),
        pa2 = e.alloc(8 * n),
        pc = e.alloc(32);
      e.f64(pz, n).set(xs);
      e.f64(pc, 4).set(fx.poly);
      ex.activate(k.id, pc, 4, pz, pz, pa1, pa2, n, 2);
      expect(e.f64(pz, n).slice()).toEqual(want.a);
      expect(e.f64(pa1, n).slice()).toEqual(want.a1);
      expect(e.f64(pa2, n).slice()).toEqual(want.a2);
      for (const p of [pz, pa1, pa2, pc]) e.free(p);
    }
  });

  it("poly: degenerate coefficient counts are the closed forms", () => {
    const xs = [-2.5, -1, 0, 0.75, 3];
    const poly = fx.kinds.poly.id;
    const r0 = run(poly, xs, 2, []);
    expect(Array.from(r0.a)).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(r0.a1)).toEqual([0, 0, 0, 0, 0]);
    const r1 = run(poly, xs, 2, [1.5]);
    expect(Array.from(r1.a)).toEqual([1.5, 1.5, 1.5, 1.5, 1.5]);
    expect(Array.from(r1.a1)).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(r1.a2)).toEqual([0, 0, 0, 0, 0]);
    const r2 = run(poly, xs, 2, [0.5, -2]);
    expect(Array.from(r2.a)).toEqual(xs.map((x) => 0.5 + -2 * x));
    expect(Array.from(r2.a1)).toEqual([-2, -2, -2, -2, -2]);
    expect(Array.from(r2.a2)).toEqual([0, 0, 0, 0, 0]);
  });

  it("relu′(0) = 0 and special inputs: ±∞, NaN", () => {
    const relu = run(fx.kinds.relu.id, [0, -0, 1e-300], 1);
    expect(Array.from(relu.a1)).toEqual([0, 0, 1]);
    const sp = run(fx.kinds.softplus.id, [Infinity, -Infinity, Number.NaN], 2);
    expect(Array.from(sp.a)).toEqual([Infinity, 0, Number.NaN]);
    expect(Array.from(sp.a1)).toEqual([1, 0, Number.NaN]);
    expect(Array.from(sp.a2)).toEqual([0, 0, Number.NaN]);
    const sg = run(fx.kinds.sigmoid.id, [Infinity, -Infinity, Number.NaN], 2);
    expect(Array.from(sg.a)).toEqual([1, 0, Number.NaN]);
    const th = run(fx.kinds.tanh.id, [Infinity, -Infinity, Number.NaN], 2);
    expect(Array.from(th.a)).toEqual([1, -1, Number.NaN]);
    expect(Array.from(th.a1)).toEqual([0, 0, Number.NaN]);
    const nc = run(fx.kinds.normal_cdf.id, [Infinity, -Infinity, Number.NaN], 2);
    expect(Array.from(nc.a)).toEqual([1, 0, Number.NaN]);
    expect(Array.from(nc.a1)).toEqual([0, 0, Number.NaN]);
    const ep = run(fx.kinds.exp.id, [Infinity, -Infinity, 710, Number.NaN], 0);
    expect(Array.from(ep.a)).toEqual([Infinity, 0, Infinity, Number.NaN]);
  });

  if (process.env.MLPGF_BUILD === "debug") {
    it("rejects an unknown kind (debug build)", () => {
      expect(() => run(15, [1, 2], 2)).toThrow(/unknown activation kind/);
    });
  }
});
