// Normal equations of the output layer's weights, for variable projection: with an identity output
// layer the outputs are Ŷ = A·Φ̃, linear in the output weights A, where Φ̃ holds the last hidden
// layer's activations (and the ones row when the output layer has a bias). For the weighted squared
// error the best A is A + δ with G·δ = C, G = Φ̃·W·Φ̃ᵀ and C = Φ̃·W·(Y − Ŷ)ᵀ at the current x.
import { forwardChunk } from "./forward";
import { gemmNTAcc } from "./gemm";
import { mulInto } from "./vec";
import { H_CHUNK, H_DOUT, H_LAYERS, H_NPAD, H_WTS, H_Y, L_A, L_BIAS, L_K, L_Z, hdr, hptr, lay, lptr } from "./layout";

/**
 * G (m × m, lower triangle filled; m = k_{L−1} + bias of the output layer) and C (m × Dout, row-major)
 * over all samples at parameters x. S is m × B scratch (B = the chunk). Returns m.
 */
export function outputNormalEquations(d: usize, x: usize, S: usize, G: usize, C: usize): i32 {
  const L = hdr(d, H_LAYERS), npad = hdr(d, H_NPAD), B = hdr(d, H_CHUNK), dout = hdr(d, H_DOUT);
  const m = lay(d, L - 2, L_K) + lay(d, L - 1, L_BIAS);
  memory.fill(G, 0, <usize>(m * m) << 3);
  memory.fill(C, 0, <usize>(m * dout) << 3);
  const phi = lptr(d, L - 2, L_A);
  const out = lptr(d, L - 1, L_A);
  const res = lptr(d, L - 1, L_Z);
  for (let n0 = 0; n0 < npad; n0 += B) {
    const nb = min(B, npad - n0);
    forwardChunk(d, x, n0, nb, 0);
    for (let o = 0; o < dout; o++) {
      subtractRow(hptr(d, H_Y) + (<usize>(o * npad + n0) << 3), out + (<usize>(o * nb) << 3), res + (<usize>(o * nb) << 3), nb);
    }
    const w = hptr(d, H_WTS) + (<usize>n0 << 3);
    for (let j = 0; j < m; j++) mulInto(S + (<usize>(j * nb) << 3), w, phi + (<usize>(j * nb) << 3), nb);
    gemmNTAcc(S, nb, m, phi, nb, m, nb, G, m, 1, true);
    gemmNTAcc(S, nb, m, res, nb, dout, nb, C, dout, 1, false);
  }
  return m;
}

/** r[n] = y[n] − ŷ[n] for n < nb (nb even). */
function subtractRow(y: usize, yhat: usize, r: usize, nb: i32): void {
  for (let n = 0; n < nb; n += 2) {
    const off = <usize>n << 3;
    v128.store(r + off, f64x2.sub(v128.load(y + off), v128.load(yhat + off)));
  }
}
