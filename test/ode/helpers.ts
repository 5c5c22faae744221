// Test problems with exact solutions for the ODE integrators, and small numeric helpers.
import type { OdeFunction } from "../../src/ode/index.js";

/** Deterministic uniform numbers in [0, 1) (LCG), so every build sees the same problems. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** A random orthogonal n×n matrix (Gram–Schmidt): Q[k] is the k-th orthonormal vector. */
export function orthogonal(n: number, seed: number): Float64Array[] {
  const r = rng(seed);
  const Q: Float64Array[] = [];
  while (Q.length < n) {
    const v = Float64Array.from({ length: n }, () => r() - 0.5);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of Q) {
        const d = dot(v, q);
        for (let i = 0; i < n; i++) v[i] -= d * q[i];
      }
    }
    const norm = Math.sqrt(dot(v, v));
    if (norm < 1e-8) continue;
    Q.push(v.map((x) => x / norm));
  }
  return Q;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** max_i |a_i − b_i| */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** A test problem: the ODE, its exact solution from x0 at t, and a suitable x0. */
export interface TestProblem {
  fn: OdeFunction;
  n: number;
  x0: Float64Array;
  exact(x0: Float64Array, t: number): Float64Array;
}

/** λ values spaced geometrically from lo to hi. */
export function geomspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo * Math.pow(hi / lo, n === 1 ? 0 : i / (n - 1)));
}

/**
 * y′ = −A·y with A = Q·diag(λ)·Qᵀ symmetric: y(t) = Q·diag(e^{−λt})·Qᵀ·y0. Jacobian −A.
 * With `jacobian: false` the stiff methods fall back to finite differences.
 */
export function linearProblem(lambdas: number[], seed: number, opts: { jacobian?: boolean } = {}): TestProblem {
  const n = lambdas.length;
  const Q = orthogonal(n, seed);
  const A = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] += Q[k][i] * lambdas[k] * Q[k][j];
  }
  const fn: OdeFunction = {
    autonomous: true,
    f(_t, x, dx) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
        dx[i] = -s;
      }
    },
  };
  if (opts.jacobian !== false)
    fn.jacobian = (_t, _x, J) => {
      for (let i = 0; i < n * n; i++) J[i] = -A[i];
    };
  const exact = (x0: Float64Array, t: number): Float64Array => {
    const y = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const c = dot(Q[k], x0) * Math.exp(-lambdas[k] * t);
      for (let i = 0; i < n; i++) y[i] += c * Q[k][i];
    }
    return y;
  };
  const x0 = Float64Array.from({ length: n }, (_, i) => 1 + 0.1 * i);
  return { fn, n, x0, exact };
}

/**
 * A nonlinear coupled system with exact solution: in the rotated coordinates z = Qᵀx each
 * z_k′ = −λ_k·z_k − z_k² (Bernoulli), so z_k(t) = λ z0 e^{−λt} / (λ + z0·(1 − e^{−λt})) and x = Q·z.
 * x0 is chosen with z0 > 0 (no blow-up).
 */
export function bernoulliProblem(lambdas: number[], seed: number): TestProblem {
  const n = lambdas.length;
  const Q = orthogonal(n, seed);
  const z = new Float64Array(n);
  const rotate = (x: Float64Array): void => {
    for (let k = 0; k < n; k++) z[k] = dot(Q[k], x);
  };
  const fn: OdeFunction = {
    autonomous: true,
    f(_t, x, dx) {
      rotate(x);
      dx.fill(0);
      for (let k = 0; k < n; k++) {
        const g = -lambdas[k] * z[k] - z[k] * z[k];
        for (let i = 0; i < n; i++) dx[i] += g * Q[k][i];
      }
    },
    jacobian(_t, x, J) {
      rotate(x);
      J.fill(0);
      for (let k = 0; k < n; k++) {
        const g = -lambdas[k] - 2 * z[k];
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) J[i * n + j] += g * Q[k][i] * Q[k][j];
      }
    },
  };
  const exact = (x0: Float64Array, t: number): Float64Array => {
    const y = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const z0 = dot(Q[k], x0),
        l = lambdas[k],
        e = Math.exp(-l * t);
      const zk = (l * z0 * e) / (l + z0 * (1 - e));
      for (let i = 0; i < n; i++) y[i] += zk * Q[k][i];
    }
    return y;
  };
  const x0 = new Float64Array(n);
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) x0[i] += (0.5 + 0.1 * k) * Q[k][i];
  return { fn, n, x0, exact };
}

/**
 * Non-autonomous: y_i′ = −λ_i·(y_i − cos t) − sin t, so y_i(t) = cos t + (y_i(0) − 1)·e^{−λ_i t}.
 * With `dfdt` the exact ∂f/∂t is supplied; otherwise Rosenbrock methods difference in t.
 */
export function nonAutonomousProblem(lambdas: number[], opts: { dfdt?: boolean } = {}): TestProblem {
  const n = lambdas.length;
  const fn: OdeFunction = {
    f(t, x, dx) {
      for (let i = 0; i < n; i++) dx[i] = -lambdas[i] * (x[i] - Math.cos(t)) - Math.sin(t);
    },
    jacobian(_t, _x, J) {
      J.fill(0);
      for (let i = 0; i < n; i++) J[i * n + i] = -lambdas[i];
    },
  };
  if (opts.dfdt)
    fn.dfdt = (t, _x, out) => {
      for (let i = 0; i < n; i++) out[i] = -lambdas[i] * Math.sin(t) - Math.cos(t);
    };
  const exact = (x0: Float64Array, t: number): Float64Array =>
    Float64Array.from(x0, (v, i) => Math.cos(t) + (v - 1) * Math.exp(-lambdas[i] * t));
  const x0 = Float64Array.from({ length: n }, (_, i) => 0.5 + 0.1 * i);
  return { fn, n, x0, exact };
}

/** Least-squares slope of log(err) against log(h): the observed order of convergence. */
export function observedOrder(hs: number[], errs: number[]): number {
  const X = hs.map(Math.log),
    Y = errs.map(Math.log);
  const mx = X.reduce((s, v) => s + v, 0) / X.length;
  const my = Y.reduce((s, v) => s + v, 0) / Y.length;
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < X.length; i++) {
    sxy += (X[i] - mx) * (Y[i] - my);
    sxx += (X[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/** The problem with J·v from its own exact Jacobian (for the Krylov method), everything else the same. */
export function withJvp(p: TestProblem): TestProblem {
  const { n } = p;
  const J = new Float64Array(n * n);
  const jac = p.fn.jacobian!;
  const fn: OdeFunction = {
    ...p.fn,
    jvp(t, x, v, out) {
      jac(t, x, J);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += J[i * n + j] * v[j];
        out[i] = s;
      }
    },
  };
  return { ...p, fn };
}
