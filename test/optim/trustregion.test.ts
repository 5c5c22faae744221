import { describe, expect, it } from "vitest";
import { Cholesky } from "../../src/engine/cholesky.js";
import { MoreSorensen, minimize, newtonTrustRegion } from "../../src/optim/index.js";
import type { Objective } from "../../src/optim/index.js";
import { normInf, uniform } from "./problems.js";

/** Solves the subproblem for H, g, Δ; returns the step, λ, model value and flags. */
function subproblem(H: number[], g: number[], delta: number, sigma1 = 0.1) {
  const n = g.length;
  const chol = new Cholesky(n);
  try {
    const ms = new MoreSorensen(chol, { sigma1 });
    ms.solve(Float64Array.from(H), Float64Array.from(g), delta);
    return {
      p: Array.from(ms.p),
      lambda: ms.lambda,
      model: ms.model,
      hard: ms.hardCase,
      converged: ms.converged,
      norm: Math.hypot(...ms.p),
    };
  } finally {
    chol.dispose();
  }
}

/** Model value of p by brute force over a fine polar grid of the ball (2-D oracle). */
function bruteForceMin(H: number[], g: number[], delta: number): number {
  let best = 0;
  for (let i = 1; i <= 400; i++) {
    const r = (delta * i) / 400;
    for (let k = 0; k < 3600; k++) {
      const t = (2 * Math.PI * k) / 3600;
      const p = [r * Math.cos(t), r * Math.sin(t)];
      const m = g[0] * p[0] + g[1] * p[1] + 0.5 * (H[0] * p[0] * p[0] + 2 * H[1] * p[0] * p[1] + H[3] * p[1] * p[1]);
      best = Math.min(best, m);
    }
  }
  return best;
}

describe("Moré–Sorensen subproblem", () => {
  it("interior: the Newton step when H is positive definite and it fits", () => {
    const s = subproblem([2, 0, 0, 4], [-2, -4], 5);
    expect(s.p[0]).toBeCloseTo(1, 14);
    expect(s.p[1]).toBeCloseTo(1, 14);
    expect(s.lambda).toBe(0);
    expect(s.model).toBeCloseTo(-3, 14);
  });

  it.each([0.1, 0.001])("boundary: |‖p‖ − Δ| ≤ σ₁Δ and m(p) ≤ (1 − σ₁)²·m* (positive definite and indefinite H), σ₁ = %f", (sigma1) => {
    for (const [H, g, delta] of [
      [[2, 0.5, 0.5, 4], [-3, 1], 0.5],
      [[1, 2, 2, -3], [0.3, -0.7], 1.5],
      [[-2, 0, 0, -1], [0.1, 0.2], 1],
    ] as [number[], number[], number][]) {
      const s = subproblem(H, g, delta, sigma1);
      expect(s.converged).toBe(true);
      expect(Math.abs(s.norm - delta)).toBeLessThanOrEqual(sigma1 * delta + 1e-12);
      const opt = bruteForceMin(H, g, delta);
      expect(s.model).toBeLessThanOrEqual(opt * (1 - sigma1) ** 2 + 1e-12);
    }
  });

  it("hard case: g ⟂ the eigenvector of λ₁ < 0 and ‖(H − λ₁I)⁺g‖ < Δ — the step goes to the boundary along it", () => {
    // H = diag(−1, 1), g = (0, 1), Δ = 2: λ* = 1, p* = (±√3.75, −1/2), m* = −2.25.
    const opt = bruteForceMin([-1, 0, 0, 1], [0, 1], 2);
    expect(opt).toBeCloseTo(-2.25, 3);
    for (const sigma1 of [0.1, 0.001]) {
      const s = subproblem([-1, 0, 0, 1], [0, 1], 2, sigma1);
      expect(s.hard).toBe(true);
      expect(s.norm).toBeCloseTo(2, 12);
      expect(Math.abs(s.p[0])).toBeGreaterThan(1.7);
      expect(s.model).toBeLessThanOrEqual((1 - sigma1) ** 2 * opt);
      if (sigma1 < 0.01) {
        expect(s.p[1]).toBeCloseTo(-0.5, 2);
        expect(s.lambda).toBeCloseTo(1, 2);
      }
    }
    // Also exactly g = 0 at an indefinite H (a saddle): the step follows the negative curvature.
    const z = subproblem([1, 0, 0, -3], [0, 0], 1);
    expect(Math.abs(z.p[1])).toBeGreaterThan(0.9);
    expect(z.model).toBeLessThan(-1.3);
  });

  it("random indefinite 30 × 30 problems: feasible steps with lower model value than the Cauchy point", () => {
    const n = 30;
    const u = uniform(5);
    for (let t = 0; t < 5; t++) {
      const H = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) H[i * n + j] = H[j * n + i] = u();
      const g = Float64Array.from({ length: n }, u);
      const delta = 0.3 + t;
      const chol = new Cholesky(n);
      const ms = new MoreSorensen(chol);
      ms.solve(H, g, delta);
      const pn = Math.hypot(...ms.p);
      expect(pn).toBeLessThanOrEqual(1.1 * delta + 1e-12);
      // Cauchy point: steepest descent within the region.
      const gn = Math.hypot(...g);
      let gHg = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) gHg += g[i] * H[i * n + j] * g[j];
      const tc = gHg <= 0 ? delta / gn : Math.min((gn * gn) / gHg, delta / gn);
      const mc = -tc * gn * gn + 0.5 * tc * tc * gHg;
      expect(ms.model).toBeLessThan(mc);
      chol.dispose();
    }
  });
});

/** f = x⁴/4 − x²/2 + y²/2: saddle at 0, minima at (±1, 0) with f = −1/4. */
const doubleWell: Objective = {
  fg(x, g) {
    const [a, b] = x;
    g[0] = a ** 3 - a;
    g[1] = b;
    return a ** 4 / 4 - (a * a) / 2 + (b * b) / 2;
  },
  fgh(x, g, H) {
    H[0] = 3 * x[0] ** 2 - 1;
    H[1] = H[2] = 0;
    H[3] = 1;
    return this.fg(x, g);
  },
};

describe("newtonTrustRegion", () => {
  it("escapes the saddle from (0, 1) where ∇f ⟂ negative curvature (line-search Newton converges to the saddle)", () => {
    const tr = newtonTrustRegion(doubleWell, [0, 1], { onIteration: ({ g }) => normInf(g) < 1e-14 });
    expect(tr.f).toBeCloseTo(-0.25, 14);
    expect(Math.abs(tr.x[0])).toBeCloseTo(1, 12);
    const ls = minimize(doubleWell, [0, 1], "newton", { maxIterations: 200 });
    expect(ls.x[0]).toBe(0);
    expect(ls.f).toBeGreaterThan(-1e-10);
  });

  it("a non-finite trial point is a rejected step", () => {
    let nan = 0;
    const obj: Objective = {
      fg(x, g) {
        if (x[0] > 0.5) {
          nan++;
          g.fill(NaN);
          return NaN;
        }
        return doubleWell.fg(x, g);
      },
      fgh(x, g, H) {
        return doubleWell.fgh!(x, g, H);
      },
    };
    // The minimum at (−1, 0) is reachable without crossing x > 0.5.
    const r = newtonTrustRegion(obj, [-0.3, 2], { initialRadius: 10, onIteration: ({ g }) => normInf(g) < 1e-13 });
    expect(r.stoppedBy).toBe("callback");
    expect(r.x[0]).toBeCloseTo(-1, 12);
    expect(Number.isFinite(r.f)).toBe(true);
    expect(nan).toBeGreaterThanOrEqual(0);
  });
});
