import { describe, expect, it } from "vitest";
import {
  Net,
  NetI,
  TeacherNet,
  channelCoordinates,
  classifyEndpoint,
  findChannels,
  fromChannelCoordinates,
  hessianSpectrum,
  jumpAlongChannel,
  train,
} from "../../src/index.js";
import { errorCode, inputs } from "../landscape/helpers.js";

// ---- an independent oracle: the loss at infinity of the toy problem by 1-D quadrature ----------
// teacher f(x) = σ(5x + 2.5) + σ(5x − 2.5), σ(z) = erf(z/√2), x ~ N(0, 1). At the end of a channel
// the pair computes c·σ(wx) + b·x·σ′(wx) (b = a·Δ), so the loss at infinity is
// L∞(w) = min_{c,b} E[(c·σ(wx) + b·x·σ′(wx) − f(x))²], a 2 × 2 least-squares problem for each w.

/** erf by its Taylor series (|z| < 2) or the continued fraction of erfc (|z| ≥ 2); ≈ 1e-15. */
function erf(z: number): number {
  const t = Math.abs(z);
  if (t < 2) {
    let term = t;
    let sum = t;
    for (let n = 1; n < 60; n++) {
      term *= (-t * t) / n;
      sum += term / (2 * n + 1);
    }
    return (Math.sign(z) * 2 * sum) / Math.sqrt(Math.PI);
  }
  if (t > 7) return Math.sign(z);
  let k = t; // erfc(t) = e^{−t²}/√π · 1/(t + (1/2)/(t + 1/(t + (3/2)/(t + …))))
  for (let n = 200; n >= 1; n--) k = t + n / 2 / k;
  return Math.sign(z) * (1 - Math.exp(-t * t) / (Math.sqrt(Math.PI) * k));
}
const sigma = (z: number) => erf(z / Math.SQRT2);
const dsigma = (z: number) => Math.sqrt(2 / Math.PI) * Math.exp(-(z * z) / 2);

const H = 0.0075;
const GRID = Array.from({ length: 3201 }, (_, k) => -12 + k * H);
const WEIGHT = GRID.map((x) => (H * Math.exp(-(x * x) / 2)) / Math.sqrt(2 * Math.PI));
const TEACHER = GRID.map((x) => sigma(5 * x + 2.5) + sigma(5 * x - 2.5));

/** E[(c σ(wx) + b x σ′(wx) − f)²] and the optimal (c, b) for a given w (b = 0 for a single neuron). */
function limitLoss(w: number, glu = true): { loss: number; c: number; b: number } {
  let s11 = 0,
    s12 = 0,
    s22 = 0,
    r1 = 0,
    r2 = 0,
    ff = 0;
  GRID.forEach((x, k) => {
    const u = sigma(w * x);
    const v = glu ? x * dsigma(w * x) : 0;
    const p = WEIGHT[k];
    const f = TEACHER[k];
    s11 += p * u * u;
    s12 += p * u * v;
    s22 += p * v * v;
    r1 += p * u * f;
    r2 += p * v * f;
    ff += p * f * f;
  });
  const det = s11 * s22 - s12 * s12;
  const c = glu ? (r1 * s22 - r2 * s12) / det : r1 / s11;
  const b = glu ? (s11 * r2 - s12 * r1) / det : 0;
  return { loss: ff - 2 * (c * r1 + b * r2) + c * c * s11 + 2 * c * b * s12 + b * b * s22, c, b };
}

/** Golden-section search for a minimum (sign 1) or maximum (sign −1) of f on [lo, hi]. */
function golden(f: (w: number) => number, lo: number, hi: number, sign = 1): number {
  const r = (Math.sqrt(5) - 1) / 2;
  let a = lo,
    b = hi;
  for (let k = 0; k < 50; k++) {
    const x1 = b - r * (b - a),
      x2 = a + r * (b - a);
    if (sign * f(x1) < sign * f(x2)) b = x2;
    else a = x1;
  }
  return (a + b) / 2;
}

/** Least-squares slope of log y over log x. */
function slope(x: number[], y: number[]): number {
  const lx = x.map(Math.log),
    ly = y.map(Math.log);
  const mx = lx.reduce((s, v) => s + v) / lx.length,
    my = ly.reduce((s, v) => s + v) / ly.length;
  let sxy = 0,
    sxx = 0;
  lx.forEach((v, k) => ((sxy += (v - mx) * (ly[k] - my)), (sxx += (v - mx) ** 2)));
  return sxy / sxx;
}

