import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Net, type LayerSpec, type MergeOption } from "../src/index.js";
import { relErr } from "./helpers/reference.js";

// Fixtures from PyTorch float64 autograd: test/fixtures/gen_torch_nets.py (run with /usr/bin/python3).
interface Fixture {
  name: string;
  layers: LayerSpec[];
  input: number[][];
  target: number[][] | number[];
  weights: number[] | null;
  losstype: "mse" | "nll";
  maxnorm: number | null;
  merge: MergeOption | null;
  x: number[];
  loss: number;
  gradient: number[];
  hessian: number[][];
  forward: number[][];
}

const fixtures: Fixture[] = JSON.parse(readFileSync(new URL("./fixtures/torch_nets.json", import.meta.url), "utf8")).cases;

describe("agreement with PyTorch float64 autograd", () => {
  it("covers at least 12 networks", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(12);
  });

  describe.each(fixtures)("$name", (f) => {
    const make = () => new Net({ layers: f.layers, input: f.input, target: f.target, weights: f.weights ?? undefined });
    const opts = { losstype: f.losstype, maxnorm: f.maxnorm ?? undefined, merge: f.merge ?? undefined };

    it("forward, loss, gradient and Hessian agree to 1e-12 relative (measured ≈1e-15)", () => {
      const net = make();
      expect(net.nparams).toBe(f.x.length);
      expect(relErr(net.forward(f.x).data, f.forward.flat())).toBeLessThan(1e-12);
      const { loss, gradient } = net.lossAndGradient(f.x, opts);
      expect(Math.abs(loss - f.loss) / Math.abs(f.loss)).toBeLessThan(1e-12);
      expect(relErr(gradient, f.gradient)).toBeLessThan(1e-12);
      const H = net.hessian(f.x, opts);
      expect(relErr(H.data, f.hessian.flat())).toBeLessThan(1e-12);
      net.dispose();
    });
  });
});
