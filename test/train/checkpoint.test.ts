import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MLPGFError, Net, type TrainOptions, train } from "../../src/index.js";
import { randn, rng } from "../helpers/reference.js";
import { outcome } from "../io/sample.js";

/** A small teacher–student problem. */
function problem(n = 200, k = 3, seed = 4) {
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
  return { net, x0: net.randomParams({ seed: seed + 1 }), near: xt.map((v) => v + 0.1 * (r() - 0.5)) };
}

/** An AbortSignal stand-in that reports "aborted" from its (k+1)-th poll on: a deterministic interruption after k steps. */
function abortAfter(k: number): AbortSignal {
  let polls = 0;
  return {
    get aborted() {
      return ++polls > k;
    },
  } as unknown as AbortSignal;
}

/** The parts of a result that do not depend on the wall clock. */
const dir = mkdtempSync(join(tmpdir(), "mlpgf-ck-"));

describe("train checkpoint / resume", () => {
  const cases: [string, TrainOptions, number][] = [
    ["rk4 (adaptive) + trust region", { alg: "rk4", maxiterationsOde: 300, maxiterationsOptim: 20 }, 120],
    ["tsit5 + bfgs", { alg: "tsit5", maxiterationsOde: 300, maxiterationsOptim: 20, optimSolver: "bfgs" }, 77],
    ["rodas5p + trust region", { alg: "rodas5p", maxiterationsOde: 60, maxiterationsOptim: 10 }, 25],
    ["adam on minibatches", { alg: { adam: { eta: 0.01 } }, batchsize: 50, maxiterationsOde: 400, maxiterationsOptim: 0 }, 150],
    ["euler (fixed dt)", { alg: "euler", dt: 1e-4, maxiterationsOde: 300, maxiterationsOptim: 5 }, 100],
  ];
  for (const [name, opts, k] of cases) {
    it(`${name}: a run aborted after ${k} steps and resumed from its checkpoint ends bitwise where the uninterrupted run ends`, async () => {
      const { net, x0 } = problem();
      const base = { ...opts, nSamplesTrajectory: 15 };
      const plain = await train(net, x0, base);
      const path = join(dir, `${name.replace(/\W+/g, "_")}.json`);
      // the checkpoint option itself changes nothing
      const recorded = await train(net, x0, { ...base, checkpoint: { path, every: 3600 } });
      expect(outcome(recorded)).toEqual(outcome(plain));
      const aborted = await train(net, x0, { ...base, signal: abortAfter(k), checkpoint: { path, every: 3600 } });
      expect(aborted.odeStoppedBy).toBe("aborted");
      expect(aborted.odeIterations).toBe(k + 1); // polled once per step: step k + 1 sees the abort
      const file = JSON.parse(readFileSync(path, "utf8"));
      expect(file.format).toBe("mlp-gradient-flow/checkpoint");
      const resumed = await train(net, new Float64Array(0), { resume: path }); // x0 ignored, options from the checkpoint
      expect(outcome(resumed)).toEqual(outcome(plain));
      expect(resumed.odeIterations).toBe(plain.odeIterations);
      expect(resumed.totalTime).toBeGreaterThanOrEqual(file.checkpoint.elapsed); // the clock continues
      net.dispose();
    });
  }

  it("kencarp58 (ESDIRK: Jacobian and f re-evaluated on resume) reaches the same x(maxT) within the integration tolerance", async () => {
    const { net, x0 } = problem();
    const base: TrainOptions = { alg: "kencarp58", maxT: 5, abstol: 1e-9, reltol: 1e-9, maxiterationsOptim: 0, nSamplesTrajectory: 10 };
    const plain = await train(net, x0, base);
    expect(plain.odeStoppedBy).toBe("maxT = 5 reached");
    const path = join(dir, "kencarp.json");
    await train(net, x0, { ...base, signal: abortAfter(30), checkpoint: { path, every: 3600 } });
    const resumed = await train(net, x0, { resume: path });
    expect(resumed.odeStoppedBy).toBe("maxT = 5 reached");
    const dx = Math.max(...resumed.x.map((v, i) => Math.abs(v - plain.x[i])));
    expect(dx).toBeLessThan(1e-6);
    expect(Math.abs(resumed.loss - plain.loss)).toBeLessThan(1e-6 * plain.loss);
    net.dispose();
  });

  it.each([
    ["full space", {}],
    ["varpro", { varpro: true }],
  ] as const)(
    "a checkpoint taken in phase 2 restarts the optimizer from the best point and reaches the same minimum (%s)",
    async (_, extra) => {
      const { net, near: x0 } = problem();
      const base: TrainOptions = { alg: "tsit5", maxiterationsOde: 200, maxiterationsOptim: 200, nSamplesTrajectory: 10, ...extra };
      const plain = await train(net, x0, base);
      expect(plain.converged).toBe(true);
      expect(plain.loss).toBeLessThan(1e-20);
      const path = join(dir, "optim.json");
      const aborted = await train(net, x0, { ...base, signal: abortAfter(200 + 1 + 3), checkpoint: { path, every: 3600 } });
      expect(aborted.odeIterations).toBe(200);
      expect(aborted.optimStoppedBy).toBe("aborted");
      const resumed = await train(net, x0, { resume: path });
      expect(resumed.odeIterations).toBe(200);
      expect(Array.from(resumed.odeX)).toEqual(Array.from(plain.odeX));
      expect(resumed.optimIterations).toBeGreaterThan(aborted.optimIterations);
      expect(resumed.converged).toBe(true);
      expect(resumed.loss).toBeLessThan(1e-20);
      // the same minimum, up to where loss 1e-20 leaves its flattest directions (the varpro restart ends 3e-8 away)
      expect(Math.max(...resumed.x.map((v, i) => Math.abs(v - plain.x[i])))).toBeLessThan(1e-6);
      net.dispose();
    },
  );

  it("writes periodically (every: 0 = after every step) and validates the options", async () => {
    const { net, x0 } = problem(50);
    const path = join(dir, "every.json");
    await train(net, x0, { alg: "rk4", maxiterationsOde: 5, maxiterationsOptim: 0, checkpoint: { path, every: 0 } });
    expect(existsSync(path)).toBe(true);
    const ck = JSON.parse(readFileSync(path, "utf8")).checkpoint;
    expect(ck.phase.kind).toBe("ode");
    expect(ck.phase.steps).toBe(5);
    const bad: [TrainOptions, RegExp][] = [
      [{ checkpoint: { path: "" } }, /option checkpoint.path: expected a file path \(a non-empty string without NUL characters\), got ""/],
      [{ checkpoint: { path, every: -1 } }, /option checkpoint.every: expected a number ≥ 0, got -1/],
      [{ checkpoint: "x" as unknown as TrainOptions["checkpoint"] }, /option checkpoint: expected an object, got "x"/],
      [
        { checkpoint: { path, evry: 1 } as unknown as TrainOptions["checkpoint"] },
        /unknown option "checkpoint.evry"; did you mean "every"\?/,
      ],
      [{ resume: join(dir, "missing.json") }, /the checkpoint to resume: cannot read .*missing\.json/],
      [{ resume: 3 as unknown as string }, /option resume: expected a file path \(a non-empty string without NUL characters\), got 3/],
    ];
    for (const [o, msg] of bad) {
      const e = await train(net, x0, o).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(MLPGFError);
      expect((e as Error).message).toMatch(msg);
    }
    // a checkpoint that could not be written is reported before the run, not after `every` seconds of it
    for (const target of [join(dir, "no-such-folder", "ck.json"), join(path, "ck.json")]) {
      const e = await train(net, x0, { maxiterationsOde: 2, maxiterationsOptim: 0, checkpoint: { path: target } }).catch(
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(MLPGFError);
      expect((e as MLPGFError).code).toBe("IO");
      expect((e as Error).message).toMatch(/train: checkpoint.path: cannot write .*(ENOENT|ENOTDIR)/);
      expect((e as Error).cause).toBeDefined();
    }
    const other = new Net({
      layers: [
        [4, "softplus", true],
        [1, "identity", true],
      ],
      input: [[0, 1]],
      target: [[1]],
    });
    await expect(train(other, other.randomParams(), { resume: path })).rejects.toThrow(/checkpoint .* is of another network/);
    other.dispose();
    net.dispose();
  });
});
