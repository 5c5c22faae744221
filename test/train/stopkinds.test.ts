// Stop reasons as kinds, `converged` from kinds, evaluation counts, non-finite points handled alike,
// and the previous (version 1) result and checkpoint formats read with kinds.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MLPGFError, Net, STOP_KINDS, type StopKind, type TrainOptions, train } from "../../src/index.js";
import { stopFromV1 } from "../../src/io/resultversion.js";
import { TrainObjective } from "../../src/train/objective.js";
import { isConverged } from "../../src/train/stop.js";
import { randn, rng } from "../helpers/reference.js";
import { sampleResult } from "../io/sample.js";

/** A small teacher–student problem: the student starts near the teacher. */
function problem(n = 100) {
  const r = rng(11);
  const input = randn(r, n, 2);
  const teacher = new Net({
    layers: [
      [2, "softplus", true],
      [1, "identity", true],
    ],
    din: 2,
  });
  const xt = teacher.randomParams({ seed: 3 });
  const target = teacher.forward(xt, input);
  teacher.dispose();
  const net = new Net({
    layers: [
      [2, "softplus", true],
      [1, "identity", true],
    ],
    input,
    target,
  });
  return { net, near: xt.map((v) => v + 0.05 * (r() - 0.5)), far: net.randomParams({ seed: 5 }) };
}

/** An AbortSignal stand-in that reports "aborted" from its (k+1)-th poll on. */
function abortAfter(k: number): AbortSignal {
  let polls = 0;
  return {
    get aborted() {
      return ++polls > k;
    },
  } as unknown as AbortSignal;
}

describe("stop kinds", () => {
  it("converged is exactly the six convergence kinds", () => {
    const converging: StopKind[] = ["minloss", "minGnorm", "patience", "zeroGradient", "noProgress", "lineSearchFailed"];
    for (const k of STOP_KINDS) expect(isConverged(k), k).toBe(converging.includes(k));
    expect(isConverged(null)).toBe(false);
    expect(new Set(STOP_KINDS).size).toBe(STOP_KINDS.length);
  });

  it("a result carries each phase's kind and message; converged follows the kind, not the text", async () => {
    const { net, near, far } = problem();
    const byLoss = await train(net, near, { alg: "rk4", minloss: 1e-3, maxiterationsOde: 10_000 });
    expect(byLoss.odeStop).toEqual({ kind: "minloss", message: "minloss ≤ 0.001" });
    expect(byLoss.odeStoppedBy).toBe(byLoss.odeStop?.message);
    expect(byLoss.optimStop).toBeNull(); // phase 2 skipped: the loss is already below minloss
    expect(byLoss.optimStoppedBy).toBe("");
    expect(byLoss.converged).toBe(true);

    const capped = await train(net, far, { alg: "rk4", maxiterationsOde: 5, maxiterationsOptim: 2, minloss: 0, minGnorm: 0 });
    expect(capped.odeStop?.kind).toBe("maxiterations");
    expect(capped.optimStop?.kind).toBe("maxiterations");
    expect(capped.optimStop?.message).toBe("maxiterations ≥ 2");
    expect(capped.converged).toBe(false);

    const aborted = await train(net, far, { alg: "rk4", signal: abortAfter(3), maxiterationsOde: 100 });
    expect(aborted.odeStop).toEqual({ kind: "aborted", message: "aborted" });
    expect(aborted.converged).toBe(false);
    net.dispose();
  });

  it("an Infinity parameter is handled like a NaN one: a NaN value, never an error", () => {
    const { net, far } = problem();
    const obj = new TrainObjective(net, {}, far, performance.now(), { interval: 1e9, verbosity: 0 });
    for (const bad of [NaN, Infinity, -Infinity]) {
      const x = far.slice();
      x[3] = bad;
      const g = new Float64Array(net.nparams);
      expect(obj.evaluate(x, g)).toBeNaN();
      expect(g.every(Number.isNaN)).toBe(true);
      expect(obj.hessian(x).every(Number.isNaN)).toBe(true);
    }
    expect(obj.best.loss).toBe(Infinity); // no non-finite point became the best one
    net.dispose();
  });

  it("a discrete rule whose iterates overflow returns its best finite point with a stop kind", async () => {
    const { net, far } = problem();
    const r = await train(net, far, { alg: { descent: { eta: 1e300 } }, maxiterationsOde: 50, maxiterationsOptim: 0 });
    expect(["diverged", "nonFinite"]).toContain(r.odeStop?.kind);
    expect(r.x.every(Number.isFinite)).toBe(true);
    expect(r.loss).toBe(net.loss(far)); // the start was the best point
    net.dispose();
  });
});

