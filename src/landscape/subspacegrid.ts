import { MLPGFError } from "../errors.js";
import { describe } from "../api/matrix.js";
import { show } from "../util/show.js";
import type { LinearSubspace } from "./linearsubspace.js";
import { type SubspaceGridOptions, SubspaceGridOptionsSchema } from "../options/subspace.js";
import { parseOptions } from "../options/parse.js";
import {
  type SubspaceMinlossOptions,
  type SubspaceMinlossResult,
  type SubspaceObjective,
  checkProblem,
  subspaceMinloss,
} from "./subspaceminloss.js";

/**
 * Grid of in-plane points: a list of `[a1, a2]` points, or two axes `{ a1, a2 }` meaning every
 * pair (a1[i], a2[j]) (point index i·a2.length + j).
 */
export type SubspaceGrid = readonly (readonly [number, number])[] | { readonly a1: readonly number[]; readonly a2: readonly number[] };

export type { SubspaceGridOptions } from "../options/subspace.js";

/** Result of {@link subspaceMinlossOnGrid}. */
export interface SubspaceGridResult {
  /** The grid points (a1, a2) in grid order. */
  points: [number, number][];
  /** Minimal loss over the complement at each point: the loss surface. */
  loss: number[];
  /** The full result (minimising point `x`, `coords`, `deltaLoss`, `converged`) at each point. */
  results: SubspaceMinlossResult[];
  /** For the axes form: surface[i][j] = loss at (a1[i], a2[j]); null for a list of points. */
  surface: number[][] | null;
}

/**
 * The loss landscape over a grid in the plane of `ls`: at each point (a1, a2) the loss minimised over
 * the complement ({@link subspaceMinloss}). The sweep visits the points in order (the axes form in a
 * serpentine order, so consecutive points are neighbours), warm-starting each from the previous
 * point's minimiser, with `restarts` random restarts per point (seed `seed + point index`). The
 * reverse pass (default on) then walks back, restarting each point once from its successor's
 * minimiser and keeping the result if the loss is lower: valleys found late propagate backwards.
 *
 * @example
 * ```ts
 * const ls = new LinearSubspace(xMin, v1, v2);
 * const axis = [-0.2, -0.1, 0, 0.1, 0.2];
 * const { surface } = subspaceMinlossOnGrid(net, ls, { a1: axis, a2: axis });
 * ```
 */
export function subspaceMinlossOnGrid(
  net: SubspaceObjective,
  ls: LinearSubspace,
  grid: SubspaceGrid,
  given: SubspaceGridOptions = {},
): SubspaceGridResult {
  const who = "subspaceMinlossOnGrid";
  checkProblem(net, ls, who);
  const opts = parseOptions(SubspaceGridOptionsSchema, given, who);
  const { points, order, shape } = gridPoints(grid, who);
  const { reverse = true, ...rest } = opts;
  const seed = rest.seed ?? 0;
  const base: SubspaceMinlossOptions = { ...rest, restarts: rest.restarts ?? 3, sigma: rest.sigma ?? 1e-3 };
  const results: SubspaceMinlossResult[] = new Array(points.length);
  let init = rest.init;
  for (const k of order) {
    results[k] = subspaceMinloss(net, ls, points[k][0], points[k][1], { ...base, init, seed: seed + k });
    init = results[k].coords;
  }
  if (reverse) {
    for (let n = order.length - 2; n >= 0; n--) {
      const k = order[n];
      const r = subspaceMinloss(net, ls, points[k][0], points[k][1], { ...base, restarts: 0, init: results[order[n + 1]].coords });
      if (r.loss < results[k].loss) results[k] = r;
    }
  }
  const loss = results.map((r) => r.loss);
  const surface = shape ? Array.from({ length: shape[0] }, (_, i) => loss.slice(i * shape[1], (i + 1) * shape[1])) : null;
  return { points, loss, results, surface };
}

function gridPoints(grid: SubspaceGrid, who: string): { points: [number, number][]; order: number[]; shape: [number, number] | null } {
  const num = (v: unknown, where: string): number => {
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new MLPGFError("VALUE", `${who}: ${where} must be a finite number, got ${show(v)}`);
    return v;
  };
  if (Array.isArray(grid)) {
    if (grid.length === 0) throw new MLPGFError("SHAPE", `${who}: the grid has no points`);
    const points = Array.from(grid as unknown[], (p: unknown, k): [number, number] => {
      if (!Array.isArray(p) || p.length !== 2)
        throw new MLPGFError("SHAPE", `${who}: grid point ${k} must be [a1, a2], got ${describe(p)}`);
      return [num(p[0], `grid point ${k} a1`), num(p[1], `grid point ${k} a2`)];
    });
    return { points, order: points.map((_, k) => k), shape: null };
  }
  const axes = grid as { a1?: unknown; a2?: unknown } | null;
  if (!axes || typeof axes !== "object" || !Array.isArray(axes.a1) || !Array.isArray(axes.a2)) {
    throw new MLPGFError(
      "SHAPE",
      `${who}: grid must be a list of [a1, a2] points or axes { a1: number[], a2: number[] }, got ${describe(grid)}`,
    );
  }
  // Array.from, not map: a hole is an error, not a skipped value
  const a1 = Array.from(axes.a1 as unknown[], (v, i) => num(v, `a1[${i}]`));
  const a2 = Array.from(axes.a2 as unknown[], (v, j) => num(v, `a2[${j}]`));
  if (a1.length === 0 || a2.length === 0) throw new MLPGFError("SHAPE", `${who}: both axes need at least one value`);
  const points: [number, number][] = [];
  const order: number[] = [];
  a1.forEach((u, i) => {
    a2.forEach((v) => points.push([u, v]));
    for (let j = 0; j < a2.length; j++) order.push(i * a2.length + (i % 2 === 0 ? j : a2.length - 1 - j));
  });
  return { points, order, shape: [a1.length, a2.length] };
}
