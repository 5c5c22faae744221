import { matrix } from "../api/matrix.js";
import { symmetricEigen } from "../api/spectrum.js";
import { dot } from "../optim/vector.js";

/** Coordinates of points on their first two principal directions and the variance each explains. */
export interface Projection {
  /** Coordinate of each point along the first principal direction. */
  pc1: Float64Array;
  /** Coordinate along the second principal direction (zeros with fewer than 3 distinct points). */
  pc2: Float64Array;
  /** Fractions of the total variance along the two directions. */
  explained: [number, number];
}

/**
 * Projects points (e.g. the parameter vectors of a trajectory) on the first two principal
 * directions of the centred point cloud. With n points in P dimensions it decomposes the n × n Gram
 * matrix of the centred points (n ≤ a few hundred), so P may be large: the projection of point i on
 * direction k is √λ_k · u_k[i] for the eigenpair (λ_k, u_k) of the Gram matrix.
 */
export function principalProjection(points: readonly Float64Array[]): Projection {
  const n = points.length;
  const P = n > 0 ? points[0].length : 0;
  const mean = new Float64Array(P);
  for (const p of points) for (let j = 0; j < P; j++) mean[j] += p[j] / n;
  const c = points.map((p) => p.map((v, j) => v - mean[j]));
  const pc1 = new Float64Array(n);
  const pc2 = new Float64Array(n);
  if (n < 2) return { pc1, pc2, explained: [0, 0] };
  const G = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = a; b < n; b++) G[a * n + b] = G[b * n + a] = dot(c[a], c[b]);
  const { values, vectors } = symmetricEigen(matrix(n, n, G));
  const total = values.reduce((s, v) => s + Math.max(v, 0), 0);
  const take = (k: number, out: Float64Array): number => {
    const lambda = Math.max(values[k], 0);
    for (let i = 0; i < n; i++) out[i] = Math.sqrt(lambda) * vectors.data[i * n + k];
    if (out[n - 1] < out[0]) out.forEach((v, i) => (out[i] = -v)); // sign: from the first point towards the last
    return total > 0 ? lambda / total : 0;
  };
  const e1 = take(n - 1, pc1);
  const e2 = n >= 3 ? take(n - 2, pc2) : 0;
  return { pc1, pc2, explained: [e1, e2] };
}
