import { describe, expect, it, vi } from "vitest";
import { type ActivationName, MLPGFError, Net, NetI, TeacherNet, gaussHermiteNet } from "../src/index.js";
import { fdGradient, fdHessian, randn, relErr, rng } from "./helpers/reference.js";

const BIASES: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

function setup(
  D: number,
  tAct: ActivationName,
  sAct: ActivationName,
  [hb, ob]: [boolean, boolean],
  tb: [boolean, boolean] = [true, true],
  k = 2,
) {
  const teacher = new TeacherNet({
    layers: [
      [3, tAct, tb[0]],
      [1, "identity", tb[1]],
    ],
    din: D,
    seed: 3,
  });
  const layers = [
    [k, sAct, hb],
    [1, "identity", ob],
  ] as const;
  const neti = new NetI(teacher, { layers });
  const x = neti.randomParams({ seed: 4 }).map((v, i) => v + 0.3 * Math.cos(i + 1));
  return { teacher, layers, neti, x };
}

describe("NetI", () => {
  it.each([1, 2])("equals the Gauss–Hermite net (loss, gradient, Hessian, rtol 1e-10) for smooth activations, D = %i", (D) => {
    for (const act of ["tanh", "softplus", "gelu", "sigmoid", "silu", "g"] as const) {
      for (const [i, b] of BIASES.entries()) {
        const { teacher, layers, neti, x } = setup(D, "softplus", act, b, BIASES[(i + 1) % 4]);
        const gh = gaussHermiteNet(teacher, { layers });
        const a = neti.lossAndGradient(x);
        const r = gh.lossAndGradient(x);
        expect(Math.abs(a.loss - r.loss) / r.loss).toBeLessThan(1e-10);
        expect(relErr(a.gradient, r.gradient)).toBeLessThan(1e-10);
        // g = σ(4x) + softplus: f″ = 16σ″(4x) varies on a 4× shorter scale; the two 2-D rules (correlated
        // nodes in NetI, the tensor grid of the Gauss–Hermite net) resolve its Hessian to ≈2e-10
        expect(relErr(neti.hessian(x).data, gh.hessian(x).data)).toBeLessThan(act === "g" ? 3e-10 : 1e-10);
        gh.dispose();
        neti.dispose();
        teacher.dispose();
      }
    }
  });

  it("gradient and Hessian match finite differences for every activation and bias combination; Hessian symmetric", () => {
    // kinked activations (relu) against a teacher of the same kind: closed forms, exact at the kinks
    const pairs: [ActivationName, ActivationName][] = [
      ["relu", "relu"],
      ["normal_cdf", "normal_cdf"],
      ["sigmoid2", "sigmoid2"],
      ["normal_cdf", "sigmoid2"],
      ["softplus", "tanh"],
      ["tanh", "exp"],
      ["softplus", "square"],
      ["sigmoid", "cube"],
      ["tanh", "identity"],
      ["softplus", "gelu"],
    ];
    for (const [t, s] of pairs) {
      for (const b of BIASES) {
        const { teacher, neti, x } = setup(2, t, s, b);
        const g = neti.gradient(x);
        expect(
          relErr(
            g,
            fdGradient((y) => neti.loss(y), x),
          ),
        ).toBeLessThan(1e-7);
        const H = neti.hessian(x);
        const P = neti.nparams;
        for (let i = 0; i < P; i++) for (let j = 0; j < i; j++) expect(H.data[i * P + j]).toBe(H.data[j * P + i]);
        expect(
          relErr(
            H.data,
            fdHessian((y) => neti.gradient(y), x),
          ),
        ).toBeLessThan(1e-6);
        neti.dispose();
        teacher.dispose();
      }
    }
  });

  it("agrees with a sampled Net of 10⁵ Gaussian inputs within its statistical error", () => {
    const { teacher, layers, neti, x } = setup(3, "softplus", "tanh", [true, true]);
    const r = rng(11);
    const input = randn(r, 100_000, 3);
    const net = new Net({ layers, input, target: teacher.forward(input) });
    const out = net.forward(x).data;
    const tgt = teacher.forward(input).data;
    let s = 0;
    let s2 = 0;
    for (let n = 0; n < out.length; n++) {
      const l = (out[n] - tgt[n]) ** 2;
      s += l;
      s2 += l * l;
    }
    const mean = s / out.length;
    const se = Math.sqrt((s2 / out.length - mean * mean) / out.length);
    expect(Math.abs(net.loss(x) - mean)).toBeLessThan(1e-12 * mean);
    expect(Math.abs(neti.loss(x) - mean)).toBeLessThan(4 * se);
    net.dispose();
    neti.dispose();
    teacher.dispose();
  });

  it("known values: erf teacher of k orthonormal unit neurons; copy–average student with zero gradient", () => {
    for (const m of [1, 2, 3]) {
      const D = m;
      // teacher: identity weight matrix, unit output weights, no biases
      const w1 = Array.from({ length: m }, (_, i) => Array.from({ length: D }, (_, d) => (i === d ? 1 : 0)));
      const tp: number[] = [];
      for (let d = 0; d < D; d++) for (let i = 0; i < m; i++) tp.push(w1[i][d]);
      for (let i = 0; i < m; i++) tp.push(1);
      const teacher = new TeacherNet({
        layers: [
          [m, "sigmoid2", false],
          [1, "identity", false],
        ],
        din: D,
        params: tp,
      });
      const neti = new NetI(teacher, {
        layers: [
          [1, "sigmoid2", false],
          [1, "identity", false],
        ],
      });
      // student output 0: the loss is the teacher's self-energy k/3
      expect(Math.abs(neti.loss([...new Array(D).fill(0.5), 0]) - m / 3)).toBeLessThan(1e-14);
      // copy–average point: weight ρ(e₁ + … + e_m)/√m, ρ² = 1/(2m − 1), output weight m
      const rho = Math.sqrt(1 / (2 * m - 1));
      const x = [...new Array(D).fill(rho / Math.sqrt(m)), m];
      const expected = m / 3 - ((2 * m * m) / Math.PI) * Math.asin(1 / (2 * m));
      expect(Math.abs(neti.loss(x) - expected)).toBeLessThan(1e-14);
      expect(Math.max(...neti.gradient(x).map(Math.abs))).toBeLessThan(1e-14);
      neti.dispose();
      teacher.dispose();
    }
  });

  it("gaussHermiteNet: 136 nodes in 1-D, 13,448 in 2-D (as the original), a size warning in 3-D, an error above", () => {
    const layers = [
      [2, "tanh", true],
      [1, "identity", true],
    ] as const;
    for (const [D, n] of [
      [1, 136],
      [2, 13448],
    ]) {
      const t = new TeacherNet({ layers, din: D, seed: 1 });
      const gh = gaussHermiteNet(t, { layers });
      expect(gh.nsamples).toBe(n);
      gh.dispose();
      t.dispose();
    }
    const t3 = new TeacherNet({ layers, din: 3, seed: 1 });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const gh3 = gaussHermiteNet(t3, { layers }, { order: 40 });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/nodes in 3 dimensions/));
    warn.mockRestore();
    const neti = new NetI(t3, { layers });
    const x = neti.randomParams({ seed: 2 });
    expect(Math.abs(gh3.loss(x) - neti.loss(x)) / neti.loss(x)).toBeLessThan(1e-6); // 40-point rule
    gh3.dispose();
    neti.dispose();
    t3.dispose();
    const t4 = new TeacherNet({ layers, din: 4, seed: 1 });
    expect(() => gaussHermiteNet(t4, { layers })).toThrow(/input dimension 4 > 3/);
    t4.dispose();
  });

  it("rejects shapes it cannot integrate, with clear errors", () => {
    const teacher = new TeacherNet({
      layers: [
        [2, "tanh", true],
        [1, "identity", true],
      ],
      din: 2,
      seed: 1,
    });
    const deep = new TeacherNet({
      layers: [
        [2, "tanh", true],
        [2, "tanh", true],
        [1, "identity", true],
      ],
      din: 2,
      seed: 1,
    });
    expect(
      () =>
        new NetI(deep, {
          layers: [
            [2, "tanh", true],
            [1, "identity", true],
          ],
        }),
    ).toThrow(/teacher must have one hidden layer/);
    expect(
      () =>
        new NetI(teacher, {
          layers: [
            [2, "tanh", true],
            [2, "identity", true],
          ],
        }),
    ).toThrow(/student must have one hidden layer and one linear output/);
    expect(
      () =>
        new NetI(teacher, {
          layers: [
            [2, ["tanh", "relu"], true],
            [1, "identity", true],
          ],
        }),
    ).toThrow(/per-neuron activations are not supported/);
    const neti = new NetI(teacher, {
      layers: [
        [2, "tanh", true],
        [1, "identity", true],
      ],
    });
    const e = (() => {
      try {
        neti.loss(neti.randomParams(), { weights: [1] });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(MLPGFError);
    expect(() => neti.loss([1, 2])).toThrow(/has length 2, expected 9/);
    neti.dispose();
    teacher.dispose();
    deep.dispose();
  });
});
