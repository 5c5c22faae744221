// train under diverging rules and at ties of the best point (issue 12, points 2 and 3), and trainMany
// with starts or options that cannot reach a worker.
import { describe, expect, it } from "vitest";
import { MLPGFError, Net, type TrainOptions, train, trainMany } from "../../src/index.js";
import { F_TIE, isBetterPoint } from "../../src/optim/index.js";
import { TrainObjective } from "../../src/train/objective.js";
import { randn, rng } from "../helpers/reference.js";
import { rejected } from "./helpers.js";

const workerUrl = new URL("../../dist/train/worker.js", import.meta.url);

/** A softplus network on large-valued data: gradients of order 1e10, so big learning rates overflow. */
function steep() {
  const input = [
    [10, 20],
    [30, 40],
    [5, -10],
    [20, 20],
  ];
  const target = [[1e10], [2e10], [0], [1e10]];
  return new Net({
    layers: [
      [2, "softplus", true],
      [1, "identity", true],
    ],
    input,
    target,
  });
}

const DIVERGED = "diverged: non-finite loss or gradient";

describe("a diverging discrete rule returns its best point", () => {
  it.each([1e300, 1e100, 1e30])(
    "descent eta = %s: best point, stop 'diverged', no non-finite step in trajectory or lossCurve",
    async (eta) => {
      const net = steep();
      const x0 = net.randomParams({ seed: 1 });
      const r = await train(net, x0, { alg: { descent: { eta } }, maxiterationsOde: 50, maxiterationsOptim: 0 });
      expect(r.error).toBeUndefined();
      expect(r.odeStoppedBy).toBe(DIVERGED);
      expect(r.converged).toBe(false);
      expect(Array.from(r.x)).toEqual(Array.from(x0)); // the first step already overflows: the start is the best point
      expect(r.loss).toBe(net.loss(x0));
      expect(r.lossCurve.length).toBe(r.trajectory.length);
      expect(r.lossCurve.every(Number.isFinite)).toBe(true);
      expect(r.trajectory.every((p) => p.x.every(Number.isFinite))).toBe(true);
      r.trajectory.forEach((p, i) => expect(r.lossCurve[i]).toBe(net.loss(p.x)));
      net.dispose();
    },
  );

  it("then phase 2 still runs from the best point", async () => {
    const net = steep();
    const x0 = net.randomParams({ seed: 1 });
    const r = await train(net, x0, { alg: { descent: { eta: 1e300 } }, maxiterationsOde: 50, maxiterationsOptim: 2000 });
    expect(r.odeStoppedBy).toBe(DIVERGED);
    expect(r.loss).toBeLessThan(1e-3 * net.loss(x0));
    expect(r.lossCurve.every(Number.isFinite)).toBe(true);
    net.dispose();
  });

  it("Adam and minibatches: an overflowing iterate stops the phase with the same reason", async () => {
    const net = steep();
    const x0 = net.randomParams({ seed: 2 });
    for (const opts of [
      { alg: { adam: { eta: 1e300 } }, maxiterationsOde: 50, maxiterationsOptim: 0 },
      { alg: { descent: { eta: 1e300 } }, batchsize: 2, maxiterationsOde: 50, maxiterationsOptim: 0 },
    ] as TrainOptions[]) {
      const r = await train(net, x0, opts);
      expect(r.odeStoppedBy).toBe(DIVERGED);
      expect(r.x.every(Number.isFinite)).toBe(true);
      expect(r.loss).toBeLessThanOrEqual(net.loss(x0));
      expect(r.lossCurve.every(Number.isFinite)).toBe(true);
    }
    net.dispose();
  });

  it("an Infinity parameter is a non-finite point for the ODE methods too (no VALUE thrown out of train)", async () => {
    // explicit Euler with a huge fixed step: the state overflows to ±Infinity on the first steps
    const net = steep();
    const x0 = net.randomParams({ seed: 1 });
    const r = await train(net, x0, { alg: "euler", dt: 1e300, maxiterationsOde: 20, maxiterationsOptim: 0 });
    expect(r.x.every(Number.isFinite)).toBe(true);
    expect(r.loss).toBe(net.loss(x0));
    expect(r.lossCurve.every(Number.isFinite)).toBe(true);
    net.dispose();
  });
});

