import { type Steps, runSteps } from "../util/steps.js";
import { MLPGFError } from "../errors.js";
import { Monitor } from "./monitor.js";
import { reductionRatio } from "./trustregion.js";
import type { Objective, OptimOptions, OptimResult } from "./types.js";
import { addScaled, allFinite, dot, norm2, sameValues } from "./vector.js";

/** Options of the Newton–CG trust-region method (`minimize(…, "newtonCG", opts)`, `optimSolver: "newtonCG"` in `train`). */
export interface NewtonCGOptions extends OptimOptions {
  /** Initial radius Δ₀. Default 1. */
  initialRadius?: number;
  /** Largest radius. Default 100. */
  maxRadius?: number;
  /** Accept a step when ρ = actual / predicted reduction > eta. Default 0.1. */
  eta?: number;
  /** Shrink Δ to rhoLower·‖p‖ when ρ < rhoLower. Default 0.25. */
  rhoLower?: number;
  /** Double Δ (up to maxRadius) when ρ > rhoUpper and the step reached the boundary. Default 0.75. */
  rhoUpper?: number;
  /** Most conjugate-gradient iterations (Hessian-vector products) per step. Default min(n, 500). */
  maxCgIterations?: number;
}

/** What the inner solver found: the step, its model value m(p) = gᵀp + ½pᵀHp, and how it ended. */
interface CgStep {
  model: number;
  boundary: boolean;
  products: number;
  finite: boolean;
}

/**
 * Newton's method with a trust region whose subproblem is solved by truncated conjugate gradients
 * (Steihaug 1983, Toint 1981; Nocedal & Wright, Algorithm 7.2) on Hessian-vector products only:
 * no n × n matrix is formed or factored, so it serves objectives with 10⁴–10⁵ parameters. CG on
 * H·p = −g from p = 0 stops at the boundary ‖p‖ = Δ, at a direction of non-positive curvature
 * (followed to the boundary), or when ‖H·p + g‖ ≤ min(½, √‖g‖)·‖g‖ (forcing term of a superlinear
 * inexact Newton method). The radius rules are those of `newtonTrustRegion`. Unlike the
 * Moré–Sorensen step it cannot leave a saddle along negative curvature that ∇f does not see.
 *
 * Needs `obj.hvp`. Every subproblem counts as an iteration (accepted or not); `evaluations.hv`
 * counts the products.
 */
export function* newtonCGSteps(obj: Objective, x0: ArrayLike<number>, opts: NewtonCGOptions = {}): Steps<OptimResult> {
  const radius0 = opts.initialRadius ?? 1;
  const maxRadius = opts.maxRadius ?? 100;
  const eta = opts.eta ?? 0.1;
  const rhoLower = opts.rhoLower ?? 0.25;
  const rhoUpper = opts.rhoUpper ?? 0.75;
  if (!(radius0 > 0 && radius0 <= maxRadius))
    throw new MLPGFError("VALUE", `newtonCG: need 0 < initialRadius ≤ maxRadius, got ${String(radius0)} and ${String(maxRadius)}`);
  if (!(eta >= 0 && eta < rhoLower && rhoLower < rhoUpper && rhoUpper < 1)) {
    throw new MLPGFError(
      "VALUE",
      `newtonCG: need 0 ≤ eta < rhoLower < rhoUpper < 1, got ${String(eta)}, ${String(rhoLower)}, ${String(rhoUpper)}`,
    );
  }
  if (typeof obj?.hvp !== "function")
    throw new MLPGFError("VALUE", "newtonCG needs Hessian-vector products: the objective must have a method hvp(x, v, out)");
  const mon = new Monitor(obj, x0, opts);
  const n = mon.n;
  const maxCg = opts.maxCgIterations ?? Math.min(n, 500);
  if (!(Number.isInteger(maxCg) && maxCg >= 1))
    throw new MLPGFError("VALUE", `newtonCG: maxCgIterations must be an integer ≥ 1, got ${String(maxCg)}`);
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const xt = new Float64Array(n);
  const gt = new Float64Array(n);
  const cg = new SteihaugCG(n, (v, out) => mon.hvp(x, v, out));
  let f = mon.fg(x, g);
  if (!Number.isFinite(f) || !allFinite(g)) {
    mon.stop("non-finite objective");
    return mon.result();
  }
  let delta = radius0;
  let trialFinite = true;
  while (!mon.atIterate(x, f, g)) {
    yield;
    const s = cg.solve(g, delta, maxCg);
    if (!s.finite) {
      mon.stop("non-finite Hessian");
      break;
    }
    const pn = norm2(cg.p);
    addScaled(xt, x, 1, cg.p);
    if (!(s.model < 0) || sameValues(xt, x)) {
      mon.stop(trialFinite ? "no progress" : "non-finite objective");
      break;
    }
    const ft = mon.fg(xt, gt);
    mon.iterations++;
    const rho = reductionRatio(f, g, ft, gt, s.model);
    if (rho < rhoLower) delta = rhoLower * pn;
    else if (rho > rhoUpper && (s.boundary || pn >= 0.9 * delta)) delta = Math.min(2 * delta, maxRadius);
    if (rho > eta) {
      x.set(xt);
      f = ft;
      g.set(gt);
    } else if (!(delta > 0)) {
      mon.stop(rho === -Infinity ? "non-finite objective" : "no progress");
      break;
    }
    trialFinite = rho !== -Infinity;
  }
  return mon.result();
}

