import { describe, expect, it } from "vitest";
import { MLPGFError, Net, train } from "../src/index.js";
import { randn, rng } from "./helpers/reference.js";

/** Teacher–student data: a softplus teacher (biases) labels Gaussian inputs. */
function teacherStudent(n: number, k = 3, seed = 1) {
  const r = rng(seed);
  const input = randn(r, n, 2);
  const teacher = new Net({
    layers: [
      [k, "softplus", true],
      [1, "identity", true],
    ],
    din: 2,
  });
  const xt = teacher.randomParams({ seed });
  for (let i = 0; i < xt.length; i++) xt[i] += 0.5 * (r() - 0.5);
  const target = teacher.forward(xt, input);
  teacher.dispose();
  const net = new Net({
    layers: [
      [k, "softplus", true],
      [1, "identity", true],
    ],
    input,
    target,
  });
  const noise = (s: number) => xt.map((v) => v + s * (r() - 0.5));
  return { net, xt, noise };
}

describe("train", () => {
  it("reaches loss < 1e-20 on an exactly representable teacher from a nearby start", async () => {
    const { net, xt, noise } = teacherStudent(1000);
    const x0 = noise(0.05);
    const r = await train(net, x0, { maxtimeOde: 20, maxtimeOptim: 20 });
    expect(r.loss).toBeLessThan(1e-20);
    expect(r.gnorm).toBeLessThan(1e-10);
    expect(r.converged).toBe(true);
    expect(Math.max(...r.x.map((v, i) => Math.abs(v - xt[i])))).toBeLessThan(1e-6);
    expect(r.odeIterations).toBeGreaterThan(0);
    expect(r.loss).toBe(net.loss(r.x));
    expect(Array.from(r.init)).toEqual(Array.from(x0));
    net.dispose();
  });

  it("follows the gradient flow: the loss decreases along the trajectory, log-spaced times", async () => {
    const { net, noise } = teacherStudent(300, 3, 2);
    for (const alg of ["tsit5", "rodas5p", "kencarp58", "trbdf2", "rk4"] as const) {
      const r = await train(net, noise(1), { alg, maxiterationsOde: 300, maxiterationsOptim: 0, nSamplesTrajectory: 20 });
      expect(r.trajectory.length).toBeLessThanOrEqual(20);
      expect(r.trajectory.length).toBeGreaterThan(15);
      expect(r.lossCurve.length).toBe(r.trajectory.length);
      for (let i = 1; i < r.trajectory.length; i++) {
        expect(r.trajectory[i].t).toBeGreaterThan(r.trajectory[i - 1].t);
        expect(r.lossCurve[i]).toBeLessThanOrEqual(r.lossCurve[i - 1] * (1 + 1e-12));
      }
      expect(r.odeStoppedBy).toMatch(/maxiterations ≥ 300|minloss|min_gnorm/);
      expect(r.optimStoppedBy).toBe("");
      // best over f evaluations; ESDIRK states end with a Newton update that f does not see
      expect(r.odeLoss).toBeLessThanOrEqual(Math.min(...r.lossCurve) * (1 + 1e-6));
      expect(r.odeLoss).toBe(net.loss(r.odeX));
    }
    net.dispose();
  });

  it("stamps every trajectory point with its wall-clock time: from ≈0, non-decreasing, within the run's total time", async () => {
    const { net, noise } = teacherStudent(300, 3, 4);
    for (const alg of ["rodas5p", { adam: { eta: 0.01 } }] as const) {
      const r = await train(net, noise(1), { alg, maxiterationsOde: 200, maxtimeOptim: 1, nSamplesTrajectory: 20 });
      const walls = r.trajectory.map((p) => p.wallTime);
      expect(walls.every((w) => typeof w === "number" && Number.isFinite(w))).toBe(true);
      const w = walls as number[];
      expect(w[0]).toBeGreaterThanOrEqual(0);
      expect(w[0]).toBeLessThan(r.odeTimeRun + 0.05);
      for (let i = 1; i < w.length; i++) expect(w[i]).toBeGreaterThanOrEqual(w[i - 1]);
      expect(w[w.length - 1]).toBeLessThanOrEqual(r.totalTime);
      // the final point (after phase 2) is stamped after phase 1 ended
      if (r.optimIterations > 0) expect(w[w.length - 1]).toBeGreaterThanOrEqual(r.odeTimeRun);
    }
    net.dispose();
  });

  it("tauinv = 0 leaves the parameters unchanged; a per-parameter tauinv moves only the selected ones", async () => {
    const { net, noise } = teacherStudent(200, 3, 3);
    const x0 = noise(1);
    const still = await train(net, x0, { alg: "tsit5", tauinv: 0, maxiterationsOde: 50, maxiterationsOptim: 0 });
    expect(Array.from(still.x)).toEqual(Array.from(x0));
    // only the biases of the first layer (the last column of w1: indices 6, 7, 8)
    const tau = new Float64Array(net.nparams);
    tau.set([1, 1, 1], 6);
    const r = await train(net, x0, { alg: "tsit5", tauinv: tau, maxiterationsOde: 50, maxiterationsOptim: 0 });
    for (let i = 0; i < net.nparams; i++) {
      if (tau[i] === 0) expect(r.x[i]).toBe(x0[i]);
      else expect(r.x[i]).not.toBe(x0[i]);
    }
    expect(r.loss).toBeLessThan(net.loss(x0));
    net.dispose();
  });

  it("minibatch gradients of contiguous blocks sum to the full gradient, with the right block weights", () => {
    const r = rng(4);
    const input = randn(r, 30, 2);
    const target = randn(r, 30, 1);
    const layers = [
      [2, "relu", true],
      [1, "identity", true],
    ] as const;
    const full = new Net({ layers, input, target });
    const batch = new Net({ layers, input: input.slice(0, 10), target: target.slice(0, 10) });
    const x = full.randomParams({ seed: 1 });
    const sum = new Float64Array(full.nparams);
    for (const start of [0, 10, 20]) {
      batch.loadBlock(full, start);
      batch.gradient(x).forEach((v, i) => (sum[i] += 10 * v));
    }
    full.gradient(x).forEach((v, i) => expect(Math.abs(sum[i] - 30 * v)).toBeLessThan(1e-12 * (1 + Math.abs(30 * v))));
    // block 2 equals the full gradient with weights (0×10, 1×10, 0×10)
    const w = Float64Array.from({ length: 30 }, (_, i) => (i >= 10 && i < 20 ? 1 : 0));
    batch.loadBlock(full, 10);
    const gb = batch.gradient(x);
    full.gradient(x, { weights: w }).forEach((v, i) => expect(Math.abs(10 * gb[i] - 30 * v)).toBeLessThan(1e-12));
    // per-sample weights of the right block are used (the original used the first block's for every block)
    const weights = Float64Array.from({ length: 30 }, (_, i) => i);
    batch.loadBlock(full, 20, weights);
    const gw = batch.gradient(x);
    const ref = full.gradient(x, { weights: Float64Array.from(weights, (v, i) => (i >= 20 ? v : 0)) });
    ref.forEach((v, i) => expect(Math.abs(10 * gw[i] - 30 * v)).toBeLessThan(1e-12 * (1 + Math.abs(30 * v))));
    full.dispose();
    batch.dispose();
  });

  it("discrete rules: Adam on minibatches and full-batch descent reduce the loss", async () => {
    const { net, noise } = teacherStudent(400, 3, 5);
    const x0 = noise(1);
    const adam = await train(net, x0, { alg: { adam: { eta: 1e-2 } }, batchsize: 100, maxiterationsOde: 400, maxiterationsOptim: 0 });
    expect(adam.loss).toBeLessThan(0.5 * net.loss(x0));
    expect(adam.odeIterations).toBe(400);
    expect(adam.odeStoppedBy).toBe("maxiterations ≥ 400");
    const gd = await train(net, x0, { alg: { descent: { eta: 0.1 } }, maxiterationsOde: 200, maxiterationsOptim: 0 });
    expect(gd.loss).toBeLessThan(net.loss(x0));
    expect(gd.trajectory[gd.trajectory.length - 1].t).toBe(200);
    net.dispose();
  });

  it("a diverging run stops with a reason and finite parameters", async () => {
    const { net, noise } = teacherStudent(200, 3, 6);
    const x0 = noise(1);
    const r = await train(net, x0, { alg: { descent: { eta: 1e8 } }, maxiterationsOde: 1000, maxiterationsOptim: 0 });
    expect(r.odeStoppedBy).toBe("diverged: non-finite loss or gradient");
    expect(r.x.every(Number.isFinite)).toBe(true);
    expect(r.loss).toBeLessThanOrEqual(net.loss(x0));
    net.dispose();
  });

  it("an abort signal stops the run cleanly and keeps the best point", async () => {
    const { net, noise } = teacherStudent(2000, 8, 7);
    const x0 = noise(1);
    const ctl = new AbortController();
    const progress: number[] = [];
    setTimeout(() => ctl.abort(), 300);
    const r = await train(net, x0, {
      alg: "tsit5",
      abstol: 1e-12,
      reltol: 1e-12,
      signal: ctl.signal,
      onProgress: (p) => progress.push(p.loss),
      progressInterval: 0.05,
    });
    expect(r.odeStoppedBy).toBe("aborted");
    expect(r.optimStoppedBy).toBe("");
    expect(r.totalTime).toBeLessThan(5);
    expect(r.loss).toBeLessThan(net.loss(x0));
    expect(progress.length).toBeGreaterThan(0);
    net.dispose();
  });

  it("rejects invalid options clearly", async () => {
    const { net, noise } = teacherStudent(50, 2, 8);
    const x0 = noise(1);
    const bad = async (o: object, re: RegExp) => {
      const e = await train(net, x0, o).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(MLPGFError);
      expect((e as MLPGFError).code).toBe("OPTION");
      expect((e as Error).message).toMatch(re);
    };
    await bad({ alg: "ode45" }, /option alg: expected an ODE method: .*"tsit5".*got "ode45"/);
    await bad(
      { optimSolver: "slsqp" },
      /option optimSolver: expected one of "newton", "newtonTrustRegion", "newtonCG", "bfgs", "lbfgs", got "slsqp"/,
    );
    await bad({ tauinv: [1, 2] }, /option tauinv: expected a number or 9 values \(one per parameter\), got/);
    await bad({ tauinv: -1 }, /option tauinv: expected a finite number ≥ 0 or an array of P such numbers, got -1/);
    await bad({ maxtimeOde: -1 }, /option maxtimeOde: expected a number ≥ 0, got -1/);
    await bad(
      { alg: { descent: { eta: 0.1 } }, batchsize: 500 },
      /option batchsize: expected an integer in 1..50 \(the number of samples\), got 500/,
    );
    await bad({ maxnorm: -2 }, /option maxnorm: expected a number ≥ 0, got -2/);
    await expect(train(net, [1, 2, 3])).rejects.toThrow(/x0: has length 3, expected 9/);
    net.dispose();
  });
});
