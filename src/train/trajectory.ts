import { isMLPGFError } from "../errors.js";

/** One stored point of a trajectory: time (ODE time, or iteration for discrete rules) and parameters. */
export interface TrajectoryPoint {
  /** Gradient-flow time of the point (the iteration number for the discrete rules, descent and Adam). */
  t: number;
  /** Parameters at time t. */
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
  /** The time scale t₀ of the grid (absent in checkpoints of older versions: 1). */
  scale?: number;
}

/**
 * Keeps a log-spaced subsample of a trajectory of unknown length in bounded memory.
 *
 * Points are offered in increasing time. The sampler keeps at most one point per cell of a grid that
 * is uniform in log10(t/t₀ + 1) with `2n` cells over the range seen so far; when the range doubles, the
 * grid coarsens by merging pairs of cells (keeping the earlier point). So at most 2n + 1 points are
 * ever held, whatever the run length, and {@link LogSampler.points} returns ≤ n of them close to
 * n log-spaced times between the first and the last point (always both ends).
 *
 * The time scale t₀ is the time of the first point after t = 0 (the first ODE step, or iteration 1 of
 * a discrete rule): a flow whose first step is 1e-3 and that runs to t = 1e8 gets as many points per
 * decade at t < 1 as later, where a grid in log10(t + 1) would give the whole stretch t < 1 only 4 %
 * of its points.
 */
export class LogSampler {
  private readonly kept = new Map<number, TrajectoryPoint>();
  /** Cell width in log10(t + 1): starts tiny, doubles as the range grows (short runs get n points too). */
  private width = 1e-15;
  private last: TrajectoryPoint | null = null;
  private first: TrajectoryPoint | null = null;
  /** t₀: 0 until the first point after the start is offered. */
  private scale = 0;

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
    if (this.scale === 0) this.scale = t > this.first.t && t > 0 ? t : 1;
    const s = this.logt(t);
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
    const lo = this.logt(all[0].t);
    const hi = this.logt(all[all.length - 1].t);
    const out: TrajectoryPoint[] = [];
    let j = 0;
    for (let i = 0; i < this.n; i++) {
      const target = lo + ((hi - lo) * i) / (this.n - 1);
      while (j + 1 < all.length && Math.abs(this.logt(all[j + 1].t) - target) <= Math.abs(this.logt(all[j].t) - target)) j++;
      if (out[out.length - 1] !== all[j]) out.push(all[j]);
    }
    return out;
  }

  /** The sampler's memory, to continue later with {@link LogSampler.restore}. */
  state(): SamplerState {
    return { n: this.n, width: this.width, first: this.first, last: this.last, kept: [...this.kept], scale: this.scale };
  }

  /** Continues where the sampler whose {@link LogSampler.state} was saved stopped. */
  static restore(s: SamplerState): LogSampler {
    const r = new LogSampler(s.n);
    r.width = s.width;
    r.scale = s.scale ?? (s.first && s.kept.length > 0 ? 1 : 0);
    r.first = s.first;
    r.last = s.last;
    for (const [k, p] of s.kept) r.kept.set(k, p);
    return r;
  }

  /** The grid coordinate log10(t/t₀ + 1) (t₀ = 1 before the scale is known). */
  private logt(t: number): number {
    return Math.log10(Math.max(t, 0) / (this.scale || 1) + 1);
  }

  private coarsen(): void {
    this.width *= 2;
    const merged = new Map<number, TrajectoryPoint>();
    for (const p of [...this.kept.values()].sort((a, b) => a.t - b.t)) {
      const cell = Math.floor(this.logt(p.t) / this.width);
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
export function finiteTrajectory(
  points: readonly TrajectoryPoint[],
  loss: (x: Float64Array) => number,
): { trajectory: TrajectoryPoint[]; lossCurve: number[] } {
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
