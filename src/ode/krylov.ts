import type { OdeContext } from "./stepper.js";

/** Largest Krylov basis before a restart (memory: this many + 1 vectors of n). */
const RESTART = 30;
/** Most restarts of one solve; a solve that does not converge fails the step (the driver shrinks h). */
const MAX_RESTARTS = 2;
/**
 * A stage solve stops when h·γ·‖r‖_w ≤ this (r the residual, ‖·‖_w the weighted RMS norm of the error
 * control): for a dissipative J the error of k_i is then below this fraction of the tolerance.
 */
const KRYLOV_TOL = 1e-3;
/** …or when the residual has dropped by this factor (the rounding floor at very tight tolerances). */
const RELATIVE_FLOOR = 1e-12;
/** Relative perturbation of the difference quotient J·v ≈ (f(x + δv) − f(x))/δ: √ε. */
const FD_STEP = Math.sqrt(Number.EPSILON);

/**
 * The iteration matrix c·I − J of the Rosenbrock stepping routine without a matrix: stage systems
 * (c·I − J)·k = b are solved by restarted GMRES (Saad & Schultz 1986; modified Gram–Schmidt, Givens
 * rotations) on Jacobian-vector products J·v from `fn.jvp` or, without it, a difference quotient of f
 * (one f per product). The system is scaled by the error weights w_i = abstol + reltol·|x_i|
 * (k = W·k̂, residual W⁻¹·r), so GMRES minimises the residual in the norm of the error control. Memory
 * O((RESTART + 1)·n); no n × n array, no factorisation. Same methods as `IterationMatrix`.
 */
export class KrylovMatrix {
  private readonly x: Float64Array;
  private readonly f0: Float64Array;
  private readonly w: Float64Array;
  private readonly V: Float64Array[];
  private readonly H: Float64Array;
  private readonly cs: Float64Array;
  private readonly sn: Float64Array;
  private readonly g: Float64Array;
  private readonly u: Float64Array;
  private readonly r: Float64Array;
  private readonly tmp: Float64Array;
  private readonly jv: Float64Array;
  /** x + δ·v of the difference quotient (without `fn.jvp`). */
  private readonly xp: Float64Array;
  private readonly m: number;
  private t = 0;
  private c = NaN;
  /** True once a Jacobian point was set. */
  hasJacobian = false;

  constructor(private readonly ctx: OdeContext) {
    const n = ctx.n;
    this.m = Math.min(n, RESTART);
    const m = this.m;
    this.x = new Float64Array(n);
    this.f0 = new Float64Array(n);
    this.w = new Float64Array(n);
    this.V = Array.from({ length: m + 1 }, () => new Float64Array(n));
    this.H = new Float64Array((m + 1) * m);
    this.cs = new Float64Array(m);
    this.sn = new Float64Array(m);
    this.g = new Float64Array(m + 1);
    this.u = new Float64Array(n);
    this.r = new Float64Array(n);
    this.tmp = new Float64Array(n);
    this.jv = new Float64Array(n);
    this.xp = new Float64Array(ctx.fn.jvp ? 0 : n);
  }

  /** Takes (t, x) as the point of J (f0 = f(t, x) serves the difference quotients). Always true: J is never formed. */
  evaluate(t: number, x: Float64Array, f0: Float64Array): boolean {
    this.t = t;
    this.x.set(x);
    this.f0.set(f0);
    const { abstol, reltol } = this.ctx;
    for (let i = 0; i < x.length; i++) this.w[i] = abstol + reltol * Math.abs(x[i]);
    this.ctx.stats.njac++;
    this.hasJacobian = true;
    return true;
  }

  /** Sets c of c·I − J (nothing to factor). */
  factor(c: number): boolean {
    this.c = c;
    return true;
  }

  /**
   * out = (c·I − J)⁻¹·b to the Krylov tolerance (b and out may alias). False if GMRES did not
   * converge; a non-finite b or J·v gives out = NaN (the step is then rejected as non-finite).
   */
  solve(b: Float64Array, out: Float64Array): boolean {
    this.ctx.stats.nsolve++;
    const n = this.ctx.n;
    const { w, u, r } = this;
    for (let i = 0; i < n; i++) r[i] = b[i] / w[i];
    u.fill(0);
    const beta0 = norm(r);
    if (beta0 === 0) {
      out.fill(0);
      return true;
    }
    if (!Number.isFinite(beta0)) return nonFinite(out);
    const target = Math.max(KRYLOV_TOL * this.c * Math.sqrt(n), RELATIVE_FLOOR * beta0);
    let beta = beta0;
    for (let restart = 0; restart <= MAX_RESTARTS; restart++) {
      const res = this.cycle(r, beta, target);
      if (res !== res) return nonFinite(out);
      if (res <= target) {
        for (let i = 0; i < n; i++) out[i] = w[i] * u[i];
        return true;
      }
      // true residual of the scaled system for the restart: r = W⁻¹·b − Â·u
      this.apply(u, this.tmp);
      for (let i = 0; i < n; i++) r[i] = b[i] / w[i] - this.tmp[i];
      beta = norm(r);
      if (!Number.isFinite(beta)) return nonFinite(out);
      if (beta <= target) {
        for (let i = 0; i < n; i++) out[i] = w[i] * u[i];
        return true;
      }
    }
    return false;
  }

