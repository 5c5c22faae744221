// The Jacobian-free Rosenbrock method (rodas4krylov: Rodas4 with GMRES stage solves on J·v) on
// stiff problems with reference solutions.
import { describe, expect, it } from "vitest";
import { type OdeFunction, solveOde } from "../../src/ode/index.js";
import { geomspace, linearProblem, maxDiff, withJvp } from "./helpers.js";

/**
 * Robertson's chemical kinetics (Hairer & Wanner II, §IV.1, problem ROBER), stiffness ~1e4·3e7:
 * y1′ = −0.04·y1 + 1e4·y2·y3, y2′ = 0.04·y1 − 1e4·y2·y3 − 3e7·y2², y3′ = 3e7·y2².
 */
function robertson(withJv: boolean): OdeFunction {
  const fn: OdeFunction = {
    autonomous: true,
    f(_t, y, dy) {
      dy[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
      dy[2] = 3e7 * y[1] * y[1];
      dy[1] = -dy[0] - dy[2];
    },
  };
  if (withJv)
    fn.jvp = (_t, y, v, out) => {
      out[0] = -0.04 * v[0] + 1e4 * (y[2] * v[1] + y[1] * v[2]);
      out[2] = 6e7 * y[1] * v[1];
      out[1] = -out[0] - out[2];
    };
  return fn;
}

/**
 * Reference values at t = 40 (Hairer & Wanner, Solving ODEs II, §IV.10, computed there with RADAU5
 * at tolerance 1e-14; the same figures appear in the test-set reports of Mazzia & Magherini).
 */
const ROBER_40 = [0.7158270687193267, 0.9185534764557928e-5, 0.2841637457458971];

describe("rodas4krylov on Robertson's problem to t = 40", () => {
  it.each([true, false])("matches the reference to 1e-6 relative per component (exact J·v: %s)", (jv) => {
    const r = solveOde(robertson(jv), Float64Array.from([1, 0, 0]), { method: "rodas4krylov", tEnd: 40, abstol: 1e-12, reltol: 1e-8 });
    expect(r.status).toBe("done");
    for (let i = 0; i < 3; i++) expect(Math.abs(r.x[i] - ROBER_40[i]) / ROBER_40[i]).toBeLessThan(1e-6);
    expect(r.nlu).toBe(0);
    expect(r.njvp).toBeGreaterThan(0);
    if (!jv) expect(r.nf).toBeGreaterThan(r.njvp);
    console.log(
      `robertson rodas4krylov (J·v ${jv ? "exact" : "differences"}): ${r.steps} steps, ${r.rejected} rejected, ${r.njvp} J·v, ${r.nf} f`,
    );
  });

  it("takes about as many steps as rodas4 with its dense LU", () => {
    const opts = { tEnd: 40, abstol: 1e-12, reltol: 1e-8 };
    const rk = solveOde(robertson(true), Float64Array.from([1, 0, 0]), { ...opts, method: "rodas4krylov" });
    const fn = robertson(false);
    fn.jacobian = (_t, y, J) => {
      J.set([-0.04, 1e4 * y[2], 1e4 * y[1], 0, 0, 0, 0, 6e7 * y[1], 0]);
      for (let j = 0; j < 3; j++) J[3 + j] = -J[j] - J[6 + j];
    };
    const rd = solveOde(fn, Float64Array.from([1, 0, 0]), { ...opts, method: "rodas4" });
    expect(rk.steps).toBeLessThanOrEqual(1.2 * rd.steps + 2);
    expect(maxDiff(rk.x, rd.x)).toBeLessThan(1e-8);
  });
});

describe("rodas4krylov on a stiff linear system y′ = −A·y (λ from 1e-2 to 1e4, n = 8 and 40)", () => {
  it.each([8, 40])("n = %i: the exact solution at t = 10 within 20·tol (n = 8: ≥ 20× fewer steps than tsit5)", (n) => {
    const p = withJvp(linearProblem(geomspace(1e-2, 1e4, n), 3));
    const exact = p.exact(p.x0, 10);
    for (const tol of [1e-6, 1e-9]) {
      const r = solveOde(p.fn, p.x0, { method: "rodas4krylov", tEnd: 10, abstol: tol, reltol: tol });
      expect(r.status).toBe("done");
      expect(maxDiff(r.x, exact)).toBeLessThan(20 * tol);
      if (tol === 1e-6 && n === 8) {
        const ref = solveOde(p.fn, p.x0, { method: "tsit5", tEnd: 10, abstol: tol, reltol: tol, maxSteps: 1e6 });
        expect(r.steps * 20).toBeLessThanOrEqual(ref.steps);
      }
    }
  });
});
