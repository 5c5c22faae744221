import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MLPGFError, NetI, TeacherNet } from "../src/index.js";
import type { LayerSpec } from "../src/index.js";
import { relErr } from "./helpers/reference.js";

// NetI on the quadrature path (activations without closed forms) against neti.json (gen_neti.py:
// moments E[fₚ^(a) f_q^(b) x̃x̃ᵀ] of every pair by tensor composite Gauss–Legendre rules in the pair's
// own basis, checked by refinement; loss, gradient and Hessian assembled from them by differentiation
// under the integral), and the consistency of loss, gradient and Hessian at fixed Gauss–Hermite orders.

interface Case {
  name: string;
  din: number;
  teacher: { layers: LayerSpec[]; params: number[] };
  layers: LayerSpec[];
  x: number[];
  loss: number;
  gradient: number[];
  hessian: number[];
  check: number;
}
const fixture: { cases: Case[] } = JSON.parse(readFileSync(new URL("./fixtures/neti.json", import.meta.url), "utf8"));

const TOL = 1e-12;

function build(c: Case, quadratureOrder?: number): { teacher: TeacherNet; net: NetI } {
  const teacher = new TeacherNet({ layers: c.teacher.layers, din: c.din, params: c.teacher.params });
  const net = new NetI(teacher, { layers: c.layers, quadratureOrder });
  return { teacher, net };
}

/** Central differences of f along each coordinate, Richardson-extrapolated (steps h and h/2). */
function fdRichardson(f: (x: Float64Array) => number, x: Float64Array, h: number): Float64Array {
  const g = new Float64Array(x.length);
  const y = Float64Array.from(x);
  const cd = (i: number, s: number): number => {
    y[i] = x[i] + s;
    const a = f(y);
    y[i] = x[i] - s;
    const b = f(y);
    y[i] = x[i];
    return (a - b) / (2 * s);
  };
  for (let i = 0; i < x.length; i++) g[i] = (4 * cd(i, h / 2) - cd(i, h)) / 3;
  return g;
}

describe("NetI quadrature accuracy (default adaptive rule) against an independent quadrature", () => {
  it("the fixture's own refinement check is far below the tolerance", () => {
    for (const c of fixture.cases) expect(c.check).toBeLessThan(1e-14);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))("%s: loss, gradient, Hessian ≤ 1e-12 relative", (_name, c) => {
    const { teacher, net } = build(c);
    const x = Float64Array.from(c.x);
    const { loss, gradient } = net.lossAndGradient(x);
    expect(Math.abs(loss - c.loss) / Math.abs(c.loss)).toBeLessThanOrEqual(TOL);
    expect(relErr(gradient, c.gradient)).toBeLessThanOrEqual(TOL);
    expect(relErr(net.hessian(x).data, c.hessian)).toBeLessThanOrEqual(TOL);
    net.dispose();
    teacher.dispose();
  });

  it("the issue's case (g teacher with biases, gelu student, D = 2): Gauss–Hermite order 600 misses by ≫ 1e-12, the adaptive rule does not", () => {
    const c = fixture.cases[0];
    const gh = build(c, 600);
    const ad = build(c);
    const e600 = Math.abs(gh.net.loss(c.x) - c.loss) / c.loss;
    const eAd = Math.abs(ad.net.loss(c.x) - c.loss) / c.loss;
    expect(e600).toBeGreaterThan(1e-11);
    expect(eAd).toBeLessThanOrEqual(TOL);
    for (const b of [gh, ad]) {
      b.net.dispose();
      b.teacher.dispose();
    }
  });
});

