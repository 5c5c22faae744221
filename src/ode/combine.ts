/** y = x + h·Σ_j w_j·k_j over the weights w (zero weights skipped); x = null stands for 0. */
export function combine(y: Float64Array, x: Float64Array | null, h: number, w: readonly number[], k: readonly Float64Array[]): void {
  if (x) y.set(x);
  else y.fill(0);
  const n = y.length;
  for (let j = 0; j < w.length; j++) {
    const c = h * w[j];
    if (c === 0) continue;
    const kj = k[j];
    for (let m = 0; m < n; m++) y[m] += c * kj[m];
  }
}
