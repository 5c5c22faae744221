// minimize and solveOde through the package entry, the way a user calls them on their own problems.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MLPGFError, type Objective, type OdeFunction, type OdeMethod, type OptimMethod, minimize, solveOde } from "../../src/index.js";
import { expectMLPGFError } from "../helpers/errors.js";

/** Rosenbrock's function f(x, y) = (1 − x)² + 100 (y − x²)² with its exact gradient and Hessian. */
const rosenbrock: Objective = {
  fg(x, g) {
    const [a, b] = x;
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  },
  fgh(x, g, H) {
    const [a, b] = x;
    H[0] = 2 - 400 * (b - 3 * a * a);
    H[1] = H[2] = -400 * a;
    H[3] = 200;
    return this.fg(x, g);
  },
};

describe("minimize (public)", () => {
  it.each(["newton", "newtonTrustRegion", "bfgs", "lbfgs"] as OptimMethod[])(
    "%s: Rosenbrock from (−1.2, 1) to (1, 1), ‖∇f‖∞ < 1e-12",
    (method) => {
      const r = minimize(rosenbrock, [-1.2, 1], method, {
        maxIterations: 200,
        onIteration: ({ g }) => Math.max(Math.abs(g[0]), Math.abs(g[1])) < 1e-12,
      });
      expect(Math.abs(r.x[0] - 1)).toBeLessThan(1e-10);
      expect(Math.abs(r.x[1] - 1)).toBeLessThan(1e-10);
      expect(r.f).toBeLessThan(1e-20);
      expect(r.evaluations.g).toBeGreaterThanOrEqual(r.iterations);
      expect(r.evaluations.h > 0).toBe(method.startsWith("newton"));
    },
  );

  it("bad arguments are MLPGFErrors with a code: method, objective, start point, options", () => {
    const cases: [() => unknown, string][] = [
      [() => minimize(rosenbrock, [0, 0], "adam" as never), "VALUE"],
      [() => minimize({} as never, [0, 0], "bfgs"), "VALUE"],
      [() => minimize(null as never, [0, 0], "bfgs"), "VALUE"],
      [() => minimize(rosenbrock, [0, Number.NaN], "bfgs"), "VALUE"],
      [() => minimize(rosenbrock, [], "bfgs"), "SHAPE"],
      [() => minimize(rosenbrock, [0, 0], "bfgs", null as never), "OPTION"],
      [() => minimize(rosenbrock, [0, 0], "bfgs", 5 as never), "OPTION"],
      [() => minimize(rosenbrock, [0, 0], "bfgs", { maxIteration: 5 } as never), "OPTION"], // a typo of maxIterations
      [() => minimize(rosenbrock, [0, 0], "lbfgs", { memory: 0 }), "OPTION"],
      [() => minimize(rosenbrock, [0, 0], "newtonTrustRegion", { lineSearch: {} } as never), "OPTION"], // not a trust-region option
      [() => minimize(rosenbrock, [0, 0], "bfgs", { lineSearch: { sigmaa: 0.9 } } as never), "OPTION"],
      [() => minimize({ fg: rosenbrock.fg }, [0, 0], "newton"), "VALUE"], // Newton needs fgh
    ];
    for (const [f, code] of cases) expectMLPGFError(f, code);
  });
});

