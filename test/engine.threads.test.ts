// One evaluation split over samples across worker threads (init's `threads` option): the same results
// as one thread within 1e-14 relative, the same results on every call, and back to one thread.
import { afterAll, describe, expect, it } from "vitest";
import { MLPGFError, Net, PARALLEL_MIN_SAMPLES, gaussianInput, init, threadCount } from "../src/index.js";
import { SampleSplit } from "../src/engine/samplesplit.js";
import { relDiff } from "./helpers/reldiff.js";

// The worker threads run the built package (dist/engine/sliceworker.js: the same code, compiled).
const workerUrl = new URL("../dist/engine/sliceworker.js", import.meta.url);

/** A teacher–student net with n samples (softplus, D = 2), sample weights and several outputs when asked. */
function problem(n: number, opts: { softmax?: boolean; weights?: boolean } = {}) {
  const input = gaussianInput(n, 2, { seed: 3 });
  const layers = opts.softmax
    ? ([
        [6, "softplus", true],
        [3, "softmax", true],
      ] as const)
    : ([
        [8, "softplus", true],
        [2, "identity", true],
      ] as const);
  const target = opts.softmax
    ? Array.from({ length: n }, (_, i) => (input.data[2 * i] > 0.3 ? 2 : input.data[2 * i + 1] > 0 ? 1 : 0))
    : { rows: n, cols: 2, data: Float64Array.from({ length: 2 * n }, (_, i) => Math.sin(input.data[i] * 3) + 0.1 * Math.cos(i)) };
  const weights = opts.weights ? Array.from({ length: n }, (_, i) => 0.5 + (i % 7) / 7) : undefined;
  const net = new Net({ layers, input, target, weights });
  const x = net.randomParams({ seed: 5 }).map((v, i) => v + 0.2 * Math.sin(i));
  return { net, x };
}

/** Loss, gradient, Hessian and Hessian-vector product of the net at x (per-call weights when given). */
function evaluate(net: Net, x: Float64Array, weights?: number[]) {
  const o = weights ? { weights } : undefined;
  const v = Float64Array.from(x, (_, i) => Math.cos(i));
  const lg = net.lossAndGradient(x, o);
  return { loss: lg.loss, gradient: lg.gradient, hessian: net.hessian(x, o).data, hvp: net.hvp(x, v, o) };
}

afterAll(() => init(undefined, { threads: 1 }));

