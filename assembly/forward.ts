// Forward pass of one chunk of samples through every layer: z = [W b]·ã, a = f(z), f′(z), f″(z).
import { activate } from "./activation";
import { gemmNN } from "./gemm";
import {
  G_COEF, G_END, G_KIND, G_NCOEF, G_START, GROUP_WORDS, H_LAYERS, H_NPAD, H_X, L_A, L_A1, L_A2,
  L_BIAS, L_GROUPS, L_K, L_NGROUPS, L_NIN, L_POFF, L_SOFTMAX, L_Z, hdr, hptr, lay, lptr,
} from "./layout";

/** Address of row 0 of ã_{l−1}, the input of layer l, for the chunk starting at sample n0. */
export function inputRows(d: usize, l: i32, n0: i32): usize {
  return l == 0 ? hptr(d, H_X) + (<usize>n0 << 3) : lptr(d, l - 1, L_A);
}

/** Row stride (in f64) of ã_{l−1}: the padded sample count for the data, nb for hidden layers. */
export function inputStride(d: usize, l: i32, nb: i32): i32 {
  return l == 0 ? hdr(d, H_NPAD) : nb;
}

/** Forward pass over samples [n0, n0+nb): every layer's z and a (plus f′ if derivs ≥ 1, f″ if ≥ 2). */
export function forwardChunk(d: usize, x: usize, n0: i32, nb: i32, derivs: i32): void {
  const L = hdr(d, H_LAYERS);
  for (let l = 0; l < L; l++) {
    const k = lay(d, l, L_K);
    const W = x + (<usize>lay(d, l, L_POFF) << 3);
    const Z = lptr(d, l, L_Z);
    // z[i,n] = Σ_m W̃[i,m]·ã[m,n], W̃ = [W b] column-major, the bias meets the ones row of ã
    gemmNN(W, 1, k, k, lay(d, l, L_NIN) + lay(d, l, L_BIAS), inputRows(d, l, n0), inputStride(d, l, nb), Z, nb);
    if (lay(d, l, L_SOFTMAX) == 0) activateLayer(d, l, nb, derivs);
    fillOnes(lptr(d, l, L_A) + (<usize>(k * nb) << 3), nb);
  }
}

/** a, f′, f″ of layer l, one activation kernel call per run of neurons with the same function. */
function activateLayer(d: usize, l: i32, nb: i32, derivs: i32): void {
  const ng = lay(d, l, L_NGROUPS);
  const groups = lptr(d, l, L_GROUPS);
  const Z = lptr(d, l, L_Z), A = lptr(d, l, L_A), A1 = lptr(d, l, L_A1), A2 = lptr(d, l, L_A2);
  for (let g = 0; g < ng; g++) {
    const gp = groups + (<usize>(g * GROUP_WORDS) << 2);
    const start = load<i32>(gp + (<usize>G_START << 2));
    const end = load<i32>(gp + (<usize>G_END << 2));
    const off = <usize>(start * nb) << 3;
    activate(
      load<i32>(gp + (<usize>G_KIND << 2)), <usize>load<u32>(gp + (<usize>G_COEF << 2)), load<i32>(gp + (<usize>G_NCOEF << 2)),
      Z + off, A + off, A1 + off, A2 + off, (end - start) * nb, derivs,
    );
  }
}

/** p[0..n) = 1 (the bias input row). */
function fillOnes(p: usize, n: i32): void {
  const one = f64x2.splat(1.0);
  for (let i = 0; i < n; i += 2) v128.store(p + (<usize>i << 3), one);
}
