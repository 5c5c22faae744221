import { describe, expect, it } from "vitest";
import {
  LinearSubspace,
  type Matrix,
  type SubspaceMethod,
  subspaceMinloss,
  subspaceMinlossOnGrid,
  toLocalCoords,
  train,
} from "../../src/index.js";
import { Random } from "../../src/api/random.js";
import { maxAbs, teacherData, errorCode } from "./helpers.js";

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** Solves M z = r (dense, Gaussian elimination with partial pivoting). */
function solve(M: number[][], r: number[]): number[] {
  const n = r.length;
  const A = M.map((row, i) => [...row, r[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(A[i][c]) > Math.abs(A[p][c])) p = i;
    [A[c], A[p]] = [A[p], A[c]];
    for (let i = c + 1; i < n; i++) {
      const f = A[i][c] / A[c][c];
      for (let k = c; k <= n; k++) A[i][k] -= f * A[c][k];
    }
  }
  const z = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = A[i][n];
    for (let k = i + 1; k < n; k++) s -= A[i][k] * z[k];
    z[i] = s / A[i][i];
  }
  return z;
}

/** f(x) = ½xᵀAx − bᵀx with A = MᵀM + I (positive definite), seeded. */
function quadratic(P: number, seed: number, withHessian: boolean) {
  const rng = new Random(seed);
  const M = Array.from({ length: P }, () => Array.from({ length: P }, () => rng.normal()));
  const A = Array.from({ length: P }, (_, i) =>
    Array.from(
      { length: P },
      (_, j) =>
        dot(
          M.map((r) => r[i]),
          M.map((r) => r[j]),
        ) + (i === j ? 1 : 0),
    ),
  );
  const b = Array.from({ length: P }, () => rng.normal());
  const Ax = (x: ArrayLike<number>) => A.map((row) => dot(row, x));
  const obj = {
    nparams: P,
    loss: (x: ArrayLike<number>) => obj.lossAndGradient(x).loss,
    gradient: (x: ArrayLike<number>) => obj.lossAndGradient(x).gradient,
    lossAndGradient(x: ArrayLike<number>) {
      const ax = Ax(x);
      return { loss: 0.5 * dot(x, ax) - dot(b, x), gradient: Float64Array.from(ax, (v, i) => v - b[i]) };
    },
    hessian: withHessian ? (): Matrix => ({ rows: P, cols: P, data: Float64Array.from(A.flat()) }) : undefined,
  };
  return { A, b, obj };
}

