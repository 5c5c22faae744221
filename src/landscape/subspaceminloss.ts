import { MLPGFError } from "../errors.js";
import type { DifferentiableModel } from "../model.js";
import { describe, toVector } from "../api/matrix.js";
import { Random } from "../api/random.js";
import { show } from "../util/show.js";
import { minimize } from "../optim/minimize.js";
import type { Objective, OptimResult } from "../optim/types.js";
import { normInf } from "../optim/vector.js";
import { LinearSubspace, addBasisTimes } from "./linearsubspace.js";
import { type SubspaceMinlossOptions, SubspaceMinlossOptionsSchema } from "../options/subspace.js";
import { optionError, parseOptions } from "../options/parse.js";

/**
 * What {@link subspaceMinloss} needs: a {@link DifferentiableModel} (a `Net`, a `NetI` or any smooth
 * objective of P parameters, e.g. a quadratic), evaluated without options. Without `hessian` only the
 * quasi-Newton methods are available.
 */
export type SubspaceObjective = DifferentiableModel<unknown>;

export type { SubspaceMethod, SubspaceMinlossOptions } from "../options/subspace.js";

/** Result of {@link subspaceMinloss}. */
export interface SubspaceMinlossResult {
  /** The lowest loss found over the complement. */
  loss: number;
  /** The minimising point ref + a1·v1 + a2·v2 + B·coords (length P). */
  x: Float64Array;
  /** Its complement coordinates (length P − 2). */
  coords: Float64Array;
  /** Loss at the in-plane point (coords = 0) minus `loss` (≥ 0 up to rounding; Infinity if the loss overflows there). */
  deltaLoss: number;
  /** ∞-norm of the complement gradient Bᵀ∇L at `x`. */
  gnorm: number;
  /** True when gnorm ≤ gtol. */
  converged: boolean;
}

/**
 * Minimises the loss over the (P − 2)-dimensional complement of the plane of `ls` with the in-plane
 * point fixed at ls.ref + a1·v1 + a2·v2: min over y of L(ref + a1·v1 + a2·v2 + B·y).
 *
 * The first run starts from `init` (default y = 0), then `restarts` runs start from random points
 * cycling through three strategies: near the best point so far, near y = 0 (the plane), and near the
 * point of the affine complement closest to the parameter origin (y = −Bᵀp), each perturbed by
 * N(0, sigma²) per coordinate (seeded). Each run stops at ‖Bᵀ∇L‖∞ ≤ gtol, after `maxIterations` or
 * `maxtime` seconds; the best run is then fine-tuned (see {@link SubspaceMinlossOptions}).
 *
 * Works for a `Net`, a `NetI` or any {@link DifferentiableModel}.
 *
 * @example
 * ```ts
 * const ls = new LinearSubspace(xMin, v1, v2);
 * const r = subspaceMinloss(net, ls, 0.5, 0, { restarts: 10 });
 * console.log(r.loss, r.deltaLoss, r.converged);
 * ```
 */
export function subspaceMinloss(
  net: SubspaceObjective,
  ls: LinearSubspace,
  a1: number,
  a2: number,
  given: SubspaceMinlossOptions = {},
): SubspaceMinlossResult {
  const who = "subspaceMinloss";
  checkProblem(net, ls, who);
  const opts = parseOptions(SubspaceMinlossOptionsSchema, given, who);
  for (const [name, v] of [
    ["a1", a1],
    ["a2", a2],
  ] as const) {
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new MLPGFError("VALUE", `${who}: ${name} must be a finite number, got ${show(v)}`);
  }
  const P = ls.nparams;
  const m = P - 2;
  const restarts = opts.restarts ?? 3 * m;
  const sigma = opts.sigma ?? 1e-2;
  const maxtime = opts.maxtime ?? 1;
  const maxIterations = opts.maxIterations ?? 1000;
  const gtol = opts.gtol ?? 1e-10;
  const seed = opts.seed ?? 0;
  const method = opts.method ?? (typeof net.hessian === "function" ? "newtonTrustRegion" : "lbfgs");
  if ((method === "newton" || method === "newtonTrustRegion") && typeof net.hessian !== "function") {
    throw optionError(who, "method", `${method} needs an objective with a hessian method; use "lbfgs" or "bfgs"`);
  }
  if (opts.init !== undefined && opts.init.length !== m)
    throw optionError(who, "init", `expected ${m} complement coordinates (P − 2), got ${opts.init.length}`);
  const init = opts.init === undefined ? new Float64Array(m) : toVector(opts.init, `${who}: init`, m);

  const obj = new ComplementObjective(net, ls, a1, a2);
  const y0 = new Float64Array(m);
  const g0 = new Float64Array(m);
  const planeLoss = obj.fg(y0, g0);
  if (m === 0) {
    if (!Number.isFinite(planeLoss))
      throw new MLPGFError("VALUE", `${who}: the loss overflowed at the in-plane point (parameters too large?)`);
    return result(obj, { x: y0, f: planeLoss, g: g0 }, planeLoss, gtol);
  }

  const run = (start: Float64Array, stopAt: number): OptimResult => {
    const t0 = performance.now();
    return minimize(obj, start, method, {
      maxIterations,
      onIteration: ({ g }) => normInf(g) <= stopAt || (performance.now() - t0) / 1000 > maxtime,
    });
  };
  const rng = new Random(seed);
  const origin = obj.originCoords();
  let best = run(init, gtol);
  for (let r = 1; r <= restarts; r++) {
    const centre = r % 3 === 1 ? best.x : r % 3 === 2 ? y0 : origin;
    const start = centre.map((c) => c + sigma * rng.normal());
    const res = run(start, gtol);
    if (res.f < best.f || !Number.isFinite(best.f)) best = res;
  }
  if (opts.finetune ?? true) {
    const res = run(best.x, 0);
    if (res.f <= best.f) best = res;
  }
  if (!Number.isFinite(best.f)) throw new MLPGFError("VALUE", `${who}: the loss overflowed at every point tried (parameters too large?)`);
  return result(obj, best, planeLoss, gtol);
}

