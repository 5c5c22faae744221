/**
 * Dense output shared by every method: the cubic Hermite interpolant of a step from (t0, x0, f0) to
 * (t1, x1, f1), written at time t into `out` (third order in h; exact for cubic solutions). With
 * θ = (t − t0)/h:
 *   x(θ) = (1−θ)·x0 + θ·x1 + θ(θ−1)·((1−2θ)·(x1−x0) + (θ−1)·h·f0 + θ·h·f1).
 */
export function hermite(
  t0: number,
  x0: Float64Array,
  f0: Float64Array,
  t1: number,
  x1: Float64Array,
  f1: Float64Array,
  t: number,
  out: Float64Array,
): void {
  const h = t1 - t0;
  const n = out.length;
  if (h === 0) {
    out.set(x1);
    return;
  }
  const th = (t - t0) / h;
  const g = th * (th - 1);
  const c0 = g * (th - 1) * h;
  const c1 = g * th * h;
  const cd = g * (1 - 2 * th);
  for (let i = 0; i < n; i++) {
    const a = x0[i];
    const d = x1[i] - a;
    out[i] = a + th * d + cd * d + c0 * f0[i] + c1 * f1[i];
  }
}
