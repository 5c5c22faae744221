// Exact Hessian-vector product H·v of the summed loss by the R-operator (Pearlmutter 1994): the
// directional derivative R{·} = d/dε (·)(x + ε·v) at ε = 0 of the forward and backward passes,
// one extra forward/backward pair per chunk, O(N·P) like a gradient, never the P × P Hessian.
//   forward   R{z_l} = Ṽ_l·ã_{l−1} + W̄_l·R{a_{l−1}}            R{a_l} = f′_l ⊙ R{z_l}
//   output    mse: R{δ_L} = 2w·(f′² + r·f″) ⊙ R{z_L}          nll: R{δ_c} = wT·p_c·(R{z_c} − Σ_c′ p_c′·R{z_c′})
//   backward  R{δ_l} = f′_l ⊙ (V̄ᵀ_{l+1}·δ_{l+1} + W̄ᵀ_{l+1}·R{δ_{l+1}}) + f″_l ⊙ R{z_l} ⊙ e_l
//   result    (H·v)_l = R{δ_l}·ã_{l−1}ᵀ + δ_l·R{a_{l−1}}ᵀ   (R of the ones row and of the data is 0)
// Ṽ_l = [V̄_l v_b] is v's block of layer l, laid out like the parameters [W̄_l b_l].
import { backLayer, backwardChunk } from "./backward";
import { forwardChunk, inputRows, inputStride } from "./forward";
import { gemmNN, gemmNTAcc } from "./gemm";
import {
  H_CHUNK, H_DOUT, H_LAYERS, H_LOSS, H_NPAD, H_NPARAMS, H_WTS, H_Y, L_A, L_A1, L_A2, L_BIAS, L_DELTA, L_E, L_K,
  L_NIN, L_POFF, L_RA, L_RD, L_RZ, LOSS_NLL, at, hdr, hptr, lay, lptr,
} from "./layout";
import { outputLoss } from "./loss";
import { addMul3, axpy, mulInto } from "./vec";

/** H(x)·v of Σ_n ℓ_n into hv (P values); returns Σ_n ℓ_n. */
export function hvp(d: usize, x: usize, v: usize, hv: usize): f64 {
  const npad = hdr(d, H_NPAD), B = hdr(d, H_CHUNK);
  memory.fill(hv, 0, <usize>hdr(d, H_NPARAMS) << 3);
  let loss = 0.0;
  for (let n0 = 0; n0 < npad; n0 += B) {
    const nb = min(B, npad - n0);
    forwardChunk(d, x, n0, nb, 2);
    forwardR(d, x, v, n0, nb);
    loss += outputLoss(d, n0, nb, true, false);
    backwardChunk(d, x, nb);
    if (hdr(d, H_LOSS) == LOSS_NLL) outputRNll(d, n0, nb);
    else outputRMse(d, n0, nb);
    backwardR(d, x, v, hv, n0, nb);
  }
  return loss;
}

/** R{z_l} and R{a_l} of every layer for the chunk (R{δ_l} holds W̄_l·R{a_{l−1}} in between). */
function forwardR(d: usize, x: usize, v: usize, n0: i32, nb: i32): void {
  const L = hdr(d, H_LAYERS);
  for (let l = 0; l < L; l++) {
    const k = lay(d, l, L_K), nin = lay(d, l, L_NIN), poff = <usize>lay(d, l, L_POFF) << 3;
    const RZ = lptr(d, l, L_RZ), RD = lptr(d, l, L_RD);
    // R{z_l} = Ṽ_l·ã_{l−1}
    gemmNN(v + poff, 1, k, k, nin + lay(d, l, L_BIAS), inputRows(d, l, n0), inputStride(d, l, nb), RZ, nb);
    if (l > 0) {
      // R{z_l} += W̄_l·R{a_{l−1}} (the first nin columns of [W̄ b] meet the rows of R{a_{l−1}})
      gemmNN(x + poff, 1, k, k, nin, lptr(d, l - 1, L_RA), nb, RD, nb);
      axpy(RZ, 1.0, RD, k * nb);
    }
    if (l < L - 1) mulInto(lptr(d, l, L_RA), lptr(d, l, L_A1), RZ, k * nb);
  }
}

