// net.hvp (R-operator pass) against the exact Hessian times v, and against finite differences of
// the gradient along v; every activation, biases on/off, depth 1–4, several outputs, softmax,
// sample weights, chunk boundaries and the regularisers.
import { describe, expect, it } from "vitest";
import { ACTIVATIONS, MLPGFError, Net, NetI, TeacherNet } from "../src/index.js";
import { randn, relErr, rng } from "./helpers/reference.js";

type Spec = readonly [number, unknown, boolean];
type Case = { name: string; layers: Spec[]; din: number; n: number; weights?: boolean };

const hidden = ACTIVATIONS.filter((a) => a !== "softmax");

const cases: Case[] = [
  { name: "linear regression", layers: [[2, "identity", true]], din: 3, n: 7 },
  { name: "one layer tanh, 3 outputs", layers: [[3, "tanh", false]], din: 2, n: 9 },
  ...hidden.map(
    (a): Case => ({
      name: `${a} hidden, identity output`,
      layers: [
        [4, a, true],
        [2, "identity", true],
      ],
      din: 3,
      n: 11,
    }),
  ),
  {
    name: "softplus, 3 hidden layers without biases",
    layers: [
      [5, "softplus", false],
      [4, "tanh", false],
      [3, "gelu", false],
      [2, "identity", false],
    ],
    din: 2,
    n: 10,
  },
  {
    name: "mixed activations per layer + tanh output",
    layers: [
      [4, ["square", "cube", "sigmoid", "exp"], true],
      [3, { poly: [0.2, 0.3, -0.3, 0.4] }, true],
      [2, "tanh", false],
    ],
    din: 3,
    n: 9,
  },
  {
    name: "normal_cdf/sigmoid/softmax, weights",
    layers: [
      [4, "normal_cdf", true],
      [3, "sigmoid", true],
      [4, "softmax", true],
    ],
    din: 2,
    n: 14,
    weights: true,
  },
  { name: "softmax only", layers: [[3, "softmax", true]], din: 4, n: 8 },
  {
    name: "several chunks, N mod 4 = 3",
    layers: [
      [6, "softplus", true],
      [5, "silu", true],
      [3, "identity", true],
    ],
    din: 2,
    n: 603,
    weights: true,
  },
  {
    name: "softmax, several chunks",
    layers: [
      [7, "tanh", true],
      [5, "softmax", true],
    ],
    din: 3,
    n: 515,
  },
];

function setup(c: Case, seed: number) {
  const r = rng(seed);
  const input = randn(r, c.n, c.din);
  const last = c.layers[c.layers.length - 1];
  const softmax = last[1] === "softmax";
  const dout = last[0];
  const target = softmax ? input.map(() => Math.floor(r() * dout)) : randn(r, c.n, dout);
  const weights = c.weights ? input.map(() => r() * 2) : undefined;
  const net = new Net({ layers: c.layers as never, input, target, weights });
  const x = net.randomParams({ seed });
  for (let i = 0; i < x.length; i++) x[i] += 0.3 * (r() - 0.5);
  const v = Float64Array.from(randn(r, net.nparams, 1).map((row) => row[0]));
  return { net, x, v, r };
}

/** H·v in plain TS from a row-major P × P matrix. */
function matVec(H: Float64Array, v: Float64Array): Float64Array {
  const P = v.length;
  const out = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    let s = 0;
    for (let j = 0; j < P; j++) s += H[i * P + j] * v[j];
    out[i] = s;
  }
  return out;
}

describe.each(cases)("$name", (c) => {
  it("hvp equals hessian·v to 1e-13 for three directions", () => {
    const { net, x, v } = setup(c, 11);
    const H = net.hessian(x).data;
    for (const dir of [v, v.map((t, i) => (i % 3 === 0 ? t : 0)), v.map((_, i) => (i === 1 ? 1 : 0))]) {
      expect(relErr(net.hvp(x, dir), matVec(H, dir))).toBeLessThan(1e-13);
    }
    net.dispose();
  });

  it("hvp matches central differences of the gradient along v", () => {
    const { net, x, v } = setup(c, 12);
    const h = 1e-5;
    const gp = net.gradient(x.map((t, i) => t + h * v[i]));
    const gm = net.gradient(x.map((t, i) => t - h * v[i]));
    const fd = gp.map((t, i) => (t - gm[i]) / (2 * h));
    expect(relErr(net.hvp(x, v), fd)).toBeLessThan(1e-6);
    net.dispose();
  });
});

