// One interface for "a differentiable model": Net and NetI implement DifferentiableModel, and a user
// objective (Rosenbrock, whose minimum (1, 1) and Hessian there are known in closed form) goes through
// train, hessianSpectrum and subspaceMinloss like a network does.
import { describe, expect, it } from "vitest";
import { Net } from "../src/api/net.js";
import { NetI } from "../src/api/neti.js";
import { hessianSpectrum } from "../src/api/spectrum.js";
import { TeacherNet } from "../src/api/teacher.js";
import { LinearSubspace } from "../src/landscape/linearsubspace.js";
import { subspaceMinloss } from "../src/landscape/subspaceminloss.js";
import type { DifferentiableModel, TwiceDifferentiableModel } from "../src/model.js";
import { trainMany } from "../src/train/many.js";
import { train } from "../src/train/train.js";

/** f(x) = (1 − x₀)² + 100 (x₁ − x₀²)², with its exact gradient and Hessian. */
function rosenbrock(): TwiceDifferentiableModel & { calls: number } {
  const model = {
    nparams: 2,
    calls: 0,
    loss: (x: ArrayLike<number>) => (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2,
    gradient: (x: ArrayLike<number>) => Float64Array.of(-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)),
    lossAndGradient(x: ArrayLike<number>) {
      model.calls++;
      return { loss: model.loss(x), gradient: model.gradient(x) };
    },
    hessian: (x: ArrayLike<number>) => ({
      rows: 2,
      cols: 2,
      data: Float64Array.of(2 - 400 * x[1] + 1200 * x[0] ** 2, -400 * x[0], -400 * x[0], 200),
    }),
  };
  return model;
}

describe("DifferentiableModel", () => {
  it("Net and NetI are DifferentiableModels (checked by the compiler) with the same answers through the interface", () => {
    const net = new Net({
      layers: [
        [3, "tanh", true],
        [1, "identity", false],
      ],
      input: [
        [1, 2],
        [-1, 0.5],
        [0.3, -2],
      ],
      target: [[1], [0], [2]],
    });
    const teacher = new TeacherNet({
      layers: [
        [2, "relu", false],
        [1, "identity", false],
      ],
      din: 2,
      seed: 1,
    });
    const neti = new NetI(teacher, {
      layers: [
        [2, "relu", false],
        [1, "identity", false],
      ],
    });
    try {
      const models: DifferentiableModel[] = [net, neti];
      for (const m of models) {
        const x = Float64Array.from({ length: m.nparams }, (_, i) => Math.sin(i + 1));
        const { loss, gradient } = m.lossAndGradient(x);
        expect(m.loss(x)).toBe(loss);
        expect(Array.from(m.gradient(x))).toEqual(Array.from(gradient));
        expect(m.hessian?.(x).rows).toBe(m.nparams);
      }
      expect(net.nsamples).toBe(3);
    } finally {
      net.dispose();
      neti.dispose();
      teacher.dispose();
    }
  });

  it("a user objective trains to the known minimum (1, 1) and its spectrum there is the closed form", async () => {
    const f = rosenbrock();
    const r = await train(f, [-1.2, 1], { maxiterationsOde: 2000, maxiterationsOptim: 200 });
    expect(Math.abs(r.x[0] - 1)).toBeLessThan(1e-8);
    expect(Math.abs(r.x[1] - 1)).toBeLessThan(1e-8);
    expect(r.loss).toBeLessThan(1e-16);
    expect(f.calls).toBeGreaterThan(0);
    // ∇²f(1, 1) = [[802, −400], [−400, 200]]: λ = (1002 ∓ √(602² + 4·400²))/2
    const { values } = hessianSpectrum(f, [1, 1]);
    const root = Math.sqrt(602 ** 2 + 4 * 400 ** 2);
    expect(values[0]).toBeCloseTo((1002 - root) / 2, 10);
    expect(values[1]).toBeCloseTo((1002 + root) / 2, 9);
  });

  it("subspaceMinloss takes a user objective: the plane through the minimum contains it", () => {
    const f = rosenbrock();
    const g = { ...f, nparams: 3, loss: (x: ArrayLike<number>) => f.loss(x) + x[2] ** 2 };
    const model: DifferentiableModel = {
      nparams: 3,
      loss: g.loss,
      gradient: (x) => Float64Array.of(...f.gradient(x), 2 * x[2]),
      lossAndGradient: (x) => ({ loss: g.loss(x), gradient: Float64Array.of(...f.gradient(x), 2 * x[2]) }),
    };
    // the plane spanned by e₀, e₁ through the origin: at (1, 1) the complement minimum is x₂ = 0, loss 0
    const ls = new LinearSubspace([0, 0, 0], [1, 0, 0], [0, 1, 0]);
    const r = subspaceMinloss(model, ls, 1, 1, { restarts: 0 });
    expect(r.loss).toBeLessThan(1e-20);
    expect(Math.abs(r.x[2])).toBeLessThan(1e-10);
  });

  it("trainMany refuses a user objective (workers rebuild only Net and NetI) with VALUE", async () => {
    await expect(trainMany(rosenbrock(), [[0, 0]])).rejects.toMatchObject({ code: "VALUE" });
  });
});
