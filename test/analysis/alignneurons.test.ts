import { describe, expect, it } from "vitest";
import { Net, NetI, TeacherNet, alignNeurons, params, perturb, splitNeuron } from "../../src/index.js";
import { hungarian } from "../../src/analysis/hungarian.js";
import { Random } from "../../src/api/random.js";
import { errorCode, inputs } from "../landscape/helpers.js";
import { copyAverageTeacher } from "./copyaverage.js";

/** Every permutation of 0..n−1. */
function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]));
}

describe("hungarian", () => {
  it("finds the assignment of least cost (brute force over all injections)", () => {
    const rng = new Random(3);
    for (const [n, m] of [
      [1, 1],
      [3, 3],
      [5, 5],
      [6, 6],
      [3, 5],
      [4, 6],
    ]) {
      for (let rep = 0; rep < 5; rep++) {
        const cost = Float64Array.from({ length: n * m }, () => Math.round(rng.normal() * 4));
        const assign = hungarian(cost, n, m);
        expect(new Set(assign).size).toBe(n);
        const total = Array.from(assign).reduce((s, j, i) => s + cost[i * m + j], 0);
        // brute force: the first n entries of every permutation of the m columns
        let best = Infinity;
        for (const p of permutations(m))
          best = Math.min(
            best,
            p.slice(0, n).reduce((s, j, i) => s + cost[i * m + j], 0),
          );
        expect(total).toBe(best);
      }
    }
  });
});

describe("alignNeurons", () => {
  const layers = [
    [5, "softplus", true],
    [1, "identity", true],
  ] as const;

  it("recovers a known permutation of a noisy teacher copy, neuron by neuron", () => {
    const teacher = new TeacherNet({ layers, din: 3, seed: 11 });
    const input = inputs(50, 3, 1);
    const net = new Net({ layers, input, target: teacher.forward(input) });
    const perm = [3, 0, 4, 1, 2]; // student neuron i copies teacher neuron perm[i]
    const t = net.paramsToDict(teacher.params);
    const rng = new Random(5);
    const noisy = (v: number) => v + 0.005 * rng.normal();
    const xs = net.paramsFromDict({
      w1: perm.map((r) => t.w1[r].map(noisy)),
      w2: [[...perm.map((r) => noisy(t.w2[0][r])), t.w2[0][5]]],
    });
    const al = alignNeurons(net, xs, teacher, teacher.params);
    expect(Array.from(al.match)).toEqual(perm);
    expect(al.oneToOne).toBe(true);
    expect(Math.min(...al.cosine)).toBeGreaterThan(0.99);
    expect(al.copies.map((c) => c.length)).toEqual([1, 1, 1, 1, 1]);
    expect(al.averages).toEqual([]);
    // a random student matches nothing one-to-one
    expect(alignNeurons(net, net.randomParams({ seed: 2 }), teacher, teacher.params).oneToOne).toBe(false);
    net.dispose();
    teacher.dispose();
  });

  it("finds the groups of a split network: two neurons on the split one", () => {
    const input = inputs(40, 2, 3);
    const net = new Net({
      layers: [
        [3, "tanh", true],
        [2, "identity", true],
      ],
      input,
      target: inputs(40, 2, 4),
    });
    const x = net.randomParams({ seed: 9 });
    const { net: wide, x: xw } = splitNeuron(net, x, 1, 0.3, { j: 3 });
    const al = alignNeurons(wide, xw, net, x);
    expect(Array.from(al.match)).toEqual([0, 1, 2, 1]);
    expect(al.copies).toEqual([[0], [1, 3], [2]]);
    expect(al.oneToOne).toBe(false);
    al.cosine.forEach((c) => expect(c).toBeCloseTo(1, 14));
    wide.dispose();
    net.dispose();
  });

  it("a neuron between two teacher neurons (copy–average point) and a mirrored copy (odd activation)", () => {
    const teacher = copyAverageTeacher();
    const net = new NetI(teacher, {
      layers: [
        [2, "sigmoid2", false],
        [1, "identity", false],
      ],
    });
    const s = 1 / Math.sqrt(6);
    const x = params([
      [
        [
          [s, s, 0],
          [0, -2, 0],
        ],
        null,
      ],
      [[[2, -1]], null],
    ]);
    const al = alignNeurons(net, x, net.teacher, net.teacher.params);
    expect(al.averages).toHaveLength(1);
    expect(al.averages[0].neuron).toBe(0);
    expect([...al.averages[0].refs].sort()).toEqual([0, 1]);
    al.averages[0].cosines.forEach((c) => expect(c).toBeCloseTo(Math.SQRT1_2, 14));
    expect(al.copies).toEqual([[], [1]]);
    expect(al.sign[1]).toBe(-1); // (−2e₂, −1) is the mirror image of (e₂, 1)
    expect(al.cosine[1]).toBeCloseTo(1, 15);
    net.dispose();
    teacher.dispose();
  });

  it("errors", () => {
    const teacher = new TeacherNet({ layers, din: 3, seed: 1 });
    const other = new TeacherNet({ layers, din: 2, seed: 1 });
    expect(errorCode(() => alignNeurons(teacher, teacher.params, other, other.params))).toBe("SHAPE");
    expect(errorCode(() => alignNeurons(teacher, teacher.params, teacher, teacher.params, { layer: 1 }))).toBe("VALUE");
    expect(errorCode(() => alignNeurons(teacher, teacher.params, teacher, teacher.params, { layers: 0 } as never))).toBe("OPTION");
    expect(errorCode(() => alignNeurons(teacher, teacher.params.subarray(1), teacher, teacher.params))).toBe("SHAPE");
    teacher.dispose();
    other.dispose();
  });
});