describe("evaluation counts", () => {
  it("count the model's loss+gradient and Hessian calls of the run (checked by a counting wrapper)", async () => {
    const { net, far } = problem();
    const calls = { lossAndGradient: 0, hessian: 0 };
    const counted = {
      nparams: net.nparams,
      nsamples: net.nsamples,
      loss: (x: ArrayLike<number>, o?: object) => net.loss(x, o),
      gradient: (x: ArrayLike<number>, o?: object) => net.gradient(x, o),
      lossAndGradient: (x: ArrayLike<number>, o?: object) => (calls.lossAndGradient++, net.lossAndGradient(x, o)),
      hessian: (x: ArrayLike<number>, o?: object) => (calls.hessian++, net.hessian(x, o)),
    };
    const seen: number[] = [];
    const r = await train(counted as unknown as Net, far, {
      alg: "rodas4",
      maxiterationsOde: 40,
      maxiterationsOptim: 15,
      optimSolver: "newtonTrustRegion",
      progressInterval: 1e-9,
      onProgress: (p) => seen.push(p.evaluations.loss),
    });
    // after the run, train evaluates the result twice (plain and regularised): not part of the counts
    expect(r.evaluations.loss).toBe(calls.lossAndGradient - 2);
    expect(r.evaluations.gradient).toBe(r.evaluations.loss);
    expect(r.evaluations.hessian).toBe(calls.hessian);
    expect(r.evaluations.hessian).toBeGreaterThan(40); // a Rosenbrock step needs a Hessian
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.every((v, i) => i === 0 || v >= seen[i - 1])).toBe(true);
    expect(seen[seen.length - 1]).toBeLessThanOrEqual(r.evaluations.loss);
    net.dispose();
  });

  it("minibatch gradients count as gradients, full-data evaluations as losses", async () => {
    const { net, far } = problem(100);
    const r = await train(net, far, { alg: { descent: { eta: 0.01 } }, batchsize: 25, maxiterationsOde: 40, maxiterationsOptim: 0 });
    // 40 minibatch gradients; the full loss at the start of each of the 10 epochs
    expect(r.evaluations.gradient - r.evaluations.loss).toBe(40);
    expect(r.evaluations.loss).toBe(10);
    expect(r.evaluations.hessian).toBe(0);
    net.dispose();
  });
});

describe("version 1 files", () => {
  it("stop strings of version 1 map to kinds", () => {
    const cases: [string, StopKind | null][] = [
      ["", null],
      ["aborted", "aborted"],
      ["interrupted by SIGINT (Ctrl-C)", "aborted"],
      ["patience (1000000 evaluations without improvement)", "patience"],
      ["maxtime > 180s", "maxtime"],
      ["minloss ≤ 2e-32", "minloss"],
      ["min_gnorm ≤ 1e-15", "minGnorm"],
      ["maxT = 10 reached", "maxT"],
      ["t > 1e300", "maxT"],
      ["maxiterations ≥ 300", "maxiterations"],
      ["non-finite loss or gradient", "nonFinite"],
      ["non-finite Hessian", "nonFinite"],
      ["diverged: non-finite loss or gradient", "diverged"],
      ["zero gradient", "zeroGradient"],
      ["line search failed", "lineSearchFailed"],
      ["no progress", "noProgress"],
      ["step size 1e-300 too small at t = 3 (stiff or singular problem?)", "stepTooSmall"],
      ["the fixed step 0.1 at t = 2 failed (singular iteration matrix)", "solverFailed"],
      ["something else", "unknown"],
    ];
    for (const [text, kind] of cases) expect(stopFromV1(text)?.kind ?? null, text).toBe(kind);
  });

  it("a version-1 result file (test/fixtures/npz_sample.json) reads with kinds and NaN counts", () => {
    const r = sampleResult();
    expect(r.odeStop).toEqual({ kind: "maxT", message: "maxT = 10 reached" });
    expect(r.optimStop?.kind).toBe("minloss");
    expect(r.optimStop?.message).toBe(r.optimStoppedBy);
    expect(r.evaluations.loss).toBeNaN();
    expect(r.evaluations.hessian).toBeNaN();
  });

  it("a version-1 checkpoint resumes; a checkpoint of an unknown version is FORMAT", async () => {
    const { net, near } = problem();
    const dir = mkdtempSync(join(tmpdir(), "mlpgf-v1-"));
    const base: TrainOptions = { alg: "tsit5", maxiterationsOde: 50, maxiterationsOptim: 100, nSamplesTrajectory: 8 };
    const plain = await train(net, near, base);
    const path = join(dir, "ck.json");
    const aborted = await train(net, near, { ...base, signal: abortAfter(50 + 1 + 2), checkpoint: { path, every: 3600 } });
    expect(aborted.optimStop?.kind).toBe("aborted");
    // rewrite the checkpoint as version 1 wrote it: a stop string in phase 1's record, no loss count
    const doc = JSON.parse(readFileSync(path, "utf8"));
    expect(doc.version).toBe(2);
    const ck = doc.checkpoint;
    ck.ode.stoppedBy = ck.ode.stop.message;
    delete ck.ode.stop;
    delete ck.evaluations.loss;
    writeFileSync(path, JSON.stringify({ ...doc, version: 1 }));
    const resumed = await train(net, near, { resume: path });
    expect(resumed.odeStop).toEqual(plain.odeStop);
    expect(resumed.odeStop?.kind).toBe("maxiterations");
    expect(resumed.evaluations.loss).toBeGreaterThan(aborted.evaluations.loss);
    expect(resumed.converged).toBe(plain.converged);

    writeFileSync(path, JSON.stringify({ ...doc, version: 3 }));
    const e = await train(net, near, { resume: path }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(MLPGFError);
    expect((e as MLPGFError).code).toBe("FORMAT");
    net.dispose();
  });
});
