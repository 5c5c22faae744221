import { MLPGFError } from "../errors.js";
import { toVector } from "../api/matrix.js";
import { dot, unitVector } from "../optim/vector.js";

/** Cosine of the angle between two vectors of the same length: a·b / (|a| |b|). Both must be non-zero. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const u = toVector(a, "cosineSimilarity: a");
  const v = toVector(b, "cosineSimilarity: b", u.length);
  // unit vectors first (scaled): the norms of [1e200, 1e200] overflow and of [1e-200] underflow
  const uu = unitVector(u);
  const vu = unitVector(v);
  if (!uu || !vu) throw new MLPGFError("VALUE", `cosineSimilarity: ${uu ? "b" : "a"} is the zero vector; the angle is undefined`);
  return Math.max(-1, Math.min(1, dot(uu, vu)));
}
