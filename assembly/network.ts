// Entry points of the finite-data network: loss, gradient and outputs over all samples, chunk by chunk.
import { accumulateGradient, backwardChunk } from "./backward";
import { forwardChunk } from "./forward";
import { H_CHUNK, H_DOUT, H_LAYERS, H_NPAD, H_NPARAMS, H_NSAMPLES, L_A, L_SOFTMAX, at, hdr, lay, lptr } from "./layout";
import { outputLoss, softmaxChunk } from "./loss";

/** Σ_n ℓ_n of the whole data at parameters x; with `grad`, writes its gradient to g (P values). */
export function lossGrad(d: usize, x: usize, g: usize, grad: bool): f64 {
  const npad = hdr(d, H_NPAD), B = hdr(d, H_CHUNK);
  if (grad) memory.fill(g, 0, <usize>hdr(d, H_NPARAMS) << 3);
  let loss = 0.0;
  for (let n0 = 0; n0 < npad; n0 += B) {
    const nb = min(B, npad - n0);
    forwardChunk(d, x, n0, nb, grad ? 1 : 0);
    loss += outputLoss(d, n0, nb, grad, false);
    if (grad) {
      backwardChunk(d, x, nb);
      accumulateGradient(d, g, n0, nb);
    }
  }
  return loss;
}

/** Network outputs for every sample, written row by row: out[n·Dout + o] (probabilities for softmax). */
export function predict(d: usize, x: usize, out: usize): void {
  const npad = hdr(d, H_NPAD), B = hdr(d, H_CHUNK), N = hdr(d, H_NSAMPLES), dout = hdr(d, H_DOUT);
  const last = hdr(d, H_LAYERS) - 1;
  const softmax = lay(d, last, L_SOFTMAX) != 0;
  for (let n0 = 0; n0 < npad; n0 += B) {
    const nb = min(B, npad - n0);
    forwardChunk(d, x, n0, nb, 0);
    if (softmax) softmaxChunk(d, nb);
    const A = lptr(d, last, L_A);
    for (let n = 0; n < nb && n0 + n < N; n++) {
      for (let o = 0; o < dout; o++) store<f64>(at(out, (n0 + n) * dout + o), load<f64>(at(A, o * nb + n)));
    }
  }
}