function result(
  obj: ComplementObjective,
  best: Pick<OptimResult, "x" | "f" | "g">,
  planeLoss: number,
  gtol: number,
): SubspaceMinlossResult {
  const gnorm = normInf(best.g);
  const deltaLoss = Number.isFinite(planeLoss) ? planeLoss - best.f : Infinity;
  return { loss: best.f, x: obj.point(best.x), coords: best.x.slice(), deltaLoss, gnorm, converged: gnorm <= gtol };
}

/** Validates the objective and the subspace of a subspace minimisation. */
export function checkProblem(net: SubspaceObjective, ls: LinearSubspace, who: string): void {
  if (!net || typeof net.lossAndGradient !== "function")
    throw new MLPGFError("VALUE", `${who}: expected a Net, NetI or { nparams, lossAndGradient, hessian? }, got ${describe(net)}`);
  if (!(ls instanceof LinearSubspace))
    throw new MLPGFError("VALUE", `${who}: the second argument must be a LinearSubspace, got ${describe(ls)}`);
  if (net.nparams !== ls.nparams)
    throw new MLPGFError("SHAPE", `${who}: the network has ${net.nparams} parameters but the subspace lives in dimension ${ls.nparams}`);
}

/**
 * f(y) = L(p + B·y) with p = ref + a1·v1 + a2·v2: gradient Bᵀ∇L and Hessian Bᵀ(∇²L)B. A loss that
 * overflows (the network throws VALUE) comes back as NaN, which the optimizers reject as a trial point.
 */
class ComplementObjective implements Objective {
  private readonly p: Float64Array;
  private readonly B: Float64Array;
  private readonly P: number;
  private readonly m: number;

  constructor(
    private readonly net: SubspaceObjective,
    ls: LinearSubspace,
    a1: number,
    a2: number,
  ) {
    this.p = ls.point(a1, a2);
    this.B = ls.basis.data;
    this.P = ls.nparams;
    this.m = ls.nparams - 2;
  }

  /** p + B·y. */
  point(y: Float64Array): Float64Array {
    const x = this.p.slice();
    addBasisTimes(x, this.B, y);
    return x;
  }

  /** −Bᵀp: the complement coordinates of the point closest to the parameter origin. */
  originCoords(): Float64Array {
    return this.project(this.p).map((v) => -v);
  }

  fg(y: Float64Array, g: Float64Array): number {
    return this.guard(g, null, () => {
      const r = this.net.lossAndGradient(this.point(y));
      g.set(this.project(r.gradient));
      return r.loss;
    });
  }

  fgh(y: Float64Array, g: Float64Array, H: Float64Array): number {
    return this.guard(g, H, () => {
      const x = this.point(y);
      const r = this.net.lossAndGradient(x);
      g.set(this.project(r.gradient));
      this.projectHessian(this.net.hessian!(x).data, H);
      return r.loss;
    });
  }

  private guard(g: Float64Array, H: Float64Array | null, f: () => number): number {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof MLPGFError) || e.code !== "VALUE") throw e;
      g.fill(NaN);
      H?.fill(NaN);
      return NaN;
    }
  }

  /** Bᵀv. */
  private project(v: Float64Array): Float64Array {
    const { P, m, B } = this;
    const out = new Float64Array(m);
    for (let i = 0; i < P; i++) {
      const vi = v[i];
      for (let c = 0; c < m; c++) out[c] += B[i * m + c] * vi;
    }
    return out;
  }

  /** out = Bᵀ·Hx·B (m × m, symmetrised). */
  private projectHessian(Hx: Float64Array, out: Float64Array): void {
    const { P, m, B } = this;
    const T = new Float64Array(P * m); // Hx·B
    for (let i = 0; i < P; i++) {
      for (let k = 0; k < P; k++) {
        const h = Hx[i * P + k];
        if (h === 0) continue;
        for (let c = 0; c < m; c++) T[i * m + c] += h * B[k * m + c];
      }
    }
    out.fill(0);
    for (let i = 0; i < P; i++) {
      for (let a = 0; a < m; a++) {
        const b = B[i * m + a];
        if (b === 0) continue;
        for (let c = a; c < m; c++) out[a * m + c] += b * T[i * m + c];
      }
    }
    for (let a = 0; a < m; a++) for (let c = 0; c < a; c++) out[a * m + c] = out[c * m + a];
  }
}