describe("the best point of train uses the optimizer's tie rule", () => {
  it("isBetterPoint: lower f wins; within F_TIE the smaller gradient wins; judged against the lowest f; non-finite never wins", () => {
    expect(isBetterPoint(1, 5, Infinity, Infinity)).toBe(true);
    expect(isBetterPoint(0.9, 5, 1, 1)).toBe(true);
    expect(isBetterPoint(1 + 0.5 * F_TIE, 0.5, 1, 1)).toBe(true); // a tie, smaller gradient
    expect(isBetterPoint(1 + 0.5 * F_TIE, 2, 1, 1)).toBe(false); // a tie, larger gradient
    expect(isBetterPoint(1 + 3 * F_TIE, 0, 1, 1)).toBe(false); // not a tie
    expect(isBetterPoint(1 - 3 * F_TIE, 10, 1, 1)).toBe(true);
    expect(isBetterPoint(NaN, 0, 1, 1)).toBe(false);
    expect(isBetterPoint(Infinity, 0, Infinity, Infinity)).toBe(false);
    expect(isBetterPoint(1, NaN, 1, 1)).toBe(false);
    expect(isBetterPoint(0, 0, 0, 0)).toBe(true); // exact zero: equal gradient counts
  });

  it("TrainObjective keeps, of two losses equal to rounding, the point with the smaller gradient", () => {
    // a stand-in network: f(x) = 1 + 1e-15·x₀ with gradient (x₁, 0) — the loss cannot tell the points apart
    const net = {
      nparams: 2,
      loss: (x: ArrayLike<number>) => 1 + 1e-15 * x[0],
      gradient: (x: ArrayLike<number>) => Float64Array.of(x[1], 0),
      lossAndGradient: (x: ArrayLike<number>) => ({ loss: 1 + 1e-15 * x[0], gradient: Float64Array.of(x[1], 0) }),
      hessian: () => ({ rows: 2, cols: 2, data: new Float64Array(4) }),
    };
    const obj = new TrainObjective(net, {}, Float64Array.of(0, 1), performance.now(), { interval: 1e9, verbosity: 0 });
    const g = new Float64Array(2);
    obj.evaluate(Float64Array.of(0, 1e-3), g);
    obj.evaluate(Float64Array.of(5, 1e-9), g); // loss 5e-15 higher (a tie), gradient 1e6 times smaller
    expect(Array.from(obj.best.x)).toEqual([5, 1e-9]);
    expect(obj.best.gnorm).toBe(1e-9);
    obj.evaluate(Float64Array.of(-1, 1), g); // lower but within the tie: the larger gradient does not win
    expect(Array.from(obj.best.x)).toEqual([5, 1e-9]);
    obj.evaluate(Float64Array.of(-1e3, 1), g); // 1e-12 lower: beyond the tie, the loss decides
    expect(Array.from(obj.best.x)).toEqual([-1e3, 1]);
    expect(obj.evaluate(Float64Array.of(Infinity, 0), g)).toBeNaN(); // a diverged point is not evaluated
    expect(Array.from(obj.best.x)).toEqual([-1e3, 1]);
  });

  it.each([4, 21])(
    "softplus teacher–student (D = 4, N = 1000, P = 10, maxiterationsOde: 0, seed %i) ends at ‖∇‖∞ ≤ 1e-15",
    async (seed) => {
      // with a best point by loss alone these runs returned ‖∇‖∞ 1.4e-10 and 7.8e-10 with "no progress",
      // although the optimizer had reached 1e-15 at a loss higher by rounding only
      const input = randn(rng(seed), 1000, 4);
      const teacher = new Net({
        layers: [
          [4, "softplus", false],
          [1, "identity", false],
        ],
        din: 4,
      });
      const target = teacher.forward(teacher.randomParams({ seed: seed + 100 }), input);
      teacher.dispose();
      const net = new Net({
        layers: [
          [2, "softplus", false],
          [1, "identity", false],
        ],
        input,
        target,
      });
      expect(net.nparams).toBe(10);
      const r = await train(net, net.randomParams({ seed }), { maxiterationsOde: 0 });
      expect(r.optimStoppedBy).toBe("min_gnorm ≤ 1e-15");
      expect(r.converged).toBe(true);
      const g = net.gradient(r.x);
      expect(Math.max(...g.map(Math.abs))).toBeLessThanOrEqual(1e-15);
      expect(r.gnorm).toBe(Math.max(...g.map(Math.abs)));
      net.dispose();
    },
  );
});

describe("trainMany with starts and options that cannot reach a worker", () => {
  const net = steep();
  const x = net.randomParams({ seed: 1 });

  it("an uncloneable start (a Symbol) is a VALUE error naming it, not a process crash", async () => {
    const e = await rejected(trainMany(net, [x, [Symbol()] as never], { maxiterationsOde: 2 }, { workerUrl }));
    expect(e.code).toBe("VALUE");
    expect(e.message).toMatch(/x0s\[1\] must be an array of numbers or a Float64Array; its entry 0 is Symbol\(\)/);
    for (const bad of [new BigInt64Array(9), "abc", null, [null], [{}], { length: 9 }]) {
      expect((await rejected(trainMany(net, [x, bad as never], {}, { workerUrl }))).code).toBe("VALUE");
    }
  });

  it("options that could not be cloned are rejected by the train schema (OPTION) before any worker starts", async () => {
    const e = await rejected(trainMany(net, [x], { alg: { descent: { eta: 0.1, extra: () => 1 } } as never }, { workers: 1, workerUrl }));
    expect(e.code).toBe("OPTION");
    expect(e.message).toMatch(/unknown option "alg\.descent\.extra"; did you mean "eta"\?/);
  });

  it("an exception of onProgress rejects the call with that exception (as in train)", async () => {
    const boom = new Error("boom");
    const opts: TrainOptions = {
      alg: "rk4",
      maxiterationsOde: 2000,
      progressInterval: 1e-3,
      onProgress: () => {
        throw boom;
      },
    };
    await expect(trainMany(net, [x, x], opts, { workers: 2, workerUrl })).rejects.toBe(boom);
  });

  it("a disposed Net is DISPOSED", async () => {
    const other = steep();
    other.dispose();
    const e = await rejected(trainMany(other, [x], {}, { workerUrl }));
    expect(e).toBeInstanceOf(MLPGFError);
    expect(e.code).toBe("DISPOSED");
  });
});
