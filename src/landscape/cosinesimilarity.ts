import { MLPGFError } from "../errors.js";
import { toVector } from "../api/matrix.js";

/** Cosine of the angle between two vectors of the same length: a·b / (|a| |b|). Both must be non-zero. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const u = toVector(a, "cosineSimilarity: a");
  const v = toVector(b, "cosineSimilarity: b", u.length);
  let uv = 0;
  let uu = 0;
  let vv = 0;
  for (let i = 0; i < u.length; i++) {
    uv += u[i] * v[i];
    uu += u[i] * u[i];
    vv += v[i] * v[i];
  }
  if (uu === 0 || vv === 0) throw new MLPGFError("VALUE", `cosineSimilarity: ${uu === 0 ? "a" : "b"} is the zero vector; the angle is undefined`);
  return Math.max(-1, Math.min(1, uv / (Math.sqrt(uu) * Math.sqrt(vv))));
}
