import { describe, expect, it } from "vitest";
import { MLPGFError, Net, NetI, TeacherNet, type TrainOptions, train, trainMany } from "../../src/index.js";
import type { ManyProgressInfo } from "../../src/index.js";
import { randn, rng } from "../helpers/reference.js";
import { outcome } from "../io/sample.js";

// Workers run the built package (dist/train/worker.js: the same code, compiled); the engine module is
// the one test/setup.ts loaded (release or debug build), sent to every worker.
const workerUrl = new URL("../../dist/train/worker.js", import.meta.url);

function problem(n = 200, seed = 4) {
  const r = rng(seed);
  const input = randn(r, n, 2);
  const teacher = new Net({
    layers: [
      [3, "softplus", true],
      [1, "identity", true],
    ],
    din: 2,
  });
  const target = teacher.forward(teacher.randomParams({ seed }), input);
  teacher.dispose();
  const weights = Array.from({ length: n }, (_, i) => 0.5 + (i % 3) / 2);
  return new Net({
    layers: [
      [3, "softplus", true],
      [1, "identity", true],
    ],
    input,
    target,
    weights,
  });
}

describe("trainMany", () => {
  it("equals sequential train bitwise, in input order (4 starts on 2 workers, weighted Net)", async () => {
    const net = problem();
    const starts = [5, 6, 7, 8].map((seed) => net.randomParams({ seed }));
    const opts: TrainOptions = { alg: "tsit5", maxiterationsOde: 300, maxiterationsOptim: 20, nSamplesTrajectory: 10 };
    const many = await trainMany(net, starts, opts, { workers: 2, workerUrl });
    expect(many.length).toBe(4);
    for (let i = 0; i < starts.length; i++) {
      const seq = await train(net, starts[i], opts);
      expect(outcome(many[i])).toEqual(outcome(seq));
      expect(many[i].error).toBeUndefined();
    }
    net.dispose();
  });

  it("passes varpro to the workers: same results as sequential", async () => {
    const net = problem(150, 9);
    const starts = [1, 2].map((seed) => net.randomParams({ seed }));
    const opts: TrainOptions = { maxiterationsOde: 30, maxiterationsOptim: 30, varpro: true, nSamplesTrajectory: 5 };
    const many = await trainMany(net, starts, opts, { workers: 2, workerUrl });
    for (let i = 0; i < starts.length; i++) {
      expect(many[i].error).toBeUndefined();
      expect(outcome(many[i])).toEqual(outcome(await train(net, starts[i], opts)));
    }
    net.dispose();
  });

  it("rebuilds a NetI (teacher + student) in the workers: same results as sequential", async () => {
    const teacher = new TeacherNet({
      layers: [
        [2, "normal_cdf", false],
        [1, "identity", false],
      ],
      din: 3,
      seed: 2,
    });
    const net = new NetI(teacher, {
      layers: [
        [3, "normal_cdf", false],
        [1, "identity", false],
      ],
    });
    const starts = [1, 2, 3].map((seed) => net.randomParams({ seed }));
    const opts: TrainOptions = { alg: "rk4", maxiterationsOde: 100, maxiterationsOptim: 5, nSamplesTrajectory: 5 };
    const many = await trainMany(net, starts, opts, { workers: 2, workerUrl });
    for (let i = 0; i < starts.length; i++) expect(outcome(many[i])).toEqual(outcome(await train(net, starts[i], opts)));
    net.dispose();
    teacher.dispose();
  });

  it("a start with invalid parameters fails alone with a clear error; the others are unaffected", async () => {
    const net = problem(100);
    const good = net.randomParams({ seed: 1 });
    const withNaN = good.slice();
    withNaN[2] = NaN;
    const starts = [good, good.subarray(0, 5), withNaN, net.randomParams({ seed: 2 })];
    const opts: TrainOptions = { alg: "rk4", maxiterationsOde: 50, maxiterationsOptim: 2 };
    const r = await trainMany(net, starts, opts, { workers: 2, workerUrl });
    expect(r[1].error?.code).toBe("SHAPE");
    expect(r[1].error?.message).toMatch(/x0: has length 5, expected 13/);
    expect(r[2].error?.code).toBe("VALUE");
    expect(r[2].error?.message).toMatch(/x0: entry at index 2 is NaN/);
    for (const i of [1, 2]) {
      expect(r[i].loss).toBeNaN();
      expect(r[i].trajectory).toEqual([]);
      expect(Array.from(r[i].init)).toEqual(Array.from(starts[i]));
    }
    expect(outcome(r[0])).toEqual(outcome(await train(net, good, opts)));
    expect(outcome(r[3])).toEqual(outcome(await train(net, starts[3], opts)));
    net.dispose();
  });

  it("an abort stops every worker: each start returns its best point with reason 'aborted'", async () => {
    const net = problem(2000);
    const starts = [1, 2, 3].map((seed) => net.randomParams({ seed }));
    const ac = new AbortController();
    const t = performance.now();
    setTimeout(() => ac.abort(), 400);
    const r = await trainMany(
      net,
      starts,
      { alg: "tsit5", maxtimeOde: 60, maxiterationsOde: 1e9, signal: ac.signal },
      { workers: 2, workerUrl },
    );
    expect(performance.now() - t).toBeLessThan(10_000);
    for (const [i, ri] of r.entries()) {
      expect(ri.error).toBeUndefined();
      expect(ri.odeStoppedBy).toBe("aborted");
      expect(ri.loss).toBeLessThanOrEqual(net.loss(starts[i]));
      expect(ri.loss).toBe(net.loss(ri.x));
    }
    net.dispose();
  });

  it("forwards onProgress from the workers with the start index", async () => {
    const net = problem(2000);
    const starts = [1, 2].map((seed) => net.randomParams({ seed }));
    const seen: ManyProgressInfo[] = [];
    await trainMany(
      net,
      starts,
      {
        alg: "tsit5",
        maxiterationsOde: 400,
        maxiterationsOptim: 0,
        progressInterval: 0.02,
        onProgress: (p) => seen.push(p as ManyProgressInfo),
      },
      { workers: 2, workerUrl },
    );
    expect(new Set(seen.map((p) => p.start))).toEqual(new Set([0, 1]));
    expect(seen.every((p) => p.phase === "ode" && Number.isFinite(p.loss))).toBe(true);
    net.dispose();
  });

  it("a worker that cannot start fails its starts with code WORKER instead of hanging", async () => {
    const net = problem(20);
    const missing = new URL("../../dist/train/no-such-worker.js", import.meta.url);
    const r = await trainMany(net, [net.randomParams({ seed: 1 }), net.randomParams({ seed: 2 })], {}, { workers: 2, workerUrl: missing });
    for (const ri of r) {
      expect(ri.error?.code).toBe("WORKER");
      expect(ri.error?.message).toMatch(/trainMany: a worker (failed|exited)/);
    }
    net.dispose();
  });

  it("validates its arguments", async () => {
    const net = problem(20);
    const x = net.randomParams();
    expect(await trainMany(net, [], {}, { workerUrl })).toEqual([]);
    await expect(trainMany(net, [x], {}, { workers: 0, workerUrl })).rejects.toThrow(/option workers: expected an integer ≥ 1, got 0/);
    await expect(trainMany(net, [x], { checkpoint: { path: "a.json" } }, { workerUrl })).rejects.toThrow(
      /checkpoint and resume are not supported/,
    );
    await expect(trainMany(net, x as unknown as Float64Array[], {}, { workerUrl })).rejects.toBeInstanceOf(MLPGFError);
    await expect(trainMany({} as Net, [x], {}, { workerUrl })).rejects.toThrow(/must be a Net or a NetI/);
    net.dispose();
  });
});
