import { MLPGFError } from "../errors.js";
import { toVector } from "../api/matrix.js";
import { dot, norm2 } from "../optim/vector.js";

/** Cosine of the angle between two vectors of the same length: a·b / (|a| |b|). Both must be non-zero. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const u = toVector(a, "cosineSimilarity: a");
  const v = toVector(b, "cosineSimilarity: b", u.length);
  const nu = norm2(u);
  const nv = norm2(v);
  if (nu === 0 || nv === 0) throw new MLPGFError("VALUE", `cosineSimilarity: ${nu === 0 ? "a" : "b"} is the zero vector; the angle is undefined`);
  return Math.max(-1, Math.min(1, dot(u, v) / (nu * nv)));
}
