import { describe, expect, it } from "vitest";
import { MLPGFError, Net, NetI, TeacherNet, splitNeuron, train } from "../../src/index.js";
import type { LayerSpec } from "../../src/index.js";
import { VariableProjection } from "../../src/train/varpro.js";
import { type RefLayer, fdGradient, randn, refForward, rng } from "../helpers/reference.js";

/** A network on Gaussian inputs with targets from a random network of other parameters. */
function problem(layers: LayerSpec[], n: number, dout: number, seed: number, weights?: number[]) {
  const r = rng(seed);
  const input = randn(r, n, 2);
  const teacher = new Net({ layers, din: 2 });
  const target = teacher.forward(teacher.randomParams({ seed: seed + 100 }), input);
  teacher.dispose();
  const net = new Net({ layers, input, target, weights });
  expect(net.dout).toBe(dout);
  return {
    net,
    input,
    target: Array.from({ length: n }, (_, i) => Array.from(target.data.subarray(i * dout, (i + 1) * dout))),
    x: net.randomParams({ seed }),
  };
}

/** min_A Σ_n w_n ‖A·φ̃_n − y_n‖² by modified Gram–Schmidt QR of √w·Φ̃ (twice), independent of the package. */
function leastSquares(phi: number[][], y: number[][], w: number[]): number[][] {
  const n = phi.length;
  const m = phi[0].length;
  const dout = y[0].length;
  const Q = Array.from({ length: m }, (_, j) => phi.map((row, i) => Math.sqrt(w[i]) * row[j]));
  const R = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (let j = 0; j < m; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += Q[k][i] * Q[j][i];
        R[k][j] += s;
        for (let i = 0; i < n; i++) Q[j][i] -= s * Q[k][i];
      }
    }
    R[j][j] = Math.hypot(...Q[j]);
    for (let i = 0; i < n; i++) Q[j][i] /= R[j][j];
  }
  const A = Array.from({ length: m }, () => new Array<number>(dout).fill(0));
  for (let o = 0; o < dout; o++) {
    const qty = Q.map((q) => q.reduce((s, v, i) => s + v * Math.sqrt(w[i]) * y[i][o], 0));
    for (let j = m - 1; j >= 0; j--) {
      let s = qty[j];
      for (let k = j + 1; k < m; k++) s -= R[j][k] * A[k][o];
      A[j][o] = s / R[j][j];
    }
  }
  return A;
}

const CASES: { name: string; layers: LayerSpec[]; ref: RefLayer[]; dout: number; weighted?: boolean }[] = [
  {
    name: "softplus, output bias",
    layers: [
      [4, "softplus", true],
      [1, "identity", true],
    ],
    ref: [{ k: 4, act: "softplus", bias: true }],
    dout: 1,
  },
  {
    name: "tanh, two outputs, no output bias, sample weights",
    layers: [
      [3, "tanh", true],
      [2, "identity", false],
    ],
    ref: [{ k: 3, act: "tanh", bias: true }],
    dout: 2,
    weighted: true,
  },
  {
    name: "two hidden layers",
    layers: [
      [3, "tanh", true],
      [2, "sigmoid", false],
      [1, "identity", true],
    ],
    ref: [
      { k: 3, act: "tanh", bias: true },
      { k: 2, act: "sigmoid", bias: false },
    ],
    dout: 1,
  },
];