/** {@link newtonCGSteps} run to the end. */
export function newtonCG(obj: Objective, x0: ArrayLike<number>, opts: NewtonCGOptions = {}): OptimResult {
  return runSteps(newtonCGSteps(obj, x0, opts));
}

/**
 * Steihaug–Toint truncated CG for min m(p) = gᵀp + ½pᵀHp, ‖p‖ ≤ Δ, with H only through products.
 * The model value is tracked along the iterates (m drops by ½α‖r‖² per CG step; on the segment
 * z + τd it is m(z) + τ·rᵀd + ½τ²·dᵀHd), so no product is spent on evaluating it.
 */
export class SteihaugCG {
  /** The step of the last {@link SteihaugCG.solve}. */
  readonly p: Float64Array;
  private readonly r: Float64Array;
  private readonly d: Float64Array;
  private readonly hd: Float64Array;

  constructor(
    n: number,
    private readonly product: (v: Float64Array, out: Float64Array) => void,
  ) {
    this.p = new Float64Array(n);
    this.r = new Float64Array(n);
    this.d = new Float64Array(n);
    this.hd = new Float64Array(n);
  }

  /** Approximately minimises the model within radius Δ (at most maxIter products). */
  solve(g: Float64Array, delta: number, maxIter: number): CgStep {
    const { p, r, d, hd } = this;
    const n = p.length;
    p.fill(0);
    r.set(g);
    for (let i = 0; i < n; i++) d[i] = -g[i];
    const gnorm = norm2(g);
    const tol = Math.min(0.5, Math.sqrt(gnorm)) * gnorm;
    let rr = gnorm * gnorm;
    let model = 0;
    let products = 0;
    for (let j = 0; j < maxIter; j++) {
      this.product(d, hd);
      products++;
      const kappa = dot(d, hd);
      if (!Number.isFinite(kappa)) return { model, boundary: false, products, finite: false };
      const alpha = rr / kappa;
      if (kappa <= 0 || norm2Along(p, alpha, d) >= delta) {
        // follow d to the boundary: the positive root τ of ‖p + τd‖ = Δ
        const tau = boundaryStep(p, d, delta);
        model += tau * dot(r, d) + 0.5 * tau * tau * kappa;
        addScaled(p, p, tau, d);
        return { model, boundary: true, products, finite: true };
      }
      addScaled(p, p, alpha, d);
      addScaled(r, r, alpha, hd);
      model -= 0.5 * alpha * rr;
      const rrNew = dot(r, r);
      if (Math.sqrt(rrNew) <= tol) break;
      const beta = rrNew / rr;
      rr = rrNew;
      for (let i = 0; i < n; i++) d[i] = -r[i] + beta * d[i];
    }
    return { model, boundary: false, products, finite: true };
  }
}

/** ‖p + α·d‖₂ without forming the vector. */
function norm2Along(p: Float64Array, alpha: number, d: Float64Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const t = p[i] + alpha * d[i];
    s += t * t;
  }
  return Math.sqrt(s);
}

/** τ ≥ 0 with ‖p + τd‖ = Δ for ‖p‖ ≤ Δ: the positive root of dᵀd·τ² + 2pᵀd·τ + pᵀp − Δ² = 0, cancellation-free. */
function boundaryStep(p: Float64Array, d: Float64Array, delta: number): number {
  const a = dot(d, d),
    b = dot(p, d),
    c = dot(p, p) - delta * delta;
  if (!(a > 0)) return 0;
  const disc = Math.sqrt(Math.max(0, b * b - a * c));
  // τ = (−b + disc)/a, written as −c/(b + disc) when b > 0 to avoid cancellation
  return b > 0 ? -c / (b + disc) : (-b + disc) / a;
}
