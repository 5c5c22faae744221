import { describe, expect, it } from "vitest";
import { Net, NetI, TeacherNet, classifyEndpoint, lambdaMinClass, params, splitNeuron, train } from "../../src/index.js";
import { errorCode } from "../landscape/helpers.js";
import { inputs } from "../landscape/helpers.js";
import { E1, E2, copyAverageTeacher } from "./copyaverage.js";

// σ(z) = erf(z/√2) ("sigmoid2"), x ~ N(0, I): E σ(u·x) σ(v·x) = (2/π) asin(u·v / √((1 + |u|²)(1 + |v|²))).
function g(u: number[], v: number[]): number {
  const d = (p: number[], q: number[]) => p.reduce((s, pi, k) => s + pi * q[k], 0);
  return (2 / Math.PI) * Math.asin(d(u, v) / Math.sqrt((1 + d(u, u)) * (1 + d(v, v))));
}

/** The copy–average point: two orthonormal teacher neurons in D = 3, one student neuron w = (e₁ + e₂)/√6, a = 2. */
function copyAverage(): { net: NetI; x: Float64Array; teacher: TeacherNet; oracle: number } {
  const [e1, e2] = [E1, E2];
  const teacher = copyAverageTeacher();
  const net = new NetI(teacher, {
    layers: [
      [1, "sigmoid2", false],
      [1, "identity", false],
    ],
  });
  const s = 1 / Math.sqrt(6);
  const w = [s, s, 0];
  const a = 2;
  const x = params([
    [[w], null],
    [[[a]], null],
  ]);
  // E (a σ(w·x) − σ(e₁·x) − σ(e₂·x))²
  const oracle = a * a * g(w, w) - 2 * a * (g(w, e1) + g(w, e2)) + g(e1, e1) + g(e2, e2) + 2 * g(e1, e2);
  return { net, x, teacher, oracle };
}

describe("classifyEndpoint", () => {
  it("the copy–average point is a strict minimum at the closed-form loss 0.0232216806", () => {
    const { net, x, teacher, oracle } = copyAverage();
    expect(oracle).toBeCloseTo(0.0232216806, 10);
    const c = classifyEndpoint(net, x);
    expect(c.loss).toBeCloseTo(oracle, 14);
    expect(c.kind).toBe("minimum");
    expect(c.eigen.negative).toBe(0);
    expect(c.eigen.zero).toBe(0);
    expect(c.eigen.positive).toBe(4);
    expect(c.eigen.min).toBeGreaterThan(0);
    expect(c.gradient.relative).toBeLessThan(c.gradient.tolerance);
    expect(c.eigen.tolerance).toBe(1e-10);
    expect(c.eigen.threshold).toBeCloseTo(1e-10 * c.eigen.max, 22);
    expect(c.channels).toEqual([]);
    net.dispose();
    teacher.dispose();
  });

  it("splitting it with γ = 0.5 gives a saddle with exactly one negative eigenvalue, γ = 1.5 a degenerate minimum", () => {
    const { net, x, teacher } = copyAverage();
    const half = splitNeuron(net, x, 0, 0.5);
    const c = classifyEndpoint(half.net, half.x);
    expect(c.kind).toBe("saddle");
    expect(c.eigen.negative).toBe(1);
    expect(c.eigen.zero).toBeGreaterThan(0);
    const outside = splitNeuron(net, x, 0, 1.5);
    const d = classifyEndpoint(outside.net, outside.x, { lambdaMinClass: true });
    expect(d.kind).toBe("minimum");
    expect(d.eigen.negative).toBe(0);
    expect(d.eigen.zero).toBeGreaterThan(0); // the line of critical points through the split
    expect(d.eigen.positive + d.eigen.zero).toBe(8);
    // the eigenvalue along the line is rounding noise, possibly negative: the survey class sees its sign
    expect(["[-1e-8, 0)", "[0, 1e-8)"]).toContain(d.lambdaMinClass);
    for (const n of [half.net, outside.net, net]) n.dispose();
    teacher.dispose();
  });

  it("a point still moving is not critical; a stricter gradient tolerance is reported back", () => {
    const { net, x, teacher } = copyAverage();
    const moved = x.slice();
    moved[0] += 1e-4;
    const c = classifyEndpoint(net, moved);
    expect(c.kind).toBe("not-critical");
    expect(c.gradient.relative).toBeGreaterThan(1e-10);
    const strict = classifyEndpoint(net, x, { gradientTolerance: 1e-30 });
    expect(strict.kind).toBe("not-critical");
    expect(strict.gradient.tolerance).toBe(1e-30);
    net.dispose();
    teacher.dispose();
  });

  it("a teacher-recovery run on finite data ends at a minimum", async () => {
    const input = inputs(200, 2, 7);
    const teacher = new TeacherNet({
      layers: [
        [2, "softplus", true],
        [1, "identity", true],
      ],
      din: 2,
      params: [1.2, -0.7, 0.4, 1.1, 0.3, -0.2, 1.0, -1.5, 0.1],
    });
    const net = new Net({
      layers: [
        [2, "softplus", true],
        [1, "identity", true],
      ],
      input,
      target: teacher.forward(input),
    });
    const r = await train(net, [1, -0.5, 0.5, 1, 0, 0, 0.8, -1, 0], {
      maxiterationsOde: 2000,
      maxiterationsOptim: 200,
      maxtimeOde: 600,
      maxtimeOptim: 600,
    });
    expect(r.loss).toBeLessThan(1e-20);
    const c = classifyEndpoint(net, r.x);
    expect(c.kind).toBe("minimum");
    expect(c.eigen.negative).toBe(0);
    net.dispose();
    teacher.dispose();
  });

  it("λ_min classes of the fixed-point survey", () => {
    expect([-1e-3, -1e-8 * 1.01, -1e-9, -0, 0, 1e-9, 1e-8, 2].map(lambdaMinClass)).toEqual([
      "< -1e-8",
      "< -1e-8",
      "[-1e-8, 0)",
      "[0, 1e-8)",
      "[0, 1e-8)",
      "[0, 1e-8)",
      ">= 1e-8",
      ">= 1e-8",
    ]);
  });

  it("bad options and arguments throw MLPGFError codes", () => {
    const { net, x, teacher } = copyAverage();
    expect(errorCode(() => classifyEndpoint(net, x, { gradientTolernce: 1 } as never))).toBe("OPTION");
    expect(() => classifyEndpoint(net, x, { gradientTolernce: 1 } as never)).toThrow(/did you mean "gradientTolerance"/);
    expect(errorCode(() => classifyEndpoint(net, x, { channels: { minOutSum: -1 } }))).toBe("OPTION");
    expect(errorCode(() => classifyEndpoint(net, x, { eigenTolerance: -1 }))).toBe("OPTION");
    expect(errorCode(() => classifyEndpoint(net, x.subarray(1)))).toBe("SHAPE");
    expect(errorCode(() => classifyEndpoint({} as never, x))).toBe("VALUE");
    net.dispose();
    teacher.dispose();
  });
});