function toy(): { net: NetI; teacher: TeacherNet } {
  const teacher = new TeacherNet({
    layers: [
      [2, "sigmoid2", true],
      [1, "identity", false],
    ],
    din: 1,
    params: [5, 5, 2.5, -2.5, 1, 1],
  });
  return {
    teacher,
    net: new NetI(teacher, {
      layers: [
        [2, "sigmoid2", false],
        [1, "identity", false],
      ],
    }),
  };
}

describe("the oracle reproduces the issue's independently computed numbers", () => {
  it("critical points of the loss at infinity: 0.86630 (0.042372), 3.15043 (0.00077333), saddle 1.39955 (0.047116 = best single neuron)", () => {
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 14);
    expect(erf(2.5)).toBeCloseTo(0.999593047982555, 14);
    const L = (w: number) => limitLoss(w).loss;
    const wStar = golden(L, 2.5, 4);
    expect(wStar).toBeCloseTo(3.15043, 5);
    expect(L(wStar)).toBeCloseTo(0.00077333, 8);
    expect(limitLoss(wStar).c).toBeCloseTo(2.0178, 4);
    expect(limitLoss(wStar).b).toBeCloseTo(-6.5111, 4);
    const wLocal = golden(L, 0.5, 1.2);
    expect(wLocal).toBeCloseTo(0.8663, 4);
    expect(L(wLocal)).toBeCloseTo(0.042372, 6);
    const wSaddle = golden(L, 1.1, 2, -1);
    expect(wSaddle).toBeCloseTo(1.39955, 4);
    expect(L(wSaddle)).toBeCloseTo(0.047116, 6);
    const single = golden((w) => limitLoss(w, false).loss, 0.5, 3);
    expect(single).toBeCloseTo(wSaddle, 4);
    expect(limitLoss(single, false).loss).toBeCloseTo(L(wSaddle), 10);
  });
});

describe("channels on the toy problem (NetI, one input, 2-neuron student without biases)", () => {
  it("training finds the channel; jumps converge to the minimum at infinity with loss − limit ∝ ε² and λ_max ∝ ε⁻²", async () => {
    const { net, teacher } = toy();
    const wStar = golden((w) => limitLoss(w).loss, 2.5, 4);
    const limit = limitLoss(wStar);
    const r = await train(net, [4, 1, 1, 1], { maxT: 1e5, maxiterationsOptim: 0, maxtimeOde: 600 });
    const found = findChannels(net, r.x, { trajectory: r.trajectory });
    expect(found.map(({ layer, i, j, sign }) => ({ layer, i, j, sign }))).toEqual([{ layer: 0, i: 0, j: 1, sign: 1 }]);
    expect(found[0].lateShare).toBeGreaterThan(0.5);
    expect(found[0].outSum).toBeGreaterThan(10);
    const kind = classifyEndpoint(net, r.x, { channels: { trajectory: r.trajectory } });
    expect(kind.kind).toBe("channel");
    expect(kind.channels).toHaveLength(1);
    const pair = { i: 0, j: 1 };
    let x = r.x;
    const eps: number[] = [],
      excess: number[] = [],
      lmax: number[] = [];
    for (let k = 0; k < 7; k++) {
      const before = channelCoordinates(net, x, pair);
      const jumped = jumpAlongChannel(net, x, pair, 0.5);
      const after = channelCoordinates(net, jumped, pair);
      expect(after.eps / before.eps).toBeCloseTo(0.5, 12);
      expect(after.w[0]).toBeCloseTo(before.w[0], 12);
      expect(after.c[0]).toBeCloseTo(before.c[0], 12);
      expect(after.a[0]).toBeCloseTo(before.a[0], 11);
      // relax the finite coordinates at the new ε by a short gradient flow (ODE time 1000)
      x = (await train(net, jumped, { maxT: 1e3, maxiterationsOptim: 0, maxtimeOde: 600 })).x;
      const co = channelCoordinates(net, x, pair);
      eps.push(co.eps);
      excess.push(net.loss(x) - limit.loss);
      const v = hessianSpectrum(net, x).values;
      lmax.push(v[v.length - 1]);
    }
    const co = channelCoordinates(net, x, pair);
    expect(co.eps).toBeLessThan(0.004);
    expect(co.w[0]).toBeCloseTo(wStar, 4);
    expect(co.c[0]).toBeCloseTo(limit.c, 4);
    expect(co.a[0] * co.delta[0]).toBeCloseTo(limit.b, 3);
    expect(excess.every((e) => e > 0)).toBe(true);
    expect(slope(eps, excess)).toBeCloseTo(2, 1);
    expect(slope(eps, lmax)).toBeCloseTo(-2, 1);
    net.dispose();
    teacher.dispose();
  });

  it("a channel of mirrored neurons (odd activation: (w, a) ≡ (−w, −a)) is found with sign −1, near the local minimum at infinity w ≈ 0.8663", async () => {
    const { net, teacher } = toy();
    const r = await train(net, [-0.011, -0.977, 0.427, 1.089], { maxT: 1e6, maxiterationsOptim: 0, maxtimeOde: 600 });
    const [p, ...rest] = findChannels(net, r.x);
    expect(rest).toEqual([]);
    expect(p.sign).toBe(-1);
    expect(Math.abs(p.w[0])).toBeCloseTo(
      golden((w) => limitLoss(w).loss, 0.5, 1.2),
      2,
    );
    const back = fromChannelCoordinates(net, r.x, p, p);
    back.forEach((v, k) => expect(v).toBeCloseTo(r.x[k], 13));
    net.dispose();
    teacher.dispose();
  });
});

