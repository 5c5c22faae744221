// The rule that decides which of two points is the better one, shared by the optimizers' best point
// (OptimResult.x) and train's best point (TrainResult.x), so that both keep the same point.

/**
 * Relative difference below which two values of f count as equal in the best-point choice (the
 * rounding level of a sum of many terms); the smaller gradient norm then wins.
 */
export const F_TIE = 1e-13;

/**
 * True when a point with value `f` and gradient ∞-norm `gnorm` replaces the best point so far, whose
 * gradient ∞-norm is `bestGnorm`, given the lowest f ever seen `lowest` (Infinity before the first
 * point): a lower f beyond the rounding level, or an f equal to `lowest` within F_TIE·max(|f|, |lowest|)
 * and a gradient at least as small. Near a minimum f stops resolving progress long before ∇f does,
 * so there the gradient decides. Ties are judged against the lowest f ever seen (not the best point's
 * own f), so f cannot creep upwards through a chain of ties. A non-finite f or gnorm never wins.
 *
 *   better ⇔ f < lowest − τ  ∨  (f ≤ lowest + τ ∧ gnorm ≤ bestGnorm),   τ = F_TIE·max(|f|, |lowest|)
 */
export function isBetterPoint(f: number, gnorm: number, lowest: number, bestGnorm: number): boolean {
  if (!Number.isFinite(f) || !Number.isFinite(gnorm)) return false;
  if (!Number.isFinite(lowest)) return true;
  const tie = F_TIE * Math.max(Math.abs(f), Math.abs(lowest));
  return f < lowest - tie || (f <= lowest + tie && gnorm <= bestGnorm);
}