  /** Nothing to release (plain arrays). */
  dispose(): void {}

  /**
   * One GMRES cycle from residual r (norm beta): builds the Krylov basis until the residual estimate
   * is ≤ target or the basis is full, and adds the minimising combination to u. Returns the estimate.
   */
  private cycle(r: Float64Array, beta: number, target: number): number {
    const { V, H, cs, sn, g, m } = this;
    const n = this.ctx.n;
    const v0 = V[0];
    for (let i = 0; i < n; i++) v0[i] = r[i] / beta;
    g.fill(0);
    g[0] = beta;
    let res = beta;
    let k = 0;
    while (k < m) {
      const vk = V[k + 1];
      this.apply(V[k], vk);
      // modified Gram–Schmidt: H[i,k] = vᵢᵀ·(Â vₖ)
      for (let i = 0; i <= k; i++) {
        const vi = V[i];
        let h = 0;
        for (let j = 0; j < n; j++) h += vi[j] * vk[j];
        H[i * m + k] = h;
        for (let j = 0; j < n; j++) vk[j] -= h * vi[j];
      }
      const hn = norm(vk);
      if (hn !== hn) return NaN;
      // the previous rotations on column k, then a new one that zeroes H[k+1,k]
      for (let i = 0; i < k; i++) {
        const a = H[i * m + k],
          bb = H[(i + 1) * m + k];
        H[i * m + k] = cs[i] * a + sn[i] * bb;
        H[(i + 1) * m + k] = -sn[i] * a + cs[i] * bb;
      }
      const a = H[k * m + k];
      const rho = Math.hypot(a, hn);
      cs[k] = rho === 0 ? 1 : a / rho;
      sn[k] = rho === 0 ? 0 : hn / rho;
      H[k * m + k] = rho;
      g[k + 1] = -sn[k] * g[k];
      g[k] = cs[k] * g[k];
      res = Math.abs(g[k + 1]);
      k++;
      if (hn === 0 || res <= target) break; // exact (lucky breakdown) or converged
      for (let j = 0; j < n; j++) vk[j] /= hn;
    }
    // y = R⁻¹·g (upper triangular k × k), u += V·y
    const y = this.g;
    for (let i = k - 1; i >= 0; i--) {
      let s = y[i];
      for (let j = i + 1; j < k; j++) s -= H[i * m + j] * y[j];
      y[i] = H[i * m + i] === 0 ? 0 : s / H[i * m + i];
    }
    const u = this.u;
    for (let i = 0; i < k; i++) {
      const vi = V[i],
        yi = y[i];
      for (let j = 0; j < n; j++) u[j] += yi * vi[j];
    }
    return res;
  }

  /** out = Â·v = W⁻¹·(c·I − J)·W·v. */
  private apply(v: Float64Array, out: Float64Array): void {
    const n = this.ctx.n;
    const { w, tmp, jv, c } = this;
    for (let i = 0; i < n; i++) tmp[i] = w[i] * v[i];
    this.jacobianTimes(tmp, jv);
    for (let i = 0; i < n; i++) out[i] = (c * tmp[i] - jv[i]) / w[i];
  }

  /** out = J·v at the point of {@link KrylovMatrix.evaluate}: the callback or a forward difference. */
  private jacobianTimes(v: Float64Array, out: Float64Array): void {
    const { fn, stats } = this.ctx;
    stats.njvp++;
    if (fn.jvp) {
      fn.jvp(this.t, this.x, v, out);
      return;
    }
    const n = this.ctx.n;
    const vn = norm(v);
    if (vn === 0) {
      out.fill(0);
      return;
    }
    // δ = √ε·max(‖x‖, 1)/‖v‖: the perturbation δv is √ε relative to x
    const d = (FD_STEP * Math.max(norm(this.x), 1)) / vn;
    const xp = this.xp;
    for (let i = 0; i < n; i++) xp[i] = this.x[i] + d * v[i];
    this.ctx.f(this.t, xp, out);
    for (let i = 0; i < n; i++) out[i] = (out[i] - this.f0[i]) / d;
  }
}

/** Marks a solve that met a non-finite value: out = NaN (returns true: the step goes on to be rejected as non-finite). */
function nonFinite(out: Float64Array): true {
  out.fill(NaN);
  return true;
}

/** ‖v‖₂. */
function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
