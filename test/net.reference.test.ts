import { describe, expect, it } from "vitest";
import { Net } from "../src/index.js";
import { type RefLayer, fdGradient, fdHessian, randn, refForward, refLoss, relErr, rng } from "./helpers/reference.js";

type Case = { name: string; layers: RefLayer[]; din: number; n: number; weights?: boolean; softmax?: boolean };

const cases: Case[] = [
  { name: "linear regression", layers: [{ k: 2, act: "identity", bias: true }], din: 3, n: 7 },
  {
    name: "2 identity layers",
    layers: [
      { k: 3, act: "identity", bias: true },
      { k: 2, act: "identity", bias: false },
    ],
    din: 2,
    n: 9,
  },
  {
    name: "relu + identity, weights",
    layers: [
      { k: 4, act: "relu", bias: true },
      { k: 1, act: "identity", bias: true },
    ],
    din: 2,
    n: 13,
    weights: true,
  },
  {
    name: "3 layers identity/relu/softmax",
    layers: [
      { k: 3, act: "identity", bias: true },
      { k: 4, act: "relu", bias: false },
      { k: 3, act: "softmax", bias: true },
    ],
    din: 2,
    n: 11,
    softmax: true,
  },
  {
    name: "softplus 1 hidden",
    layers: [
      { k: 5, act: "softplus", bias: true },
      { k: 1, act: "identity", bias: true },
    ],
    din: 2,
    n: 10,
  },
  {
    name: "tanh/sigmoid/identity 4 layers",
    layers: [
      { k: 3, act: "sigmoid", bias: true },
      { k: 2, act: "identity", bias: false },
      { k: 3, act: "g", bias: true },
      { k: 2, act: "identity", bias: true },
    ],
    din: 2,
    n: 6,
  },
  {
    name: "square/cube/exp mixed + tanh output",
    layers: [
      { k: 4, act: ["square", "cube", "square", "exp"], bias: true },
      { k: 3, act: { poly: [0.2, 0.3, -0.3, 0.4] }, bias: true },
      { k: 2, act: "tanh", bias: false },
    ],
    din: 3,
    n: 9,
  },
  {
    name: "silu/selu + softmax",
    layers: [
      { k: 4, act: "silu", bias: true },
      { k: 3, act: "selu", bias: true },
      { k: 4, act: "softmax", bias: true },
    ],
    din: 2,
    n: 14,
    softmax: true,
    weights: true,
  },
];

function setup(c: Case, seed: number) {
  const r = rng(seed);
  const input = randn(r, c.n, c.din);
  const dout = c.layers[c.layers.length - 1].k;
  const target = c.softmax
    ? input.map(() => {
        const t = new Array(dout).fill(0);
        t[Math.floor(r() * dout)] = 1;
        return t;
      })
    : randn(r, c.n, dout);
  const weights = c.weights ? input.map(() => r() * 2) : undefined;
  const net = new Net({ layers: c.layers.map((l) => [l.k, l.act, l.bias] as const), input, target, weights });
  const x = net.randomParams({ seed });
  for (let i = 0; i < x.length; i++) x[i] += 0.3 * (r() - 0.5); // non-zero biases
  return { net, x, input, target, weights };
}

describe.each(cases)("$name", (c) => {
  it("forward and loss equal the plain reference", () => {
    const { net, x, input, target, weights } = setup(c, 1);
    const out = net.forward(x);
    const ref = refForward(c.layers, x, input);
    expect(relErr(out.data, ref.flat())).toBeLessThan(1e-13);
    expect(Math.abs(net.loss(x) - refLoss(c.layers, x, input, target, weights))).toBeLessThan(1e-13 * Math.max(1, net.loss(x)));
    net.dispose();
  });

  it("gradient matches finite differences of the reference loss", () => {
    const { net, x, input, target, weights } = setup(c, 2);
    const g = net.gradient(x);
    const fd = fdGradient((y) => refLoss(c.layers, y, input, target, weights), x);
    expect(relErr(g, fd)).toBeLessThan(1e-7);
    const lg = net.lossAndGradient(x);
    expect(lg.loss).toBe(net.loss(x));
    expect(Array.from(lg.gradient)).toEqual(Array.from(g));
    net.dispose();
  });

  it("Hessian is symmetric and matches finite differences of the gradient", () => {
    const { net, x } = setup(c, 3);
    const H = net.hessian(x);
    const P = net.nparams;
    expect(H.rows).toBe(P);
    for (let i = 0; i < P; i++) for (let j = 0; j < i; j++) expect(H.data[i * P + j]).toBe(H.data[j * P + i]);
    const fd = fdHessian((y) => net.gradient(y), x);
    expect(relErr(H.data, fd)).toBeLessThan(1e-7);
    net.dispose();
  });
});