/** Robertson's stiff chemical kinetics (rate constants 0.04, 1e4, 3e7) with its exact Jacobian. */
const robertson: OdeFunction = {
  autonomous: true,
  f(_t, y, dy) {
    dy[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
    dy[2] = 3e7 * y[1] * y[1];
    dy[1] = -dy[0] - dy[2];
  },
  jacobian(_t, y, J) {
    J.set([-0.04, 1e4 * y[2], 1e4 * y[1], 0.04, -1e4 * y[2] - 6e7 * y[1], -1e4 * y[1], 0, 6e7 * y[1], 0]);
  },
};
const reference = JSON.parse(readFileSync(new URL("../fixtures/robertson.json", import.meta.url), "utf8")) as {
  t: number[];
  y: number[][];
  maxRelDiffRadauLsoda: number;
};

describe("solveOde (public): Robertson's problem against scipy's Radau at rtol 1e-13", () => {
  it("the reference is itself accurate (Radau and LSODA agree to ≤ 1e-9)", () => {
    expect(reference.maxRelDiffRadauLsoda).toBeLessThan(1e-9);
  });

  // Measured errors: rodas4 8e-11, rodas5p 1.1e-10, kencarp58 1.9e-10, trbdf2 (second order) 2.9e-8.
  const bound: Partial<Record<OdeMethod, number>> = { rodas4: 1e-9, rodas5p: 1e-9, kencarp58: 1e-9, trbdf2: 1e-7 };
  it.each(Object.keys(bound) as OdeMethod[])(
    "%s at reltol 1e-10: every component within 1e-9 relative (trbdf2 1e-7) at t = 0.4 … 4e4, mass conserved",
    (method) => {
      for (const [k, tEnd] of reference.t.entries()) {
        const r = solveOde(robertson, Float64Array.of(1, 0, 0), { method, tEnd, abstol: 1e-14, reltol: 1e-10 });
        expect(r.status).toBe("done");
        expect(r.t).toBe(tEnd);
        for (let i = 0; i < 3; i++) {
          const rel = Math.abs(r.x[i] - reference.y[k][i]) / reference.y[k][i];
          expect(rel, `${method} y${i + 1}(${tEnd})`).toBeLessThan(bound[method] as number);
        }
        expect(Math.abs(r.x[0] + r.x[1] + r.x[2] - 1)).toBeLessThan(1e-12);
      }
    },
  );

  it("bad arguments are MLPGFErrors with a code: right-hand side, start point, options", () => {
    const f = { f: (_t: number, x: Float64Array, dx: Float64Array) => dx.set(x) };
    const cases: [() => unknown, string, RegExp][] = [
      [() => solveOde(undefined as never, [1], { tEnd: 1 }), "VALUE", /method f\(t, x, dx\)/],
      [() => solveOde({} as never, [1], { tEnd: 1 }), "VALUE", /method f\(t, x, dx\)/],
      [() => solveOde({ f: f.f, jacobian: 5 } as never, [1], { tEnd: 1 }), "VALUE", /jacobian/],
      [() => solveOde(f, null as never, { tEnd: 1 }), "SHAPE", /x0 must be an array/],
      [() => solveOde(f, "a" as never, { tEnd: 1 }), "SHAPE", /x0 must be an array/],
      [() => solveOde(f, [], { tEnd: 1 }), "SHAPE", /at least one unknown/],
      [() => solveOde(f, [1, Number.NaN], { tEnd: 1 }), "VALUE", /x0\[1\] must be a finite number/],
      [() => solveOde(f, [1, null] as never, { tEnd: 1 }), "VALUE", /x0\[1\]/],
      [() => solveOde(f, new BigInt64Array(2) as never, { tEnd: 1 }), "VALUE", /x0\[0\]/],
      [() => solveOde(f, [1], null as never), "OPTION", /options: expected an object, got null/],
      [() => solveOde(f, [1], { tEnd: 1, tend: 2 } as never), "OPTION", /unknown option "tend"; did you mean "tEnd"\?/],
      [() => solveOde(f, [1], { tEnd: 1, reltol: -1 }), "OPTION", /option reltol: expected a number ≥ 0, got -1/],
      [() => solveOde(f, [1], { tEnd: -1 }), "OPTION", /tEnd must be greater/],
      [() => solveOde(f, [1], { tEnd: 1, method: "euler" }), "OPTION", /need dt/],
    ];
    for (const [g, code, msg] of cases) expectMLPGFError(g, code, msg);
    // plain arrays are accepted as the start point and left unmodified
    const x0 = [1, 2];
    const r = solveOde(f, x0, { method: "tsit5", tEnd: 1, reltol: 1e-10, abstol: 1e-12 });
    expect(x0).toEqual([1, 2]);
    expect(Math.abs(r.x[0] - Math.E)).toBeLessThan(1e-8);
  });

  it("the explicit Tsit5 needs far more steps on the same stiff problem (why the stiff methods exist)", () => {
    const stiff = solveOde(robertson, Float64Array.of(1, 0, 0), { method: "rodas4", tEnd: 40, abstol: 1e-10, reltol: 1e-6 });
    const explicit = solveOde(robertson, Float64Array.of(1, 0, 0), {
      method: "tsit5",
      tEnd: 40,
      abstol: 1e-10,
      reltol: 1e-6,
      maxSteps: 1e6,
    });
    expect(explicit.steps).toBeGreaterThan(20 * stiff.steps);
  });
});

describe("options objects", () => {
  it("an array or a typed array where an options object belongs is an OPTION error", async () => {
    const { Net, train, gaussianInput } = await import("../../src/index.js");
    const net = new Net({
      layers: [
        [2, "tanh", true],
        [1, "identity", true],
      ],
      input: [
        [0, 1],
        [1, 0],
      ],
      target: [[1], [0]],
    });
    const x = net.randomParams({ seed: 1 });
    for (const o of [[], [1], new Float64Array(2)]) {
      expect(() => net.loss(x, o as never)).toThrow(/options: expected an object/);
      await expect(train(net, x, o as never)).rejects.toMatchObject({ code: "OPTION" });
      expect(() => minimize(rosenbrock, [0, 0], "bfgs", o as never)).toThrow(MLPGFError);
      expect(() => gaussianInput(2, 2, o as never)).toThrow(/options: expected an object/);
    }
    // the trajectory always keeps its start and end: fewer than 2 points is not a setting
    for (const n of [0, 1, 2.5]) {
      await expect(train(net, x, { nSamplesTrajectory: n })).rejects.toThrow(/option nSamplesTrajectory: expected an integer ≥ 2/);
    }
    net.dispose();
  });
});
