import { describe, expect, it } from "vitest";
import {
  type LayerSpec,
  MLPGFError,
  Net,
  NetI,
  TeacherNet,
  cosineSimilarity,
  growNet,
  mergeNeurons,
  shrinkNet,
  splitNeuron,
  train,
} from "../../src/index.js";
import { inputs, maxAbs, relDiff, teacherData, errorCode } from "./helpers.js";

type Network = Net | NetI;

/**
 * The gradient of the split network predicted from the original's g: the incoming row of neuron i
 * (now at iNew) scaled by γ, the copy at j by (1 − γ); both outgoing columns equal the original's
 * column i; every other entry unchanged.
 */
function expectedSplitGradient(
  net: Network,
  wide: Network,
  g: Float64Array,
  layer: number,
  i: number,
  j: number,
  gamma: number,
): Float64Array {
  const d = net instanceof Net ? net.paramsToDict(g) : null;
  if (!d) throw new Error("NetI: use the Net layout");
  const iNew = i < j ? i : i + 1;
  // new position q holds: γ·(neuron i) at iNew, (1 − γ)·(neuron i) at j, the other neurons in order
  const place = <T>(old: T[], atI: T, atJ: T): T[] => {
    const rest = old.filter((_, r) => r !== i);
    return Array.from({ length: old.length + 1 }, (_, q) => (q === iNew ? atI : q === j ? atJ : rest.shift()!));
  };
  const w = d[`w${layer + 1}`];
  d[`w${layer + 1}`] = place(
    w,
    w[i].map((v) => gamma * v),
    w[i].map((v) => (1 - gamma) * v),
  );
  d[`w${layer + 2}`] = d[`w${layer + 2}`].map((row) => place(row, row[i], row[i]));
  return (wide as Net).paramsFromDict(d);
}

const CASES: { name: string; layers: LayerSpec[]; teacher: LayerSpec[]; layer: number }[] = [
  {
    name: "one hidden layer with biases",
    layers: [
      [4, "softplus", true],
      [1, "identity", true],
    ],
    teacher: [
      [3, "softplus", true],
      [1, "identity", true],
    ],
    layer: 0,
  },
  {
    name: "one hidden layer without biases",
    layers: [
      [4, "tanh", false],
      [1, "identity", false],
    ],
    teacher: [
      [3, "tanh", false],
      [1, "identity", false],
    ],
    layer: 0,
  },
  {
    name: "two hidden layers, split in layer 0",
    layers: [
      [4, "softplus", true],
      [3, "tanh", true],
      [2, "identity", true],
    ],
    teacher: [
      [3, "tanh", true],
      [2, "identity", true],
    ],
    layer: 0,
  },
  {
    name: "two hidden layers, split in layer 1",
    layers: [
      [4, "softplus", true],
      [3, "tanh", false],
      [2, "identity", true],
    ],
    teacher: [
      [3, "tanh", true],
      [2, "identity", true],
    ],
    layer: 1,
  },
  {
    name: "per-neuron activations",
    layers: [
      [3, ["tanh", "softplus", "gelu"], true],
      [1, "identity", true],
    ],
    teacher: [
      [2, "tanh", true],
      [1, "identity", true],
    ],
    layer: 0,
  },
];

