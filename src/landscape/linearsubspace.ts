import { MLPGFError } from "../errors.js";
import { type Matrix, assertFinite, matrix, toVector } from "../api/matrix.js";
import { show } from "../util/show.js";
import { dot, norm2 as norm, sub, unitVector } from "../optim/vector.js";

/**
 * A plane through `ref` spanned by two directions, with an orthonormal basis of its orthogonal
 * complement: every point is ref + a1·v1 + a2·v2 + B·y with (a1, a2) in the plane and y ∈ ℝ^(P−2)
 * the complement coordinates. Used by {@link subspaceMinloss} to draw loss landscapes.
 *
 * `v1` is the normalised first direction and `v2` the second one made orthogonal to it (Gram–Schmidt)
 * and normalised, so (a1, a2) are orthonormal coordinates. The complement basis B (P × (P−2), column
 * c = basis vector c) comes from the Householder QR factorisation of [v1 v2]: its columns are
 * orthonormal and orthogonal to v1 and v2 to rounding (O(P²) work; ≈ 1 ms for P = 300).
 *
 * @example
 * ```ts
 * const ls = new LinearSubspace(xMin, direction1, direction2);
 * const { loss } = subspaceMinloss(net, ls, 0.1, -0.2, { restarts: 5 });
 * ```
 */
export class LinearSubspace {
  /** The reference point (length P). */
  readonly ref: Float64Array;
  /** Unit first direction. */
  readonly v1: Float64Array;
  /** Unit second direction, orthogonal to v1. */
  readonly v2: Float64Array;
  /** Orthonormal basis of the complement of span(v1, v2): a P × (P−2) matrix (row-major). */
  readonly basis: Matrix;
  /** Dimension P. */
  readonly nparams: number;

  /**
   * @param ref - the reference point (length P ≥ 2).
   * @param v1 - first direction (non-zero, length P).
   * @param v2 - second direction (length P, not parallel to v1).
   */
  constructor(ref: ArrayLike<number>, v1: ArrayLike<number>, v2: ArrayLike<number>) {
    this.ref = toVector(ref, "LinearSubspace: ref");
    const P = this.ref.length;
    if (P < 2) throw new MLPGFError("SHAPE", `LinearSubspace: a plane needs at least 2 parameters, ref has ${P}`);
    this.nparams = P;
    const a = toVector(v1, "LinearSubspace: v1", P);
    const b = toVector(v2, "LinearSubspace: v2", P);
    // scaled normalisation: v1 = [1e308, 1e308, 0] is a direction, not an overflow to the zero vector
    const v1u = unitVector(a);
    if (!v1u) throw new MLPGFError("VALUE", "LinearSubspace: v1 is the zero vector");
    const q = unitVector(b);
    if (!q) throw new MLPGFError("VALUE", "LinearSubspace: v2 is the zero vector");
    this.v1 = v1u;
    for (let pass = 0; pass < 2; pass++) {
      const d = dot(q, this.v1);
      for (let i = 0; i < P; i++) q[i] -= d * this.v1[i];
    }
    const nq = norm(q);
    if (nq < 1e-10)
      throw new MLPGFError(
        "VALUE",
        `LinearSubspace: v1 and v2 are parallel (sine of their angle ${nq.toExponential(2)}); they must span a plane`,
      );
    this.v2 = q.map((v) => v / nq);
    this.basis = complementBasis(this.v1, this.v2);
  }

  /** The point ref + a1·v1 + a2·v2 + B·y (y: complement coordinates, default 0). */
  point(a1: number, a2: number, y?: ArrayLike<number>): Float64Array {
    const P = this.nparams;
    checkCoordinate(a1, "a1");
    checkCoordinate(a2, "a2");
    const yv = y === undefined ? undefined : toVector(y, "LinearSubspace.point: y", P - 2);
    const x = new Float64Array(P);
    for (let i = 0; i < P; i++) x[i] = this.ref[i] + a1 * this.v1[i] + a2 * this.v2[i];
    if (yv) addBasisTimes(x, this.basis.data, yv);
    assertFinite(x, "LinearSubspace.point: the point (overflow: coordinates too large)");
    return x;
  }
}

/**
 * The 2-D coordinates of x in the plane of `ls`, with the original's convention: the projections
 * (v1·(ref − x), v2·(ref − x)) of ref − x. Note the sign: the point ls.ref + a1·v1 + a2·v2 (+ any
 * complement part) has local coordinates (−a1, −a2).
 */
export function toLocalCoords(ls: LinearSubspace, x: ArrayLike<number>): [number, number] {
  if (!(ls instanceof LinearSubspace)) throw new MLPGFError("VALUE", "toLocalCoords: the first argument must be a LinearSubspace");
  const xv = toVector(x, "toLocalCoords: x", ls.nparams);
  const d = new Float64Array(xv.length);
  sub(d, ls.ref, xv);
  const c: [number, number] = [dot(ls.v1, d), dot(ls.v2, d)];
  assertFinite(c, "toLocalCoords: the coordinates (overflow: x too far from ls.ref)");
  return c;
}

function checkCoordinate(a: unknown, name: string): void {
  if (typeof a !== "number" || !Number.isFinite(a))
    throw new MLPGFError("VALUE", `LinearSubspace.point: ${name} must be a finite number, got ${show(a)}`);
}

/** x += B·y for the P × (P − 2) row-major complement basis B (y: complement coordinates). */
export function addBasisTimes(x: Float64Array, B: Float64Array, y: ArrayLike<number>): void {
  const P = x.length;
  const m = P - 2;
  for (let i = 0; i < P; i++) {
    let s = 0;
    for (let c = 0; c < m; c++) s += B[i * m + c] * y[c];
    x[i] += s;
  }
}

/**
 * Columns 2..P−1 of Q = H₁H₂ from the Householder QR of the orthonormal pair [q1 q2]: an
 * orthonormal basis of the complement of span(q1, q2), as a P × (P−2) row-major matrix.
 */
function complementBasis(q1: Float64Array, q2: Float64Array): Matrix {
  const P = q1.length;
  const u1 = householder(q1, 0);
  // second column after H₁: q2 − 2u₁(u₁·q2)
  const h = q2.slice();
  const s = 2 * dot(u1, h);
  for (let i = 0; i < P; i++) h[i] -= s * u1[i];
  const u2 = householder(h, 1);
  const m = P - 2;
  const B = new Float64Array(P * m);
  const z = new Float64Array(P);
  for (let c = 0; c < m; c++) {
    const k = c + 2;
    z.fill(0);
    z[k] = 1;
    const t2 = 2 * u2[k];
    for (let i = 0; i < P; i++) z[i] -= t2 * u2[i];
    const t1 = 2 * dot(u1, z);
    for (let i = 0; i < P; i++) B[i * m + c] = z[i] - t1 * u1[i];
  }
  return matrix(P, m, B);
}

/** Unit Householder vector u (zero above `k`) with (I − 2uuᵀ)x = ∓|x[k:]|·e_k; zero vector when x[k:] is 0. */
function householder(x: Float64Array, k: number): Float64Array {
  const u = new Float64Array(x.length);
  let s = 0;
  for (let i = k; i < x.length; i++) s += x[i] * x[i];
  const alpha = (x[k] >= 0 ? -1 : 1) * Math.sqrt(s);
  for (let i = k; i < x.length; i++) u[i] = x[i];
  u[k] -= alpha;
  const nu = norm(u);
  if (nu > 0) for (let i = 0; i < u.length; i++) u[i] /= nu;
  return u;
}
