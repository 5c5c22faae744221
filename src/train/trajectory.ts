import { isMLPGFError } from "../errors.js";

/** One stored point of a trajectory: time (ODE time, or iteration for discrete rules) and parameters. */
export interface TrajectoryPoint {
  t: number;
  x: Float64Array;
  /** Wall-clock seconds since the start of `train` when the point was reached (absent in older results). */
  wallTime?: number;
}

/** What a {@link LogSampler} holds (see {@link LogSampler.state}). */
export interface SamplerState {
  n: number;
  width: number;
  first: TrajectoryPoint | null;
  last: TrajectoryPoint | null;
  kept: [number, TrajectoryPoint][];
}

/**
 * Keeps a log-spaced subsample of a trajectory of unknown length in bounded memory.
 *
 * Points are offered in increasing time. The sampler keeps at most one point per cell of a grid that
 * is uniform in log10(t + 1) with `2n` cells over the range seen so far; when the range doubles, the
 * grid coarsens by merging pairs of cells (keeping the earlier point). So at most 2n + 1 points are
 * ever held, whatever the run length, and {@link LogSampler.points} returns ≤ n of them close to
 * n log-spaced times between the first and the last point (always both ends).
 */
export class LogSampler {
  private readonly kept = new Map<number, TrajectoryPoint>();
  /** Cell width in log10(t + 1): starts tiny, doubles as the range grows (short runs get n points too). */
  private width = 1e-15;
  private last: TrajectoryPoint | null = null;
  private first: TrajectoryPoint | null = null;

  /** @param n - number of points wanted (≥ 2). */
  constructor(private readonly n: number) {}

  /** Offers the point (t, x) (copied), reached `wallTime` seconds after the start of training. Times must increase. */
  offer(t: number, x: Float64Array, wallTime: number): void {
    const p: TrajectoryPoint = { t, x: x.slice(), wallTime };
    this.last = p;
    if (!this.first) {
      this.first = p;
      return;
    }
    const s = Math.log10(Math.max(t, 0) + 1);
    while (s / this.width > 2 * this.n) this.coarsen();
    const cell = Math.floor(s / this.width);
    if (!this.kept.has(cell)) this.kept.set(cell, p);
  }

  /** ≤ n points near log-spaced times from the first to the last offered point, increasing in t. */
  points(): TrajectoryPoint[] {
    if (!this.first) return [];
    const all = [this.first, ...[...this.kept.values()].sort((a, b) => a.t - b.t)];
    if (this.last && this.last.t > all[all.length - 1].t) all.push(this.last);
    if (this.n === 1) return [all[all.length - 1]];
    if (all.length <= this.n) return all;
    const lo = Math.log10(all[0].t + 1);
    const hi = Math.log10(all[all.length - 1].t + 1);
    const out: TrajectoryPoint[] = [];
    let j = 0;
    for (let i = 0; i < this.n; i++) {
      const target = lo + ((hi - lo) * i) / (this.n - 1);
      while (j + 1 < all.length && Math.abs(Math.log10(all[j + 1].t + 1) - target) <= Math.abs(Math.log10(all[j].t + 1) - target)) j++;
      if (out[out.length - 1] !== all[j]) out.push(all[j]);
    }
    return out;
  }

  /** The sampler's memory, to continue later with {@link LogSampler.restore}. */
  state(): SamplerState {
    return { n: this.n, width: this.width, first: this.first, last: this.last, kept: [...this.kept] };
  }

  /** Continues where the sampler whose {@link LogSampler.state} was saved stopped. */
  static restore(s: SamplerState): LogSampler {
    const r = new LogSampler(s.n);
    r.width = s.width;
    r.first = s.first;
    r.last = s.last;
    for (const [k, p] of s.kept) r.kept.set(k, p);
    return r;
  }

  private coarsen(): void {
    this.width *= 2;
    const merged = new Map<number, TrajectoryPoint>();
    for (const p of [...this.kept.values()].sort((a, b) => a.t - b.t)) {
      const cell = Math.floor(Math.log10(p.t + 1) / this.width);
      if (!merged.has(cell)) merged.set(cell, p);
    }
    this.kept.clear();
    for (const [k, v] of merged) this.kept.set(k, v);
  }
}

/**
 * The points with a finite loss and their losses (the `trajectory` and `lossCurve` of a result): a
 * point whose loss overflowed (a diverged step; `loss` returns a non-finite value or throws `VALUE`)
 * is left out of both.
 */
export function finiteTrajectory(points: readonly TrajectoryPoint[], loss: (x: Float64Array) => number): { trajectory: TrajectoryPoint[]; lossCurve: number[] } {
  const trajectory: TrajectoryPoint[] = [];
  const lossCurve: number[] = [];
  for (const p of points) {
    if (!p.x.every(Number.isFinite)) continue;
    let l: number;
    try {
      l = loss(p.x);
    } catch (e) {
      if (isMLPGFError(e, "VALUE")) continue;
      throw e;
    }
    if (!Number.isFinite(l)) continue;
    trajectory.push(p);
    lossCurve.push(l);
  }
  return { trajectory, lossCurve };
}
