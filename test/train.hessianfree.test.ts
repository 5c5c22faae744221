// train without a P × P matrix: the Krylov ODE method and Newton–CG on the network's Hessian-vector products.
import { describe, expect, it } from "vitest";
import { Net, train } from "../src/index.js";
import { randn, rng } from "./helpers/reference.js";

function teacherProblem() {
  const r0 = rng(3);
  const input = randn(r0, 500, 2);
  const layers = [
    [4, "softplus", true],
    [2, "identity", true],
  ] as const;
  const teacher = new Net({ layers: layers as never, din: 2 });
  const xt = teacher.randomParams({ seed: 3 });
  const target = teacher.forward(xt, input);
  teacher.dispose();
  const net = new Net({ layers: layers as never, input, target });
  return { net, xt, x0: xt.map((v) => v + 0.05 * (r0() - 0.5)) };
}

describe("train with rodas4krylov", () => {
  it("the gradient flow follows the dense Rodas4 trajectory (same ODE time, states within 1e-5) and phase 2 ends at the teacher", async () => {
    const { net, xt, x0 } = teacherProblem();
    const opts = { maxT: 50, maxiterationsOptim: 0, maxtimeOde: 60 } as const;
    const rk = await train(net, x0, { ...opts, alg: "rodas4krylov" });
    const rd = await train(net, x0, { ...opts, alg: "rodas4" });
    expect(rk.odeStoppedBy).toMatch(/maxT/);
    expect(rd.odeStoppedBy).toMatch(/maxT/);
    expect(Math.max(...rk.odeX.map((v, i) => Math.abs(v - rd.odeX[i])))).toBeLessThan(1e-5);
    const full = await train(net, x0, {
      alg: "rodas4krylov",
      optimSolver: "newtonCG",
      maxtimeOde: 60,
      maxtimeOptim: 60,
      maxiterationsOde: 300,
    });
    expect(full.loss).toBeLessThan(1e-20);
    expect(Math.max(...full.x.map((v, i) => Math.abs(v - xt[i])))).toBeLessThan(1e-6);
    net.dispose();
  });
});

describe("train with newtonCG", () => {
  it("reaches the teacher (loss < 1e-20, ‖∇‖∞ < 1e-10) from a nearby start without the ODE phase", async () => {
    const { net, xt, x0 } = teacherProblem();
    const r = await train(net, x0, { maxiterationsOde: 0, optimSolver: "newtonCG", maxiterationsOptim: 500, maxtimeOptim: 60 });
    expect(r.loss).toBeLessThan(1e-20);
    expect(r.gnorm).toBeLessThan(1e-10);
    expect(Math.max(...r.x.map((v, i) => Math.abs(v - xt[i])))).toBeLessThan(1e-6);
    net.dispose();
  });
});