describe("LinearSubspace and toLocalCoords", () => {
  it("orthonormalises v1, v2 and builds an orthonormal basis of their complement", () => {
    const P = 9;
    const rng = new Random(3);
    const rnd = () => Array.from({ length: P }, () => rng.normal());
    const ref = rnd();
    const w1 = rnd();
    const w2 = rnd();
    const ls = new LinearSubspace(ref, w1, w2);
    expect(Math.abs(dot(ls.v1, ls.v1) - 1)).toBeLessThan(1e-15);
    expect(Math.abs(dot(ls.v2, ls.v2) - 1)).toBeLessThan(1e-15);
    expect(Math.abs(dot(ls.v1, ls.v2))).toBeLessThan(1e-15);
    // v1 ∥ w1 with the same sense; w2 lies in span(v1, v2)
    expect(Math.abs(dot(ls.v1, w1) - Math.sqrt(dot(w1, w1)))).toBeLessThan(1e-14);
    const c1 = dot(w2, ls.v1),
      c2 = dot(w2, ls.v2);
    expect(maxAbs(w2.map((v, i) => v - c1 * ls.v1[i] - c2 * ls.v2[i]))).toBeLessThan(1e-14);
    const { rows, cols, data } = ls.basis;
    expect([rows, cols]).toEqual([P, P - 2]);
    const col = (c: number) => Array.from({ length: P }, (_, i) => data[i * cols + c]);
    for (let a = 0; a < cols; a++) {
      expect(Math.abs(dot(col(a), ls.v1))).toBeLessThan(1e-15);
      expect(Math.abs(dot(col(a), ls.v2))).toBeLessThan(1e-15);
      for (let c = 0; c <= a; c++) expect(Math.abs(dot(col(a), col(c)) - (a === c ? 1 : 0))).toBeLessThan(1e-15);
    }
    // original's convention: coordinates of ref − x, so ref + a1·v1 + a2·v2 (+ complement) ↦ (−a1, −a2)
    const [u1, u2] = toLocalCoords(ls, ls.point(0.3, -1.2, [1, 2, 3, 4, 5, 6, 7]));
    expect(Math.abs(u1 + 0.3)).toBeLessThan(1e-14);
    expect(Math.abs(u2 - 1.2)).toBeLessThan(1e-14);
  });

  it("is cheap for P in the hundreds (basis orthonormal to rounding)", () => {
    const P = 300;
    const rng = new Random(1);
    const rnd = () => Array.from({ length: P }, () => rng.normal());
    const t0 = performance.now();
    const ls = new LinearSubspace(rnd(), rnd(), rnd());
    const ms = performance.now() - t0;
    console.log(`LinearSubspace P = ${P}: ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(500);
    const m = P - 2;
    let worst = 0;
    for (const a of [0, 7, 150, m - 1]) {
      for (let c = 0; c < m; c++) {
        let s = 0;
        for (let i = 0; i < P; i++) s += ls.basis.data[i * m + a] * ls.basis.data[i * m + c];
        worst = Math.max(worst, Math.abs(s - (a === c ? 1 : 0)));
      }
      worst = Math.max(
        worst,
        Math.abs(
          dot(
            Array.from({ length: P }, (_, i) => ls.basis.data[i * m + a]),
            ls.v2,
          ),
        ),
      );
    }
    expect(worst).toBeLessThan(1e-14);
  });
});

describe("subspaceMinloss on a convex quadratic (closed-form minimum over the complement)", () => {
  const P = 8;
  // orthonormal directions by construction, given to LinearSubspace scaled and mixed
  const v1 = Array.from({ length: P }, () => 1 / Math.sqrt(P));
  const v2 = Array.from({ length: P }, (_, i) => (i % 2 ? -1 : 1) / Math.sqrt(P));
  const ref = Array.from({ length: P }, (_, i) => Math.sin(i));

  /** min ½xᵀAx − bᵀx subject to Vᵀ(x − p) = 0 (KKT system, independent of the complement basis). */
  function constrainedMinimum(A: number[][], b: number[], a1: number, a2: number) {
    const p = ref.map((r, i) => r + a1 * v1[i] + a2 * v2[i]);
    const K = A.map((row, i) => [...row, v1[i], v2[i]]);
    K.push([...v1, 0, 0], [...v2, 0, 0]);
    const z = solve(K, [...b, dot(v1, p), dot(v2, p)]);
    const x = z.slice(0, P);
    const f = (y: number[]) =>
      0.5 *
        dot(
          y,
          A.map((row) => dot(row, y)),
        ) -
      dot(b, y);
    return { x, loss: f(x), planeLoss: f(p) };
  }

  for (const method of ["newtonTrustRegion", "newton", "bfgs", "lbfgs"] as SubspaceMethod[]) {
    it(`${method}: loss, minimiser and deltaLoss match the closed form`, () => {
      const { A, b, obj } = quadratic(P, 5, true);
      const ls = new LinearSubspace(
        ref,
        v1.map((v) => 3 * v),
        v2.map((v, i) => v + 0.5 * v1[i]),
      );
      for (const [a1, a2] of [
        [0, 0],
        [0.7, -0.4],
        [-2, 3],
      ]) {
        const want = constrainedMinimum(A, b, a1, a2);
        const r = subspaceMinloss(obj, ls, a1, a2, { method, restarts: 2 });
        expect(Math.abs(r.loss - want.loss)).toBeLessThan(1e-12 * Math.max(1, Math.abs(want.loss)));
        expect(maxAbs(r.x.map((v, i) => v - want.x[i]))).toBeLessThan(1e-9);
        expect(Math.abs(r.deltaLoss - (want.planeLoss - want.loss))).toBeLessThan(1e-11 * Math.max(1, Math.abs(want.planeLoss)));
        expect(r.converged).toBe(true);
        expect(r.coords.length).toBe(P - 2);
      }
    });
  }

  it("an objective without a Hessian uses L-BFGS; Newton methods then refuse with OPTION", () => {
    const { A, b, obj } = quadratic(P, 6, false);
    const ls = new LinearSubspace(ref, v1, v2);
    const want = constrainedMinimum(A, b, 0.2, 0.1);
    expect(Math.abs(subspaceMinloss(obj, ls, 0.2, 0.1, { restarts: 1 }).loss - want.loss)).toBeLessThan(
      1e-12 * Math.max(1, Math.abs(want.loss)),
    );
    expect(() => subspaceMinloss(obj, ls, 0, 0, { method: "newton" })).toThrowError(
      expect.objectContaining({ code: "OPTION" }) as unknown as Error,
    );
  });
});

describe("subspace minimisation on a real network", () => {
  it("the grid's minimum over the plane through a trained minimum is that minimum; every grid point is stationary in its complement", async () => {
    const net = teacherData(
      [
        [2, "softplus", true],
        [1, "identity", true],
      ],
      [
        [5, "tanh", true],
        [1, "identity", true],
      ],
      100,
      2,
      4,
    );
    const tr = await train(net, net.randomParams({ seed: 1 }), { maxtimeOde: 10, maxtimeOptim: 10, minGnorm: 1e-14 });
    expect(tr.gnorm).toBeLessThan(1e-10);
    const P = net.nparams;
    const rng = new Random(8);
    const ls = new LinearSubspace(
      tr.x,
      Array.from({ length: P }, () => rng.normal()),
      Array.from({ length: P }, () => rng.normal()),
    );
    const axis = [-0.1, 0, 0.1];
    const t0 = performance.now();
    const g = subspaceMinlossOnGrid(net, ls, { a1: axis, a2: axis }, { seed: 1 });
    console.log(`grid 3 × 3, P = ${P}, N = 100: ${(performance.now() - t0).toFixed(0)} ms; train loss ${tr.loss}`);
    expect(g.surface).not.toBeNull();
    expect(g.points[5]).toEqual([0, 0.1]);
    expect(g.surface![1][2]).toBe(g.loss[5]);
    const iMin = g.loss.indexOf(Math.min(...g.loss));
    expect(g.points[iMin]).toEqual([0, 0]);
    expect(Math.abs(g.loss[iMin] - tr.loss)).toBeLessThan(1e-12 * tr.loss);
    g.results.forEach((r, k) => {
      const [a1, a2] = g.points[k];
      const [c1, c2] = toLocalCoords(ls, r.x);
      expect(Math.abs(c1 + a1) + Math.abs(c2 + a2)).toBeLessThan(1e-13);
      expect(r.loss).toBe(net.loss(r.x));
      expect(r.deltaLoss).toBeGreaterThanOrEqual(-1e-15);
      expect(r.converged).toBe(true);
      // stationary in the complement: ∇L minus its v1, v2 components vanishes (checked without the basis)
      const grad = net.gradient(r.x);
      const d1 = dot(grad, ls.v1),
        d2 = dot(grad, ls.v2);
      expect(maxAbs(grad.map((v, i) => v - d1 * ls.v1[i] - d2 * ls.v2[i]))).toBeLessThan(1e-10);
    });
    // the list form gives the same landscape
    const list = subspaceMinlossOnGrid(net, ls, g.points, { seed: 1 });
    list.loss.forEach((l, k) => expect(Math.abs(l - g.loss[k])).toBeLessThan(1e-9 * g.loss[k]));
    // single point: Newton with the projected Hessian vs L-BFGS (the original's choice)
    for (const method of ["newtonTrustRegion", "lbfgs"] as SubspaceMethod[]) {
      const t = performance.now();
      const r = subspaceMinloss(net, ls, 0.1, -0.1, { method, restarts: 3, seed: 2 });
      console.log(`${method}: ${(performance.now() - t).toFixed(0)} ms, loss ${r.loss}, gnorm ${r.gnorm.toExponential(2)}`);
      expect(Math.abs(r.loss - g.loss[6])).toBeLessThan(1e-9 * g.loss[6]);
    }
    net.dispose();
  });

  it("rejects bad input with MLPGFError codes", () => {
    const net = teacherData(
      [
        [2, "softplus", true],
        [1, "identity", true],
      ],
      [
        [2, "softplus", true],
        [1, "identity", true],
      ],
      20,
      2,
      1,
    );
    const P = net.nparams;
    const ls = new LinearSubspace(new Array(P).fill(0), [1, ...new Array(P - 1).fill(0)], [0, 1, ...new Array(P - 2).fill(0)]);
    expect(errorCode(() => new LinearSubspace([1, 2, 3], [0, 0, 0], [1, 0, 0]))).toBe("VALUE");
    expect(errorCode(() => new LinearSubspace([1, 2, 3], [1, 0, 0], [0, 0, 0]))).toBe("VALUE");
    expect(errorCode(() => new LinearSubspace([1, 2, 3], [1, 2, 0], [-2, -4, 0]))).toBe("VALUE");
    expect(errorCode(() => new LinearSubspace([1], [1], [1]))).toBe("SHAPE");
    expect(errorCode(() => new LinearSubspace([1, 2, 3], [1, 0], [0, 1, 0]))).toBe("SHAPE");
    expect(errorCode(() => new LinearSubspace([1, 2, NaN], [1, 0, 0], [0, 1, 0]))).toBe("VALUE");
    expect(errorCode(() => toLocalCoords(ls, [1, 2]))).toBe("SHAPE");
    expect(errorCode(() => toLocalCoords({} as LinearSubspace, [1, 2]))).toBe("VALUE");
    const small = new LinearSubspace([1, 2, 3], [1, 0, 0], [0, 1, 0]);
    expect(errorCode(() => subspaceMinloss(net, small, 0, 0))).toBe("SHAPE");
    expect(errorCode(() => subspaceMinloss({} as never, ls, 0, 0))).toBe("VALUE");
    expect(errorCode(() => subspaceMinloss(net, {} as LinearSubspace, 0, 0))).toBe("VALUE");
    expect(errorCode(() => subspaceMinloss(net, ls, NaN, 0))).toBe("VALUE");
    expect(errorCode(() => subspaceMinloss(net, ls, 0, Infinity))).toBe("VALUE");
    expect(errorCode(() => subspaceMinloss(net, ls, 0, 0, { method: "adam" as SubspaceMethod }))).toBe("OPTION");
    expect(errorCode(() => subspaceMinloss(net, ls, 0, 0, { restarts: -1 }))).toBe("OPTION");
    expect(errorCode(() => subspaceMinloss(net, ls, 0, 0, { restarts: 1.5 }))).toBe("OPTION");
    expect(errorCode(() => subspaceMinloss(net, ls, 0, 0, { sigma: -1 }))).toBe("OPTION");
    expect(errorCode(() => subspaceMinloss(net, ls, 0, 0, { seed: 0.5 }))).toBe("OPTION");
    expect(errorCode(() => subspaceMinloss(net, ls, 0, 0, { init: [1, 2] }))).toBe("OPTION");
    expect(errorCode(() => subspaceMinlossOnGrid(net, ls, []))).toBe("SHAPE");
    expect(errorCode(() => subspaceMinlossOnGrid(net, ls, [[0, 0, 0]] as never))).toBe("SHAPE");
    expect(errorCode(() => subspaceMinlossOnGrid(net, ls, [[0, NaN]]))).toBe("VALUE");
    expect(errorCode(() => subspaceMinlossOnGrid(net, ls, { a1: [], a2: [1] }))).toBe("SHAPE");
    expect(errorCode(() => subspaceMinlossOnGrid(net, ls, { a1: [0] } as never))).toBe("SHAPE");
    expect(errorCode(() => subspaceMinlossOnGrid(net, ls, "grid" as never))).toBe("SHAPE");
    net.dispose();
  });
});
