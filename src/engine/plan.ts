import { HR_DENSE, HR_DIAG, HR_ZERO } from "./abi.generated.js";

/** One run of neurons [start, end) of a layer that share an activation kernel. */
export interface ActivationGroup {
  start: number;
  end: number;
  /** Kernel id (see `assembly/activation.ts`). */
  kind: number;
  /** Polynomial coefficients c0, c1, … (only for the polynomial kernel). */
  coef: readonly number[];
  /** True when f″ ≡ 0 (identity, relu). */
  linearish: boolean;
}

/** What the engine needs to know about one layer. */
export interface LayerPlan {
  k: number;
  nin: number;
  bias: boolean;
  softmax: boolean;
  groups: ActivationGroup[];
}

/** Parameter offset of every layer and the total count P. */
export function parameterOffsets(layers: readonly LayerPlan[]): { offsets: number[]; nparams: number } {
  const offsets: number[] = [];
  let p = 0;
  for (const l of layers) {
    offsets.push(p);
    p += l.k * (l.nin + (l.bias ? 1 : 0));
  }
  return { offsets, nparams: p };
}

/**
 * Structure of the residual curvature R_l (∂²ℓ/∂z_l² minus its Gauss–Newton part) of every layer:
 * zero when no layer from l up has f″ ≠ 0, diagonal when only layer l has, dense otherwise.
 * The softmax–nll output contributes no residual part; an mse output contributes diag(2w·r·f″).
 */
export function residualKinds(layers: readonly LayerPlan[]): number[] {
  const kinds = new Array<number>(layers.length);
  let above = HR_ZERO;
  for (let l = layers.length - 1; l >= 0; l--) {
    const curved = !layers[l].softmax && layers[l].groups.some((g) => !g.linearish);
    kinds[l] = above !== HR_ZERO ? HR_DENSE : curved ? HR_DIAG : HR_ZERO;
    above = kinds[l];
  }
  return kinds;
}