describe("hvp options", () => {
  const c = cases.find((k) => k.name.startsWith("several chunks"))!;

  it("per-call weights, maxnorm and merge match hessian·v with the same options", () => {
    const { net, x, v, r } = setup(c, 21);
    const weights = Array.from({ length: c.n }, () => r());
    for (const opts of [
      { weights },
      { maxnorm: 0.01 },
      { merge: { layer: 1, pair: [0, 3] as [number, number], lambda: 0.7 } },
      { weights, maxnorm: 0, merge: { layer: 0, pair: [5, 1] as [number, number], lambda: 2 } },
    ]) {
      const H = net.hessian(x, opts).data;
      expect(relErr(net.hvp(x, v, opts), matVec(H, v))).toBeLessThan(1e-13);
    }
    // the per-call weights did not stay: the plain product is unchanged
    expect(relErr(net.hvp(x, v), matVec(net.hessian(x).data, v))).toBeLessThan(1e-13);
    net.dispose();
  });

  it("is linear in v and symmetric: u·(Hv) = v·(Hu)", () => {
    const { net, x, v, r } = setup(c, 22);
    const u = Float64Array.from(v, () => r() - 0.5);
    const hv = net.hvp(x, v),
      hu = net.hvp(x, u);
    let a = 0,
      b = 0,
      s = 0;
    for (let i = 0; i < v.length; i++) {
      a += u[i] * hv[i];
      b += v[i] * hu[i];
      s += Math.abs(u[i] * hv[i]);
    }
    expect(Math.abs(a - b)).toBeLessThan(1e-13 * s);
    const h2 = net.hvp(
      x,
      v.map((t, i) => 2 * t - 3 * u[i]),
    );
    expect(
      relErr(
        h2,
        hv.map((t, i) => 2 * t - 3 * hu[i]),
      ),
    ).toBeLessThan(1e-13);
    net.dispose();
  });

  it("bad v throws SHAPE / VALUE; a disposed net DISPOSED", () => {
    const { net, x, v } = setup(c, 23);
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return null;
    };
    const e1 = err(() => net.hvp(x, v.subarray(1)));
    expect(e1).toBeInstanceOf(MLPGFError);
    expect((e1 as MLPGFError).code).toBe("SHAPE");
    const bad = v.slice();
    bad[2] = NaN;
    expect((err(() => net.hvp(x, bad)) as MLPGFError).code).toBe("VALUE");
    net.dispose();
    expect((err(() => net.hvp(x, v)) as MLPGFError).code).toBe("DISPOSED");
  });
});

describe("NetI.hvp (Hessian times v)", () => {
  it("matches central differences of the expected gradient along v", () => {
    const teacher = new TeacherNet({
      layers: [
        [3, "relu", true],
        [1, "identity", false],
      ],
      din: 3,
      seed: 3,
    });
    const neti = new NetI(teacher, {
      layers: [
        [2, "relu", true],
        [1, "identity", true],
      ],
    });
    const r = rng(5);
    const x = neti.randomParams({ seed: 4 });
    const v = Float64Array.from({ length: neti.nparams }, () => r() - 0.5);
    const h = 1e-5;
    const gp = neti.gradient(x.map((t, i) => t + h * v[i]));
    const gm = neti.gradient(x.map((t, i) => t - h * v[i]));
    expect(
      relErr(
        neti.hvp(x, v),
        gp.map((t, i) => (t - gm[i]) / (2 * h)),
      ),
    ).toBeLessThan(1e-6);
    neti.dispose();
  });
});
