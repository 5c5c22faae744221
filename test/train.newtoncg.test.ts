// train's phase 2 with optimSolver "newtonCG" (Hessian-vector products of the network, no P × P matrix).
import { describe, expect, it } from "vitest";
import { Net, train } from "../src/index.js";
import { randn, rng } from "./helpers/reference.js";

describe("train with newtonCG", () => {
  it("reaches the teacher (loss < 1e-20, ‖∇‖∞ < 1e-10) from a nearby start without the ODE phase", async () => {
    const r0 = rng(3);
    const input = randn(r0, 500, 2);
    const layers = [[4, "softplus", true], [2, "identity", true]] as const;
    const teacher = new Net({ layers: layers as never, din: 2 });
    const xt = teacher.randomParams({ seed: 3 });
    const target = teacher.forward(xt, input);
    teacher.dispose();
    const net = new Net({ layers: layers as never, input, target });
    const x0 = xt.map((v) => v + 0.05 * (r0() - 0.5));
    const r = await train(net, x0, { maxiterationsOde: 0, optimSolver: "newtonCG", maxiterationsOptim: 500, maxtimeOptim: 60 });
    expect(r.loss).toBeLessThan(1e-20);
    expect(r.gnorm).toBeLessThan(1e-10);
    expect(Math.max(...r.x.map((v, i) => Math.abs(v - xt[i])))).toBeLessThan(1e-6);
    net.dispose();
  });
});