describe("threads: one evaluation over several threads", () => {
  const cases = [
    { name: "mse, 2 outputs", n: 3 * PARALLEL_MIN_SAMPLES + 123, opts: {} },
    { name: "mse with sample weights", n: 2 * PARALLEL_MIN_SAMPLES + 7, opts: { weights: true } },
    { name: "softmax–nll with class labels", n: 2 * PARALLEL_MIN_SAMPLES + 2, opts: { softmax: true } },
  ];
  for (const { name, n, opts } of cases) {
    it(`${name}, N = ${n}: 2 and 3 threads equal one thread within 1e-14 relative, bitwise the same on every call`, async () => {
      const { net, x } = problem(n, opts);
      const perCall = Array.from({ length: n }, (_, i) => 1 + (i % 3));
      await init(undefined, { threads: 1 });
      const one = evaluate(net, x);
      const oneW = evaluate(net, x, perCall);
      for (const t of [2, 3]) {
        await init(undefined, { threads: t, workerUrl });
        expect(threadCount()).toBe(t);
        const split = SampleSplit.evaluations;
        const many = evaluate(net, x);
        // loss+gradient, Hessian and Hessian-vector product are split when there are PARALLEL_MIN_SAMPLES per thread
        expect(SampleSplit.evaluations - split).toBe(n >= PARALLEL_MIN_SAMPLES * t ? 3 : 0);
        expect(Math.abs(many.loss - one.loss) / one.loss).toBeLessThan(1e-14);
        expect(relDiff(many.gradient, one.gradient)).toBeLessThan(1e-14);
        expect(relDiff(many.hessian, one.hessian)).toBeLessThan(1e-14);
        expect(relDiff(many.hvp, one.hvp)).toBeLessThan(1e-14);
        // not a copy of the one-thread path: the split adds partial sums (rounding may differ)
        const again = evaluate(net, x);
        expect(again.loss).toBe(many.loss);
        expect(Array.from(again.gradient)).toEqual(Array.from(many.gradient));
        expect(Array.from(again.hessian)).toEqual(Array.from(many.hessian));
        // per-call sample weights reach every slice, and the network's own weights come back after
        const manyW = evaluate(net, x, perCall);
        expect(Math.abs(manyW.loss - oneW.loss) / oneW.loss).toBeLessThan(1e-14);
        expect(relDiff(manyW.gradient, oneW.gradient)).toBeLessThan(1e-14);
        expect(relDiff(manyW.hessian, oneW.hessian)).toBeLessThan(1e-14);
        expect(evaluate(net, x).loss).toBe(many.loss);
      }
      net.dispose();
    });
  }

  it("a network made and evaluated after init({ threads }): slices larger than the threshold do not split again", async () => {
    await init(undefined, { threads: 2, workerUrl });
    const n = 4 * PARALLEL_MIN_SAMPLES + 501; // each of the 2 slices is over 2·PARALLEL_MIN_SAMPLES
    const { net, x } = problem(n);
    const before = SampleSplit.evaluations;
    const many = evaluate(net, x); // the very first evaluation of this network is split
    expect(SampleSplit.evaluations - before).toBe(3);
    await init(undefined, { threads: 1 });
    const one = evaluate(net, x);
    expect(Math.abs(many.loss - one.loss) / one.loss).toBeLessThan(1e-14);
    expect(relDiff(many.gradient, one.gradient)).toBeLessThan(1e-14);
    expect(relDiff(many.hessian, one.hessian)).toBeLessThan(1e-14);
    expect(relDiff(many.hvp, one.hvp)).toBeLessThan(1e-14);
    net.dispose();
  });

  it("minibatches (data replaced between evaluations) reach the threads; small networks stay on one thread", async () => {
    const n = 2 * PARALLEL_MIN_SAMPLES;
    const { net: big, x } = problem(2 * n, { weights: true });
    const layers = [
      [8, "softplus", true],
      [2, "identity", true],
    ] as const;
    const block = (k: number) => {
      const d = big.dataset!;
      return new Net({
        layers,
        input: { rows: n, cols: 2, data: d.input.slice(2 * k * n, 2 * (k + 1) * n) },
        target: { rows: n, cols: 2, data: d.target.slice(2 * k * n, 2 * (k + 1) * n) },
        weights: Array.from(d.weights!.subarray(k * n, (k + 1) * n)),
      });
    };
    await init(undefined, { threads: 1 });
    const refs = [0, 1].map((k) => {
      const b = block(k);
      const r = b.lossAndGradient(x);
      b.dispose();
      return r;
    });
    const batch = block(0);
    await init(undefined, { threads: 2, workerUrl });
    const before = SampleSplit.evaluations;
    for (const k of [0, 1, 0, 1]) {
      batch.loadBlock(big, k * n);
      const r = batch.lossAndGradient(x);
      expect(Math.abs(r.loss - refs[k].loss) / refs[k].loss).toBeLessThan(1e-14);
      expect(relDiff(r.gradient, refs[k].gradient)).toBeLessThan(1e-14);
    }
    expect(SampleSplit.evaluations - before).toBe(4); // all four were split
    const tiny = new Net({
      layers: [
        [2, "tanh", true],
        [1, "identity", true],
      ],
      input: [[1, 2]],
      target: [[1]],
    });
    expect(Number.isFinite(tiny.loss(tiny.randomParams({ seed: 1 })))).toBe(true);
    expect(SampleSplit.evaluations - before).toBe(4); // 1 sample: not split
    for (const m of [big, batch, tiny]) m.dispose();
  });

  it("bad thread counts are OPTION errors", async () => {
    for (const t of [0, -1, 1.5, Number.NaN, "two", 1000]) {
      await expect(init(undefined, { threads: t as never })).rejects.toMatchObject({ code: "OPTION" });
    }
    await expect(init(undefined, { thread: 2 } as never)).rejects.toBeInstanceOf(MLPGFError);
  });
});