describe("variable projection", () => {
  for (const c of CASES) {
    it(`lifts to the least-squares output weights and has the exact reduced gradient and Hessian (${c.name})`, () => {
      const n = 200;
      const w = c.weighted ? Array.from({ length: n }, (_, i) => 0.2 + (i % 7) / 3) : undefined;
      const { net, input, target, x } = problem(c.layers, n, c.dout, 3, w);
      const vp = new VariableProjection(net, null);
      try {
        const u0 = vp.start(x);
        const P = net.nparams;
        const Pu = vp.Pu;
        const bias = c.layers[c.layers.length - 1][2];
        const lifted = new Float64Array(P);
        vp.lift(u0, lifted);
        expect(Array.from(lifted.subarray(0, Pu))).toEqual(Array.from(u0));
        // output weights = weighted least squares on the last hidden layer's activations (reference forward pass)
        const phi = refForward(c.ref, u0, input).map((row) => (bias ? [...row, 1] : row));
        const A = leastSquares(phi, target, w ?? new Array<number>(n).fill(1));
        const amax = Math.max(...A.flat().map(Math.abs));
        A.forEach((row, j) => row.forEach((a, o) => expect(Math.abs(lifted[Pu + j * c.dout + o] - a)).toBeLessThan(1e-12 * amax)));
        // the full gradient's output block vanishes there
        const g = net.gradient(lifted);
        const gmax = Math.max(...g.map(Math.abs));
        for (let i = Pu; i < P; i++) expect(Math.abs(g[i])).toBeLessThan(1e-12 * Math.max(1, gmax));
        // reduced objective = N·ℓ(u): gradient and Hessian against central differences of ℓ
        const full = {
          fg: (y: Float64Array, gy: Float64Array) => {
            const r = net.lossAndGradient(y);
            gy.set(r.gradient);
            return r.loss;
          },
          fgh: (y: Float64Array, gy: Float64Array, H: Float64Array) => {
            H.set(net.hessian(y).data);
            return full.fg(y, gy);
          },
        };
        const red = vp.reduce(full);
        const ell = (u: Float64Array) => red.fg(u, new Float64Array(Pu));
        const gu = new Float64Array(Pu);
        const Hu = new Float64Array(Pu * Pu);
        red.fgh!(u0, gu, Hu);
        const gfd = fdGradient(ell, u0, 1e-5);
        const gscale = Math.max(...gu.map(Math.abs));
        gu.forEach((v, i) => expect(Math.abs(v - gfd[i])).toBeLessThan(1e-7 * gscale));
        const Hscale = Math.max(...Hu.map(Math.abs));
        for (let i = 0; i < Pu; i++) {
          const col = fdGradient(
            (u) => {
              const gi = new Float64Array(Pu);
              red.fg(u, gi);
              return gi[i];
            },
            u0,
            1e-5,
          );
          for (let j = 0; j < Pu; j++) {
            expect(Math.abs(Hu[i * Pu + j] - col[j])).toBeLessThan(1e-6 * Hscale);
            expect(Hu[i * Pu + j]).toBe(Hu[j * Pu + i]);
          }
        }
      } finally {
        vp.dispose();
        net.dispose();
      }
    });
  }

  it("handles a duplicated neuron (singular normal equations): finite, optimal, continuous output weights", () => {
    const { net, x } = problem(
      [
        [3, "softplus", true],
        [1, "identity", true],
      ],
      150,
      1,
      5,
    );
    const { net: wide, x: xw } = splitNeuron(net, x, 0, 0.3);
    const vp = new VariableProjection(wide as Net, null);
    const vpn = new VariableProjection(net, null);
    try {
      const lifted = new Float64Array(wide.nparams);
      vp.lift(vp.start(xw), lifted);
      expect(lifted.every(Number.isFinite)).toBe(true);
      const Pu = vp.Pu;
      const g = wide.gradient(lifted);
      for (let i = Pu; i < wide.nparams; i++) expect(Math.abs(g[i])).toBeLessThan(1e-12);
      // the narrow network's least-squares output weights, with the copies' weights summed
      const ln = new Float64Array(net.nparams);
      vpn.lift(vpn.start(x), ln);
      expect(Math.abs(wide.loss(lifted) - net.loss(ln))).toBeLessThan(1e-13 * net.loss(ln));
      const an = ln.subarray(vpn.Pu);
      expect(Math.abs(lifted[Pu] + lifted[Pu + 1] - an[0])).toBeLessThan(1e-9 * Math.abs(an[0]));
      for (let j = 1; j < an.length; j++) expect(Math.abs(lifted[Pu + j + 1] - an[j])).toBeLessThan(1e-9 * Math.max(...an.map(Math.abs)));
      // the correction is taken about the start point's weights: the split between the copies moves by
      // the same amount on each (minimum-norm correction), it is not reset
      expect(lifted[Pu] - xw[Pu]).toBeCloseTo(lifted[Pu + 1] - xw[Pu + 1], 9);
    } finally {
      vp.dispose();
      vpn.dispose();
      wide.dispose();
      net.dispose();
    }
  });

  it("a non-finite point gives a non-finite value, not an exception, and the next finite point is solved again", () => {
    const { net, x } = problem(
      [
        [3, "softplus", true],
        [1, "identity", true],
      ],
      100,
      1,
      8,
    );
    const vp = new VariableProjection(net, null);
    try {
      const full = {
        fg: (y: Float64Array, gy: Float64Array) => {
          if (!y.every(Number.isFinite)) {
            gy.fill(NaN);
            return NaN;
          }
          const r = net.lossAndGradient(y);
          gy.set(r.gradient);
          return r.loss;
        },
      };
      const red = vp.reduce(full);
      const u0 = vp.start(x);
      const g = new Float64Array(vp.Pu);
      const f0 = red.fg(u0, g);
      const bad = u0.slice();
      bad[1] = NaN;
      expect(red.fg(bad, g)).toBeNaN();
      const huge = u0.map((v) => v * 1e300);
      expect(Number.isFinite(red.fg(huge, g))).toBe(false);
      expect(
        red.fg(
          u0.map((v) => v + 1e-3),
          g,
        ),
      ).toBeGreaterThan(0);
      expect(red.fg(u0, g)).toBeCloseTo(f0, 14);
    } finally {
      vp.dispose();
      net.dispose();
    }
  });

  it("train({ varpro }) reaches loss < 1e-20 on a representable teacher with every optimizer", async () => {
    const r = rng(11);
    const input = randn(r, 1000, 2);
    const layers: LayerSpec[] = [
      [3, "softplus", true],
      [1, "identity", true],
    ];
    const teacher = new Net({ layers, din: 2 });
    const xt = teacher.randomParams({ seed: 11 });
    for (let i = 0; i < xt.length; i++) xt[i] += 0.5 * (r() - 0.5);
    const target = teacher.forward(xt, input);
    teacher.dispose();
    const net = new Net({ layers, input, target });
    const x0 = xt.map((v) => v + 0.05 * (r() - 0.5));
    for (const optimSolver of ["newtonTrustRegion", "newton", "bfgs", "lbfgs"] as const) {
      const res = await train(net, x0, { maxiterationsOde: 0, optimSolver, varpro: true, minloss: 1e-22, maxtimeOptim: 20 });
      expect(res.loss, optimSolver).toBeLessThan(1e-20);
      expect(res.loss).toBe(net.loss(res.x));
      expect(Math.max(...res.x.map((v, i) => Math.abs(v - xt[i])))).toBeLessThan(1e-6);
      expect(res.optimIterations).toBeGreaterThan(0);
    }
    // after an ODE phase, from its best point
    const res = await train(net, x0, { maxiterationsOde: 20, varpro: true, minloss: 1e-22, maxtimeOptim: 20 });
    expect(res.odeIterations).toBe(20);
    expect(res.loss).toBeLessThan(1e-20);
    net.dispose();
  });

  it("uses the run's sample weights: a zero-weight sample with a wrong target does not matter", async () => {
    const r = rng(12);
    const input = randn(r, 400, 2);
    const layers: LayerSpec[] = [
      [2, "softplus", true],
      [1, "identity", true],
    ];
    const teacher = new Net({ layers, din: 2 });
    const xt = teacher.randomParams({ seed: 12 });
    const target = teacher.forward(xt, input);
    teacher.dispose();
    target.data[7] += 100;
    const net = new Net({ layers, input, target });
    const weights = new Float64Array(400).fill(1);
    weights[7] = 0;
    const x0 = xt.map((v) => v + 0.02 * (r() - 0.5));
    const res = await train(net, x0, { maxiterationsOde: 0, varpro: true, weights, minloss: 1e-24, maxtimeOptim: 20 });
    expect(net.loss(res.x, { weights })).toBeLessThan(1e-22);
    expect(Math.max(...res.x.map((v, i) => Math.abs(v - xt[i])))).toBeLessThan(1e-8);
    net.dispose();
  });

  it("rejects what it cannot project, with an OPTION error naming the reason", async () => {
    const r = rng(13);
    const input = randn(r, 50, 2);
    const target = input.map(([a]) => [a]);
    const expectValue = async (net: unknown, opts: object, re: RegExp) => {
      const p = train(net as Net, (net as Net).randomParams({ seed: 1 }), { maxiterationsOde: 0, ...opts });
      await expect(p).rejects.toBeInstanceOf(MLPGFError);
      await expect(p).rejects.toMatchObject({ code: "OPTION", message: expect.stringMatching(re) });
    };
    const net = new Net({
      layers: [
        [3, "softplus", true],
        [1, "identity", true],
      ],
      input,
      target,
    });
    await expectValue(net, { varpro: "yes" }, /option varpro: expected true or false, got "yes"/);
    await expectValue(net, { varpro: true, maxnorm: 3 }, /maxnorm/);
    await expectValue(net, { varpro: true, merge: { i: 0, j: 1, lambda: 1 } }, /merge/);
    const tanhOut = new Net({
      layers: [
        [3, "softplus", true],
        [1, "tanh", true],
      ],
      input,
      target,
    });
    await expectValue(tanhOut, { varpro: true }, /identity output layer, got "tanh"/);
    const linear = new Net({ layers: [[1, "identity", true]], input, target });
    await expectValue(linear, { varpro: true }, /at least one hidden layer/);
    const soft = new Net({
      layers: [
        [3, "softplus", true],
        [2, "softmax", true],
      ],
      input,
      target: input.map(([a]) => (a > 0 ? 1 : 0)),
    });
    await expectValue(soft, { varpro: true }, /identity output layer/);
    const teacher = new TeacherNet({
      layers: [
        [2, "sigmoid2", false],
        [1, "identity", false],
      ],
      din: 2,
      params: [1, 0, 0, 1, 1, 1],
    });
    const neti = new NetI(teacher, {
      layers: [
        [1, "sigmoid2", false],
        [1, "identity", false],
      ],
    });
    await expectValue(neti, { varpro: true }, /a Net with data/);
    for (const n of [net, tanhOut, linear, soft]) n.dispose();
  });
});
