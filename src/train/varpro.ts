import { MLPGFError } from "../errors.js";
import type { LossOptions } from "../api/net.js";
import { Net } from "../api/net.js";
import type { Objective } from "../optim/index.js";
import { allFinite, sameValues } from "../optim/vector.js";
import { SpdSolver } from "./spdsolver.js";

/** A correction δ below this fraction of max|A| is at the rounding level: the lift stops there. */
const REFINE_LEVEL = 1e-10;
/** Most normal-equation passes per lift (each costs one forward pass). */
const MAX_PASSES = 4;

/**
 * Variable projection (Golub & Pereyra 1973) for phase 2. With an identity output layer and the
 * squared error the loss is quadratic in the output layer's weights A, so for hidden parameters u the
 * best A*(u) is a weighted linear least-squares solution, and the optimizer minimises the reduced loss
 * ℓ(u) = L(u, A*(u)) over u alone. Since ∂L/∂A = 0 at A*, ∇ℓ(u) = ∂L/∂u at (u, A*) and
 * ∇²ℓ(u) = H_uu − H_uA·H_AA⁻¹·H_Au (Schur complement of the full Hessian there). ℓ and L have the
 * same minima and the same saddles (the Schur complement keeps the negative eigenvalues), but the
 * reduced problem has no valleys along which hidden and output weights trade off against each other:
 * on the teacher–student benchmark the trust region needs 5–13× fewer Hessians (bench/TRAIN_RESULTS.md).
 *
 * The hidden parameters are the first `Pu` of x (layers are stored in order), A the last block,
 * entry (j, o) at `Pu + j·dout + o` (column-major `[W b]`).
 */
export class VariableProjection {
  /** Number of hidden parameters (the reduced problem's dimension). */
  readonly Pu: number;
  private readonly P: number;
  private readonly gram: SpdSolver;
  private readonly schurSolver: SpdSolver;
  /** The full point (u, A*(u)) of the last lift; `lifted` is false until its A is solved for. */
  private readonly lastX: Float64Array;
  private lifted = false;

  /**
   * @param net - the trained network (a `Net` with data; checked by {@link checkVarpro}).
   * @param weights - sample weights of the run, or null for the network's own.
   */
  constructor(
    private readonly net: Net,
    private readonly weights: Float64Array | null,
  ) {
    const layers = net.layers;
    const m = layers[layers.length - 2][0] + (layers[layers.length - 1][2] ? 1 : 0);
    this.P = net.nparams;
    this.Pu = this.P - m * net.dout;
    this.gram = new SpdSolver(m);
    this.schurSolver = new SpdSolver(m * net.dout);
    this.lastX = new Float64Array(this.P);
  }

  /**
   * x = (u, A*(u)): the hidden parameters u and the output weights that minimise the loss for them.
   * A* is found as A + δ, G·δ = C (normal equations about the previous solution A, which keeps δ and
   * hence the error ε·cond(G)·‖δ‖ small); passes repeat while δ is above the rounding level.
   */
  lift(u: Float64Array, x: Float64Array): void {
    if (!this.lifted || !sameValues(u, this.lastX.subarray(0, this.Pu))) {
      this.solveOutput(u);
      this.lifted = true;
    }
    x.set(this.lastX);
  }

  /**
   * Starts the projection at x0: its output weights are the first reference A; returns the hidden
   * parameters u0 of x0 (a copy).
   */
  start(x0: Float64Array): Float64Array {
    this.lastX.set(x0);
    this.lifted = false;
    return x0.slice(0, this.Pu);
  }