describe("splitNeuron on Net", () => {
  for (const c of CASES) {
    it(`${c.name}: same function, same loss (1e-14), gradient as the maths says, merge inverts it`, () => {
      const net = teacherData(c.layers, c.teacher, 60, 3, 7);
      const x = net.randomParams({ seed: 11 });
      for (let p = 0; p < x.length; p++) x[p] += 0.1 * Math.sin(p + 1); // non-zero biases
      const k = net.layers[c.layer][0];
      const probe = inputs(20, 3, 99);
      const y = net.forward(x, probe).data;
      const L = net.loss(x);
      const g = net.gradient(x);
      for (const [i, j, gamma] of [
        [0, undefined, 0.3],
        [1, 0, -0.7],
        [k - 1, k, 1.5],
        [k - 1, 1, 0.5],
      ] as const) {
        const s = splitNeuron(net, x, i, gamma, { j, layer: c.layer });
        const jj = j ?? i + 1;
        expect(s.net.layers[c.layer][0]).toBe(k + 1);
        expect(s.net.nparams).toBeGreaterThan(net.nparams);
        expect(relDiff(s.net.forward(s.x, probe).data, y)).toBeLessThan(1e-14);
        expect(Math.abs(s.net.loss(s.x) - L) / L).toBeLessThan(1e-14);
        const expected = expectedSplitGradient(net, s.net, g, c.layer, i, jj, gamma);
        expect(relDiff(s.net.gradient(s.x), expected)).toBeLessThan(1e-12);
        if (Array.isArray(c.layers[c.layer][1])) {
          const acts = [...(c.layers[c.layer][1] as string[])];
          acts.splice(jj, 0, acts[i]);
          expect(s.net.layers[c.layer][1]).toEqual(acts);
        }
        const m = mergeNeurons(s.net, s.x, i < jj ? i : i + 1, jj, { layer: c.layer });
        expect(m.net.layers).toEqual(net.layers);
        expect(relDiff(m.x, x)).toBeLessThan(1e-15);
        s.net.dispose();
        m.net.dispose();
      }
      net.dispose();
    });
  }

  it("keeps sample weights and the nll loss of a softmax output", () => {
    const input = inputs(40, 2, 5);
    const labels = input.map((r) => (r[0] > 0 ? (r[1] > 0 ? 2 : 1) : 0));
    const weights = input.map((_, n) => 0.5 + (n % 3));
    const net = new Net({
      layers: [
        [3, "softplus", true],
        [3, "softmax", true],
      ],
      input,
      target: labels,
      weights,
    });
    const x = net.randomParams({ seed: 2 });
    const s = splitNeuron(net, x, 2, 0.25, { j: 0 });
    expect(Math.abs(s.net.loss(s.x) - net.loss(x)) / net.loss(x)).toBeLessThan(1e-14);
    expect(s.net.sampleWeights).toEqual(net.sampleWeights);
    s.net.dispose();
    net.dispose();
  });

  it("at a trained critical point the split network's gradient stays zero", async () => {
    // (seed, teacher width) chosen so that train lands on a nondegenerate minimum in well under a second
    for (const [layers, seed, tw] of [
      [
        [
          [2, "softplus", true],
          [1, "identity", true],
        ],
        1,
        3,
      ],
      [
        [
          [2, "softplus", true],
          [2, "tanh", true],
          [1, "identity", true],
        ],
        4,
        4,
      ],
    ] as [LayerSpec[], number, number][]) {
      const net = teacherData(
        layers,
        [
          [tw, "softplus", true],
          [1, "identity", true],
        ],
        50,
        2,
        3,
      );
      const r = await train(net, net.randomParams({ seed }), { maxtimeOde: 5, maxtimeOptim: 5, minGnorm: 1e-15 });
      expect(r.loss).toBeGreaterThan(1e-9);
      expect(r.gnorm).toBeLessThan(1e-12);
      for (let layer = 0; layer < layers.length - 1; layer++) {
        const s = splitNeuron(net, r.x, 0, 0.4, { layer });
        expect(maxAbs(s.net.gradient(s.x))).toBeLessThanOrEqual(Math.max(1e-12, 2 * r.gnorm));
        // the loss (≈ 1e-7) is a mean of squared residuals ~1e-3 of outputs ~1 that agree to 1e-16:
        // relative agreement ~1e-16/1e-3 per residual
        expect(Math.abs(s.net.loss(s.x) - r.loss) / r.loss).toBeLessThan(1e-12);
        s.net.dispose();
      }
      net.dispose();
    }
  });

  it("the teacher copy (loss 0) split is still a zero-loss critical point", () => {
    const layers: LayerSpec[] = [
      [3, "softplus", true],
      [3, "tanh", true],
      [1, "identity", true],
    ];
    const input = inputs(30, 2, 8);
    const teacher = new TeacherNet({ layers, din: 2, seed: 9 });
    const net = new Net({ layers, input, target: teacher.forward(input) });
    expect(net.loss(teacher.params)).toBe(0);
    for (const layer of [0, 1]) {
      const s = splitNeuron(net, teacher.params, 1, 0.8, { layer });
      expect(s.net.loss(s.x)).toBeLessThan(1e-30);
      expect(maxAbs(s.net.gradient(s.x))).toBeLessThan(1e-15);
      s.net.dispose();
    }
    teacher.dispose();
    net.dispose();
  });

  it("the new network owns its WASM memory: it works after the original is disposed, and dispose frees it", () => {
    const net = teacherData(
      [
        [3, "softplus", true],
        [1, "identity", true],
      ],
      [
        [2, "softplus", true],
        [1, "identity", true],
      ],
    );
    const x = net.randomParams({ seed: 1 });
    const L = net.loss(x);
    const s = splitNeuron(net, x, 0, 0.5);
    net.dispose();
    expect(Math.abs(s.net.loss(s.x) - L) / L).toBeLessThan(1e-14);
    s.net.dispose();
    expect(s.net.disposed).toBe(true);
    expect(() => s.net.loss(s.x)).toThrowError(MLPGFError);
  });
});