describe("NetI: loss, gradient and Hessian are one function at every order", () => {
  // Each gradient is the derivative of the discrete loss that the same rule gives: Richardson-
  // extrapolated central differences of the loss (error ≈ h⁴, h = 1e-3) and of the gradient for the
  // Hessian. Before, the fixed rule paired the exact integral's u-derivative (Price's theorem) with
  // its discrete loss: this test then fails (order 2: 1e-1 to 1e-2 relative on the first cases).
  const orders: (number | undefined)[] = [2, 5, 20, 40, 600, undefined];
  it.each(fixture.cases.slice(0, 4).map((c) => [c.name, c] as const))("%s", (_name, c) => {
    for (const order of orders) {
      const { teacher, net } = build(c, order);
      const x = Float64Array.from(c.x);
      const g = net.gradient(x);
      const fd = fdRichardson((y) => net.loss(y), x, 1e-3);
      const eg = relErr(g, fd);
      if (!(eg <= 1e-9)) throw new Error(`order ${order}: gradient vs differences of the loss ${eg}`);
      const H = net.hessian(x).data;
      const P = net.nparams;
      const fdH = new Float64Array(P * P);
      for (let j = 0; j < P; j++) {
        const col = fdRichardson((y) => net.gradient(y)[j], x, 1e-3);
        for (let i = 0; i < P; i++) fdH[j * P + i] = col[i];
      }
      const eh = relErr(H, fdH);
      if (!(eh <= 1e-8)) throw new Error(`order ${order}: Hessian vs differences of the gradient ${eh}`);
      net.dispose();
      teacher.dispose();
    }
  });
});

describe("NetI with kinked units (relu, selu): loss, gradient and Hessian are one function (default rule)", () => {
  // The δ parts of relu″ and selu″ (point terms on the kink) enter the Hessian only through kinked
  // student units; the loss is smooth in the parameters (Gaussian smoothing of the kinks), so
  // Richardson differences (h = 1e-3, error ≈ h⁴) of the loss and of the gradient are an independent check.
  const cases: [string, string, string, number][] = [
    ["selu student, relu teacher, D = 3", "selu", "relu", 3],
    ["relu student, softplus teacher, D = 2", "relu", "softplus", 2],
    ["relu student, selu teacher, D = 4", "relu", "selu", 4],
    ["softplus student, relu teacher, D = 10", "softplus", "relu", 10],
  ];
  it.each(cases)("%s", (_name, sact, tact, din) => {
    const teacher = new TeacherNet({
      layers: [
        [2, tact as LayerSpec[1], true],
        [1, "identity", true],
      ],
      din,
      seed: 3,
    });
    const net = new NetI(teacher, {
      layers: [
        [2, sact as LayerSpec[1], true],
        [1, "identity", true],
      ],
    });
    const x = net.randomParams({ seed: 4 });
    const g = net.gradient(x);
    expect(
      relErr(
        g,
        fdRichardson((y) => net.loss(y), x, 1e-3),
      ),
    ).toBeLessThanOrEqual(1e-9);
    const H = net.hessian(x).data;
    const P = net.nparams;
    const fdH = new Float64Array(P * P);
    for (let j = 0; j < P; j++) {
      const col = fdRichardson((y) => net.gradient(y)[j], x, 1e-3);
      for (let i = 0; i < P; i++) fdH[j * P + i] = col[i];
    }
    expect(relErr(H, fdH)).toBeLessThanOrEqual(1e-8);
    net.dispose();
    teacher.dispose();
  });
});

describe("NetI quadratureOrder option", () => {
  const layers: LayerSpec[] = [
    [2, "softplus", true],
    [1, "identity", true],
  ];
  it("accepts integers in 2..4000 and omission", () => {
    const teacher = new TeacherNet({ layers, din: 2, seed: 1 });
    for (const q of [2, 600, 4000, undefined]) {
      const net = new NetI(teacher, { layers, quadratureOrder: q });
      expect(Number.isFinite(net.loss(net.randomParams({ seed: 1 })))).toBe(true);
      expect(net.quadratureOrder).toBe(q);
      net.dispose();
    }
    teacher.dispose();
  });

  it("rejects everything else with OPTION naming it (no trap, no silent 0)", () => {
    const teacher = new TeacherNet({ layers, din: 2, seed: 1 });
    for (const q of [-1e9, -5, 0, 1, 1.5, 4001, 1e9, Number.NaN, Number.POSITIVE_INFINITY, "600", null, [600], {}]) {
      let err: unknown;
      try {
        new NetI(teacher, { layers, quadratureOrder: q as number }).dispose();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MLPGFError);
      expect((err as MLPGFError).code).toBe("OPTION");
      expect((err as MLPGFError).message).toContain("quadratureOrder");
    }
    teacher.dispose();
  });
});
