import { MLPGFError } from "../errors.js";

/**
 * Minimum-cost assignment (the Hungarian method with potentials, O(n²m)): for an n × m cost matrix
 * (row-major, n ≤ m) the column `assign[r]` of every row r, all different, with the smallest total
 * cost Σ cost[r][assign[r]].
 */
export function hungarian(cost: Float64Array, n: number, m: number): Int32Array {
  if (n > m) throw new MLPGFError("SHAPE", `hungarian: needs rows ≤ columns, got ${n} × ${m}`);
  if (cost.length !== n * m) throw new MLPGFError("SHAPE", `hungarian: cost has ${cost.length} entries, expected ${n * m}`);
  // 1-based arrays; column 0 is the virtual start. u, v: dual potentials; p[j]: row assigned to column j.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * m + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const assign = new Int32Array(n);
  for (let j = 1; j <= m; j++) if (p[j] > 0) assign[p[j] - 1] = j - 1;
  return assign;
}