describe("splitNeuron on NetI", () => {
  const teacher = () =>
    new TeacherNet({
      layers: [
        [3, "sigmoid2", true],
        [1, "identity", true],
      ],
      din: 3,
      seed: 5,
    });

  it("stays a NetI with the same teacher; same loss, gradient as the maths says, merge inverts it", () => {
    const t = teacher();
    const neti = new NetI(t, {
      layers: [
        [2, "sigmoid2", true],
        [1, "identity", true],
      ],
    });
    const x = neti.randomParams({ seed: 3 });
    for (let p = 0; p < x.length; p++) x[p] += 0.05 * Math.cos(p);
    const L = neti.loss(x);
    const g = neti.gradient(x);
    const s = splitNeuron(neti, x, 1, 0.35, { j: 0 });
    expect(s.net).toBeInstanceOf(NetI);
    expect(s.net.teacher).toBe(t);
    expect(Math.abs(s.net.loss(s.x) - L) / L).toBeLessThan(1e-14);
    // the Net layout is the NetI layout: compare through a data-less Net of the same layers
    const shape = new Net({ layers: neti.layers, din: 3 });
    const wideShape = new Net({ layers: s.net.layers, din: 3 });
    const expected = expectedSplitGradient(shape, wideShape, g, 0, 1, 0, 0.35);
    expect(relDiff(s.net.gradient(s.x), expected)).toBeLessThan(1e-10);
    const m = mergeNeurons(s.net, s.x, 2, 0);
    expect(m.net).toBeInstanceOf(NetI);
    expect(relDiff(m.x, x)).toBeLessThan(1e-15);
    for (const n of [shape, wideShape, s.net, m.net, neti]) n.dispose();
    t.dispose();
  });

  it("at the trained copy–average point of an erf student the split gradient stays zero", async () => {
    const t = new TeacherNet({
      layers: [
        [2, "sigmoid2", false],
        [1, "identity", false],
      ],
      din: 2,
      params: [1, 0, 0, 1, 1, 1],
    });
    const neti = new NetI(t, {
      layers: [
        [1, "sigmoid2", false],
        [1, "identity", false],
      ],
    });
    const r = await train(neti, [0.3, 0.2, 0.5], { maxtimeOde: 20, maxtimeOptim: 20 });
    expect(r.gnorm).toBeLessThan(1e-12);
    const s = splitNeuron(neti, r.x, 0, 0.5);
    expect(Math.abs(s.net.loss(s.x) - r.loss) / r.loss).toBeLessThan(1e-14);
    expect(maxAbs(s.net.gradient(s.x))).toBeLessThan(1e-12);
    s.net.dispose();
    neti.dispose();
    t.dispose();
  });

  it("growNet / shrinkNet keep the teacher and change the width by one", () => {
    const t = teacher();
    const neti = new NetI(t, {
      layers: [
        [2, "sigmoid2", true],
        [1, "identity", true],
      ],
    });
    const big = growNet(neti);
    expect(big).toBeInstanceOf(NetI);
    expect(big.teacher).toBe(t);
    expect(big.layers[0][0]).toBe(3);
    const back = shrinkNet(big);
    expect(back.layers).toEqual(neti.layers);
    const x = neti.randomParams({ seed: 1 });
    expect(back.loss(x)).toBe(neti.loss(x));
    for (const n of [big, back, neti]) n.dispose();
    t.dispose();
  });
});

describe("growNet / shrinkNet on Net", () => {
  it("same data, one neuron more / less in the chosen hidden layer; round trip gives the same network", () => {
    const net = teacherData(
      [
        [3, "softplus", true],
        [2, ["tanh", "gelu"], true],
        [1, "identity", true],
      ],
      [
        [2, "softplus", true],
        [1, "identity", true],
      ],
    );
    const g0 = growNet(net);
    expect(g0.layers[0][0]).toBe(4);
    const g1 = growNet(net, { layer: 1 });
    expect(g1.layers[1]).toEqual([3, ["tanh", "gelu", "gelu"], true]);
    const s1 = shrinkNet(net, { layer: 1 });
    expect(s1.layers[1]).toEqual([1, "tanh", true]);
    const back = shrinkNet(g0);
    expect(back.layers).toEqual(net.layers);
    const x = net.randomParams({ seed: 5 });
    expect(back.loss(x)).toBe(net.loss(x));
    // the grown net's loss at a split point is the loss of the original (same data)
    const s = splitNeuron(net, x, 1, 0.5);
    expect(Math.abs(g0.loss(s.x) - net.loss(x)) / net.loss(x)).toBeLessThan(1e-14);
    for (const n of [g0, g1, s1, back, s.net, net]) n.dispose();
  });

  it("grows and shrinks a network without data", () => {
    const net = new Net({
      layers: [
        [2, "relu", true],
        [1, "identity", true],
      ],
      din: 4,
    });
    const g = growNet(net);
    expect(g.nsamples).toBe(0);
    expect(g.nparams).toBe(3 * 5 + 4);
    g.dispose();
    net.dispose();
  });
});