/** mse output: R{δ_o} = 2w·(f′_o² + r_o·f″_o)·R{z_o}, r = a − y. */
function outputRMse(d: usize, n0: i32, nb: i32): void {
  const l = hdr(d, H_LAYERS) - 1;
  const dout = hdr(d, H_DOUT), npad = hdr(d, H_NPAD);
  const A = lptr(d, l, L_A), A1 = lptr(d, l, L_A1), A2 = lptr(d, l, L_A2);
  const RZ = lptr(d, l, L_RZ), RD = lptr(d, l, L_RD);
  const Y = hptr(d, H_Y), W = hptr(d, H_WTS) + (<usize>n0 << 3);
  for (let o = 0; o < dout; o++) {
    const row = o * nb;
    const y = Y + (<usize>(o * npad + n0) << 3);
    for (let n = 0; n < nb; n++) {
      const w = load<f64>(at(W, n));
      const r = load<f64>(at(A, row + n)) - load<f64>(at(y, n));
      const f1 = load<f64>(at(A1, row + n));
      const curv = f1 * f1 + r * load<f64>(at(A2, row + n));
      store<f64>(at(RD, row + n), 2.0 * w * curv * load<f64>(at(RZ, row + n)));
    }
  }
}

/** softmax–nll output (probabilities p in the activations): R{δ_c} = wT·p_c·(R{z_c} − p·R{z}), T = Σ_c t_c. */
function outputRNll(d: usize, n0: i32, nb: i32): void {
  const l = hdr(d, H_LAYERS) - 1;
  const dout = hdr(d, H_DOUT), npad = hdr(d, H_NPAD);
  const A = lptr(d, l, L_A), RZ = lptr(d, l, L_RZ), RD = lptr(d, l, L_RD);
  const Y = hptr(d, H_Y), W = hptr(d, H_WTS) + (<usize>n0 << 3);
  for (let n = 0; n < nb; n++) {
    let T = 0.0, pr = 0.0;
    for (let c = 0; c < dout; c++) {
      T += load<f64>(at(Y, c * npad + n0 + n));
      pr += load<f64>(at(A, c * nb + n)) * load<f64>(at(RZ, c * nb + n));
    }
    const s = load<f64>(at(W, n)) * T;
    for (let c = 0; c < dout; c++) {
      const i = c * nb + n;
      store<f64>(at(RD, i), s * load<f64>(at(A, i)) * (load<f64>(at(RZ, i)) - pr));
    }
  }
}

/** From R{δ_L} down: accumulates (H·v)_l of every layer and R{δ_{l−1}} (R{a_{l−1}} is free once used). */
function backwardR(d: usize, x: usize, v: usize, hv: usize, n0: i32, nb: i32): void {
  for (let l = hdr(d, H_LAYERS) - 1; l >= 0; l--) {
    const k = lay(d, l, L_K), nin = lay(d, l, L_NIN);
    const G = hv + (<usize>lay(d, l, L_POFF) << 3);
    const RD = lptr(d, l, L_RD), D = lptr(d, l, L_DELTA);
    // (H·v)_l += R{δ_l}·ã_{l−1}ᵀ
    gemmNTAcc(RD, nb, k, inputRows(d, l, n0), inputStride(d, l, nb), nin + lay(d, l, L_BIAS), nb, G, 1, k, false);
    if (l == 0) break;
    const RAp = lptr(d, l - 1, L_RA), RDp = lptr(d, l - 1, L_RD);
    const kp = lay(d, l - 1, L_K);
    // (H·v)_l += δ_l·R{a_{l−1}}ᵀ (no bias column: R of the ones row is 0)
    gemmNTAcc(D, nb, k, RAp, nb, nin, nb, G, 1, k, false);
    // R{e_{l−1}} = V̄ᵀ_l·δ_l + W̄ᵀ_l·R{δ_l}, then R{δ_{l−1}} = f′ ⊙ R{e} + f″ ⊙ R{z} ⊙ e
    backLayer(d, v, l - 1, D, RDp, nb);
    backLayer(d, x, l - 1, RD, RAp, nb);
    axpy(RDp, 1.0, RAp, kp * nb);
    mulInto(RDp, lptr(d, l - 1, L_A1), RDp, kp * nb);
    addMul3(RDp, lptr(d, l - 1, L_A2), lptr(d, l - 1, L_RZ), lptr(d, l - 1, L_E), kp * nb);
  }
}