  /** The reduced objective ℓ(u) on top of `full` (an objective in all P parameters). */
  reduce(full: Objective): Objective {
    const { P, Pu } = this;
    const x = new Float64Array(P);
    const gx = new Float64Array(P);
    const Hx = new Float64Array(P * P);
    const fg = (u: Float64Array, g: Float64Array): number => {
      this.lift(u, x);
      const f = full.fg(x, gx);
      g.set(gx.subarray(0, Pu));
      return f;
    };
    const fullFgh = full.fgh?.bind(full);
    if (!fullFgh) return { fg };
    return {
      fg,
      fgh: (u, g, H) => {
        this.lift(u, x);
        const f = fullFgh(x, gx, Hx);
        g.set(gx.subarray(0, Pu));
        this.schur(Hx, H);
        return f;
      },
    };
  }

  /** Returns the WASM memory of the solvers. */
  dispose(): void {
    this.gram.dispose();
    this.schurSolver.dispose();
  }

  /**
   * lastX = (u, A*(u)), starting from the output weights already in lastX (zeros if they are not
   * finite). A non-finite u, or normal equations that overflow, give NaN output weights: the
   * objective then reports a non-finite value at that point, which the optimizers reject.
   */
  private solveOutput(u: Float64Array): void {
    const y = this.lastX;
    const A = y.subarray(this.Pu);
    y.set(u);
    if (!allFinite(u)) {
      A.fill(NaN);
      return;
    }
    if (!allFinite(A)) A.fill(0);
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const { G, C } = this.net.outputNormalEquations(y, this.weights);
      if (!allFinite(G) || !allFinite(C)) {
        A.fill(NaN);
        return;
      }
      this.gram.factor(G);
      const delta = this.gram.solve(C);
      let dmax = 0;
      let amax = 0;
      for (let i = 0; i < delta.length; i++) {
        A[i] += delta[i];
        dmax = Math.max(dmax, Math.abs(delta[i]));
        amax = Math.max(amax, Math.abs(A[i]));
      }
      if (!(dmax > REFINE_LEVEL * amax)) return;
    }
  }

  /** S = H_uu − H_uA·H_AA⁻¹·H_Au from the full P × P Hessian H (row-major). */
  private schur(H: Float64Array, S: Float64Array): void {
    const { P, Pu } = this;
    const q = P - Pu;
    const HAA = new Float64Array(q * q);
    for (let a = 0; a < q; a++) HAA.set(H.subarray((Pu + a) * P + Pu, (Pu + a + 1) * P), a * q);
    this.schurSolver.factor(HAA);
    const HAu = new Float64Array(q * Pu);
    for (let a = 0; a < q; a++) HAu.set(H.subarray((Pu + a) * P, (Pu + a) * P + Pu), a * Pu);
    const X = this.schurSolver.solve(HAu); // H_AA⁻¹·H_Au, q × Pu
    for (let i = 0; i < Pu; i++) {
      for (let j = i; j < Pu; j++) {
        let s = H[i * P + j];
        for (let a = 0; a < q; a++) s -= H[i * P + Pu + a] * X[a * Pu + j];
        S[i * Pu + j] = s;
        S[j * Pu + i] = s;
      }
    }
  }
}

/**
 * Checks that phase 2 can eliminate the output layer of `net` under the loss options `opts`; throws
 * `MLPGFError` (code VALUE) naming what is in the way.
 */
export function checkVarpro(net: unknown, opts: LossOptions): asserts net is Net {
  const no = (why: string): never => {
    throw new MLPGFError("OPTION", `train: varpro (eliminating the output layer's weights) needs ${why}`);
  };
  if (!(net instanceof Net) || !net.dataset) no("a Net with data (not a NetI or a Net without data)");
  const layers = (net as Net).layers;
  if (layers.length < 2) no("at least one hidden layer");
  const act = layers[layers.length - 1][1];
  if (act !== "identity") no(`an identity output layer, got ${JSON.stringify(act)}`);
  if (opts.losstype !== undefined && opts.losstype !== "mse")
    no(`the squared error (losstype "mse"), got ${JSON.stringify(opts.losstype)}`);
  if (opts.maxnorm !== undefined && opts.maxnorm !== Infinity) no("no maxnorm barrier (it is not quadratic in the output weights)");
  if (opts.merge !== undefined) no("no merge penalty");
}