describe("perturb", () => {
  it("steps along the negative-curvature direction of a saddle: both sides lose ½λα² to second order", () => {
    const teacher = copyAverageTeacher();
    const net = new NetI(teacher, {
      layers: [
        [1, "sigmoid2", false],
        [1, "identity", false],
      ],
    });
    const s = 1 / Math.sqrt(6);
    const split = splitNeuron(
      net,
      params([
        [[[s, s, 0]], null],
        [[[2]], null],
      ]),
      0,
      0.5,
    );
    const alpha = 1e-3;
    const p = perturb(split.net, split.x, { eigen: 0, alpha });
    expect(p.eigenvalue).toBeLessThan(0);
    expect(Math.hypot(...p.direction)).toBeCloseTo(1, 14);
    p.plus.forEach((v, k) => expect(v - split.x[k]).toBeCloseTo(alpha * p.direction[k], 15));
    const l0 = split.net.loss(split.x);
    for (const y of [p.plus, p.minus]) {
      const change = split.net.loss(y) - l0;
      expect(change / (0.5 * p.eigenvalue * alpha * alpha)).toBeCloseTo(1, 2);
    }
    expect(errorCode(() => perturb(split.net, split.x, { eigen: 8, alpha }))).toBe("OPTION");
    expect(errorCode(() => perturb(split.net, split.x, { alpha: NaN }))).toBe("OPTION");
    expect(errorCode(() => perturb(split.net, split.x, undefined as never))).toBe("OPTION");
    split.net.dispose();
    net.dispose();
    teacher.dispose();
  });
});

describe("alignNeurons in a deeper layer", () => {
  it("recognises a permuted copy of a two-hidden-layer network layer by layer (mirror signs of tanh included)", () => {
    const layers = [
      [4, "tanh", true],
      [3, "softplus", true],
      [2, "identity", true],
    ] as const;
    const teacher = new TeacherNet({ layers, din: 2, seed: 21 });
    const net = new Net({ layers, din: 2 });
    const t = net.paramsToDict(teacher.params);
    const p1 = [2, 0, 3, 1];
    const flip = [1, -1, 1, -1]; // tanh is odd: neuron (w, a) ≡ (−w, −a)
    const p2 = [1, 2, 0];
    // student neuron i of layer 1 is teacher neuron p1[i] times flip[i]; layer 2 neuron j is teacher neuron p2[j]
    const w1 = p1.map((r, i) => t.w1[r].map((v) => flip[i] * v));
    const w2 = p2.map((r) => [...p1.map((q, i) => flip[i] * t.w2[r][q]), t.w2[r][4]]);
    const w3 = t.w3.map((row) => [...p2.map((r) => row[r]), row[3]]);
    const xs = net.paramsFromDict({ w1, w2, w3 });
    // same function
    const input = inputs(5, 2, 8);
    const y = net.forward(xs, input).data;
    teacher.forward(input).data.forEach((v, k) => expect(y[k]).toBeCloseTo(v, 13));
    const l0 = alignNeurons(net, xs, teacher, teacher.params, { layer: 0 });
    expect(Array.from(l0.match)).toEqual(p1);
    expect(Array.from(l0.sign)).toEqual(flip);
    const l1 = alignNeurons(net, xs, teacher, teacher.params, { layer: 1 });
    expect(Array.from(l1.match)).toEqual(p2);
    expect(l1.oneToOne).toBe(true);
    l1.cosine.forEach((c) => expect(c).toBeCloseTo(1, 14));
    net.dispose();
    teacher.dispose();
  });
});
