import { describe, expect, it } from "vitest";
import { Cholesky } from "../../src/engine/cholesky.js";
import { factorPositive, minimize, newton } from "../../src/optim/index.js";
import type { Objective } from "../../src/optim/index.js";
import { normInf, rosenbrock, rosenbrockStart } from "./problems.js";

/** f = x² − y² + y⁴: a saddle at 0, minima at (0, ±1/√2) with f = −1/4. */
const saddle: Objective = {
  fg(x, g) {
    const [a, b] = x;
    g[0] = 2 * a;
    g[1] = -2 * b + 4 * b ** 3;
    return a * a - b * b + b ** 4;
  },
  fgh(x, g, H) {
    H[0] = 2;
    H[1] = H[2] = 0;
    H[3] = -2 + 12 * x[1] ** 2;
    return this.fg(x, g);
  },
};

describe("newton", () => {
  it("converges quadratically near the minimum: log error doubles per iteration", () => {
    const errs: number[] = [];
    const r = newton(rosenbrock(2), rosenbrockStart(2), {
      onIteration: ({ x, g }) => {
        errs.push(Math.max(Math.abs(x[0] - 1), Math.abs(x[1] - 1)));
        return normInf(g) === 0 || errs[errs.length - 1] === 0 || errs.length > 60;
      },
    });
    // The asymptotic phase: errors below 1e-2 and above the rounding floor.
    const tail = errs.filter((e) => e < 1e-2 && e > 1e-15);
    const ratios = tail.slice(1).map((e, k) => Math.log(e) / Math.log(tail[k]));
    const constants = tail.slice(1).map((e, k) => e / tail[k] ** 2);
    console.log(
      `newton rosenbrock errors ${errs
        .slice(-6)
        .map((e) => e.toExponential(1))
        .join(
          " → ",
        )}; log ratios ${ratios.map((q) => q.toFixed(2)).join(", ")}; e_{k+1}/e_k² ${constants.map((c) => c.toFixed(1)).join(", ")}`,
    );
    expect(tail.length).toBeGreaterThanOrEqual(3);
    for (const q of ratios.slice(-2)) expect(q).toBeGreaterThan(1.6);
    for (const c of constants) expect(c).toBeLessThan(100);
    expect(r.f).toBeLessThan(1e-28);
  });

  it("full Newton steps near the solution: one fg per iteration besides the fgh", () => {
    let lastEvals = 0;
    const perIteration: number[] = [];
    newton(rosenbrock(2), rosenbrockStart(2), {
      onIteration: ({ evaluations, g }) => {
        perIteration.push(evaluations.f - evaluations.h - lastEvals);
        lastEvals = evaluations.f - evaluations.h;
        return normInf(g) < 1e-12;
      },
    });
    expect(perIteration.slice(-3)).toEqual([1, 1, 1]);
  });

  it("descends from near a saddle with an indefinite Hessian (f = x² − y² + y⁴)", () => {
    const fs: number[] = [];
    const r = minimize(saddle, [0.5, 0.01], "newton", {
      onIteration: ({ f, g }) => {
        fs.push(f);
        return normInf(g) < 1e-14;
      },
    });
    // A pure Newton step from here would jump to the saddle (f ≈ 0); the shifted one descends.
    expect(fs[1]).toBeLessThan(fs[0]);
    for (let k = 1; k < fs.length; k++) expect(fs[k]).toBeLessThanOrEqual(fs[k - 1] + 1e-15);
    expect(r.f).toBeCloseTo(-0.25, 14);
    expect(Math.abs(r.x[1])).toBeCloseTo(Math.SQRT1_2, 10);
    expect(Math.abs(r.x[0])).toBeLessThan(1e-10);
  });

  it("without the negative-curvature component in ∇f, line-search Newton stops at the saddle (zero gradient)", () => {
    const r = newton(saddle, [0.5, 0]);
    expect(r.stoppedBy).toBe("zero gradient");
    expect(r.f).toBe(0);
  });
});

describe("factorPositive (modified Cholesky)", () => {
  it("does not shift a positive definite matrix", () => {
    const chol = new Cholesky(2);
    expect(factorPositive(chol, Float64Array.from([4, 1, 1, 3]))).toBe(0);
    chol.dispose();
  });

  it("shifts an indefinite matrix just past its most negative eigenvalue", () => {
    const chol = new Cholesky(3);
    // eigenvalues of [[1, 2, 0], [2, 1, 0], [0, 0, 5]]: −1, 3, 5 (all diagonal entries positive).
    const H = Float64Array.from([1, 2, 0, 2, 1, 0, 0, 0, 5]);
    const tau = factorPositive(chol, H);
    expect(tau).toBeGreaterThan(1);
    expect(tau).toBeLessThan(4);
    expect(chol.ok).toBe(true);
    // diag(2, −2): τ starts at −min diag + β.
    const c2 = new Cholesky(2);
    const t2 = factorPositive(c2, Float64Array.from([2, 0, 0, -2]));
    expect(t2).toBeCloseTo(2 + 1e-3 * 2, 12);
    chol.dispose();
    c2.dispose();
  });

  it("shifts a singular matrix and returns NaN for a non-finite one", () => {
    const chol = new Cholesky(2);
    expect(factorPositive(chol, Float64Array.from([1, 1, 1, 1]))).toBeGreaterThan(0);
    expect(factorPositive(chol, Float64Array.from([1, NaN, NaN, 1]))).toBeNaN();
    chol.dispose();
  });
});
