// Back-propagation of one chunk: δ of every layer and the gradient of the summed loss.
import { inputRows, inputStride } from "./forward";
import { gemmNN, gemmNTAcc } from "./gemm";
import { mulInto } from "./vec";
import { H_LAYERS, L_A1, L_BIAS, L_DELTA, L_E, L_K, L_NIN, L_POFF, hdr, lay, lptr } from "./layout";

/** From δ_L: e_l = W̄ᵀ_{l+1}·δ_{l+1} and δ_l = f′_l ⊙ e_l for every hidden layer (chunk of nb). */
export function backwardChunk(d: usize, x: usize, nb: i32): void {
  for (let l = hdr(d, H_LAYERS) - 2; l >= 0; l--) {
    const E = lptr(d, l, L_E);
    backLayer(d, x, l, lptr(d, l + 1, L_DELTA), E, nb);
    mulInto(lptr(d, l, L_DELTA), lptr(d, l, L_A1), E, lay(d, l, L_K) * nb);
  }
}

/** out = W̄ᵀ_{l+1}·src: the bias-free weights of layer l+1 carry a k_{l+1} × nb signal down to layer l. */
export function backLayer(d: usize, x: usize, l: i32, src: usize, out: usize, nb: i32): void {
  const kn = lay(d, l + 1, L_K);
  const W = x + (<usize>lay(d, l + 1, L_POFF) << 3);
  // W̄ᵀ[m,i] = W[i + m·k_{l+1}]: rows m < k_l with stride k_{l+1}, columns i with stride 1
  gemmNN(W, kn, 1, lay(d, l, L_K), kn, src, nb, out, nb);
}

/** G_l += δ_l·ãᵀ_{l−1} for every layer l (G_l column-major like [W b]). */
export function accumulateGradient(d: usize, g: usize, n0: i32, nb: i32): void {
  for (let l = 0, L = hdr(d, H_LAYERS); l < L; l++) {
    const k = lay(d, l, L_K);
    const G = g + (<usize>lay(d, l, L_POFF) << 3);
    gemmNTAcc(lptr(d, l, L_DELTA), nb, k, inputRows(d, l, n0), inputStride(d, l, nb), lay(d, l, L_NIN) + lay(d, l, L_BIAS), nb, G, 1, k, false);
  }
}