describe("channel coordinates", () => {
  /** max |a − b| / max |b|. */
  const rel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let d = 0,
      s = 0;
    for (let k = 0; k < b.length; k++) (d = Math.max(d, Math.abs(a[k] - b[k]))), (s = Math.max(s, Math.abs(b[k])));
    return d / s;
  };

  it("round trip to 1e-14 in deeper layers and with several outputs, mirrored or not", () => {
    const input = inputs(20, 3, 2);
    const target = inputs(20, 3, 3);
    const net = new Net({
      layers: [
        [4, "tanh", true],
        [5, "softplus", true],
        [3, "identity", true],
      ],
      input,
      target,
    });
    const x = net.randomParams({ seed: 4 });
    for (const pair of [
      { layer: 0, i: 1, j: 3 },
      { layer: 0, i: 2, j: 0, sign: -1 as const },
      { layer: 1, i: 0, j: 4 },
      { layer: 1, i: 3, j: 2 },
    ]) {
      const c = channelCoordinates(net, x, pair);
      expect(c.c).toHaveLength(pair.layer === 0 ? 5 : 3);
      expect(c.w).toHaveLength(pair.layer === 0 ? 4 : 5);
      expect(Math.hypot(...c.delta)).toBeCloseTo(1, 15);
      expect(rel(fromChannelCoordinates(net, x, pair, c), x)).toBeLessThan(1e-14);
      // changed entries: only the pair's
      const moved = fromChannelCoordinates(net, x, pair, { ...c, eps: 2 * c.eps });
      const changed = moved.reduce((n, v, k) => n + (v !== x[k] ? 1 : 0), 0);
      expect(changed).toBeLessThanOrEqual(2 * (c.w.length + c.c.length));
      expect(changed).toBeGreaterThan(0);
    }
    net.dispose();
  });

  it("the pair tends to the gated linear unit: the network function changes by O(ε²) under jumps", () => {
    const input = inputs(30, 2, 5);
    const net = new Net({
      layers: [
        [3, "softplus", true],
        [2, "identity", false],
      ],
      input,
      target: inputs(30, 2, 6),
    });
    const x = net.randomParams({ seed: 1 });
    const pair = { i: 0, j: 2 };
    const y0 = net.forward(jumpAlongChannel(net, x, pair, 1e-4)).data; // ≈ the limit
    const d = [0.5, 0.25, 0.125].map((f) => {
      const y = net.forward(jumpAlongChannel(net, x, pair, f)).data;
      return Math.max(...y.map((v, k) => Math.abs(v - y0[k])));
    });
    expect(d[0] / d[1]).toBeCloseTo(4, 0);
    expect(d[1] / d[2]).toBeCloseTo(4, 0);
    net.dispose();
  });

  it("errors: identical incoming weights (eps = 0), bad pairs and factors", () => {
    const net = new Net({
      layers: [
        [2, "tanh", true],
        [1, "identity", true],
      ],
      input: [[1], [2]],
      target: [[0], [1]],
    });
    const x = new Float64Array([1, 1, 0.5, 0.5, 2, -1, 0]);
    expect(errorCode(() => channelCoordinates(net, x, { i: 0, j: 1 }))).toBe("VALUE");
    expect(findChannels(net, x, { minOutSum: 0 })).toEqual([]); // a split point, not a channel
    expect(errorCode(() => channelCoordinates(net, x, { i: 0, j: 0 }))).toBe("VALUE");
    expect(errorCode(() => channelCoordinates(net, x, { layer: 1, i: 0, j: 1 }))).toBe("VALUE");
    expect(errorCode(() => jumpAlongChannel(net, [1, 2, 0.5, 0.5, 2, -1, 0], { i: 0, j: 1 }, 0))).toBe("VALUE");
    expect(errorCode(() => findChannels(net, x, { minOutsum: 1 } as never))).toBe("OPTION");
    net.dispose();
  });
});