describe("cosineSimilarity", () => {
  it("is the cosine of the angle", () => {
    expect(cosineSimilarity([1, 0], [0, 2])).toBe(0);
    expect(Math.abs(cosineSimilarity([1, 1], [2, 2]) - 1)).toBeLessThan(1e-15);
    expect(cosineSimilarity([1, 0], [-3, 0])).toBe(-1);
    expect(Math.abs(cosineSimilarity([1, 2, 2], [2, 1, -2]) - 0)).toBeLessThan(1e-16);
    expect(Math.abs(cosineSimilarity([3, 4], [4, 3]) - 24 / 25)).toBeLessThan(1e-15);
  });
});

describe("validation of the symmetry tools", () => {
  it("throws MLPGFError with the expected code on each bad input", () => {
    const net = teacherData(
      [
        [2, ["tanh", "softplus"], true],
        [1, "identity", true],
      ],
      [
        [2, "softplus", true],
        [1, "identity", true],
      ],
    );
    const one = teacherData(
      [
        [1, "tanh", true],
        [1, "identity", true],
      ],
      [
        [2, "softplus", true],
        [1, "identity", true],
      ],
    );
    const x = net.randomParams({ seed: 1 });
    expect(errorCode(() => splitNeuron({} as Net, x, 0, 0.5))).toBe("VALUE");
    expect(errorCode(() => splitNeuron(net, x, 0, 0.5, { layer: 1 }))).toBe("VALUE");
    expect(errorCode(() => splitNeuron(net, x, 0, 0.5, { layer: -1 }))).toBe("VALUE");
    expect(errorCode(() => splitNeuron(net, x, 2, 0.5))).toBe("VALUE");
    expect(errorCode(() => splitNeuron(net, x, 0.5, 0.5))).toBe("VALUE");
    expect(errorCode(() => splitNeuron(net, x, 0, 0.5, { j: 3 }))).toBe("VALUE");
    expect(errorCode(() => splitNeuron(net, x, 0, NaN))).toBe("VALUE");
    expect(errorCode(() => splitNeuron(net, x, 0, Infinity))).toBe("VALUE");
    expect(errorCode(() => splitNeuron(net, x.subarray(1), 0, 0.5))).toBe("SHAPE");
    expect(errorCode(() => splitNeuron(net, x, 0, 0.5, null as unknown as object))).toBe("OPTION");
    expect(errorCode(() => splitNeuron(net, x, 0, 0.5, { lyer: 0 } as object))).toBe("OPTION");
    expect(errorCode(() => mergeNeurons(net, x, 1, 1))).toBe("VALUE");
    expect(errorCode(() => mergeNeurons(net, x, 0, 2))).toBe("VALUE");
    expect(errorCode(() => mergeNeurons(net, x, 0, 1))).toBe("ACTIVATION"); // tanh and softplus
    expect(errorCode(() => mergeNeurons(one, one.randomParams(), 0, 0))).toBe("VALUE");
    expect(errorCode(() => mergeNeurons(net, [1, 2], 0, 1))).toBe("SHAPE");
    expect(errorCode(() => shrinkNet(one))).toBe("VALUE");
    expect(errorCode(() => growNet(net, { layer: 1 }))).toBe("VALUE");
    expect(errorCode(() => growNet("net" as unknown as Net))).toBe("VALUE");
    expect(errorCode(() => cosineSimilarity([0, 0], [1, 0]))).toBe("VALUE");
    expect(errorCode(() => cosineSimilarity([1, 0], [0, 0]))).toBe("VALUE");
    expect(errorCode(() => cosineSimilarity([1, 0], [1, 0, 0]))).toBe("SHAPE");
    expect(errorCode(() => cosineSimilarity([1, NaN], [1, 0]))).toBe("VALUE");
    const out = new Net({ layers: [[1, "identity", true]], din: 2 });
    expect(errorCode(() => growNet(out))).toBe("SHAPE");
    out.dispose();
    one.dispose();
    net.dispose();
    expect(errorCode(() => splitNeuron(net, x, 0, 0.5))).toBe("DISPOSED");
    expect(errorCode(() => growNet(net))).toBe("DISPOSED");
  });
});
