/**
 * Evaluation counts of a training run (like scipy's nfev/njev/nhev), over both phases and every
 * session of a resumed run; the bookkeeping at the end (loss at the result and the trajectory points)
 * is not counted.
 */
export interface TrainEvaluations {
  /** Loss evaluations on the full data (each also computed the gradient, except as noted below). */
  loss: number;
  /**
   * Gradient evaluations: every loss evaluation, plus the minibatch gradients of a discrete rule with
   * `batchsize` and the Hessian-vector products of `newtonCG` (each costs about one gradient).
   */
  gradient: number;
  /** Hessian evaluations (stiff ODE methods, Newton and trust-region steps, varpro). */
  hessian: number;
}

/** What `onProgress` receives every `progressInterval` seconds. */
export interface ProgressInfo {
  /** "ode" (or the discrete rule) or "optim". */
  phase: "ode" | "optim";
  /** Seconds since the start of `train`. */
  elapsed: number;
  /** ODE time (or iteration of a discrete rule / optimizer). */
  t: number;
  /** Best mean loss so far (regularisers included). */
  loss: number;
  /** ∞-norm of the mean gradient (regularised) at the best point. */
  gnorm: number;
  /** Evaluations so far. */
  evaluations: TrainEvaluations;
}
