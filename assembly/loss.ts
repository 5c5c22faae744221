// Per-sample losses of the output layer and their derivatives with respect to its pre-activations.
//   mse: ℓ = w·Σ_o (a_o − y_o)²              δ_o = 2w·r_o·f′_o       residual curvature 2w·r_o·f″_o
//   nll: ℓ = −w·Σ_c t_c·log softmax(z)_c      δ_c = w·(T·p_c − t_c)   curvature w·T·(diag p − p pᵀ), T = Σ_c t_c
import {
  H_DOUT, H_LAYERS, H_LOSS, H_NPAD, H_WTS, H_Y, HR_ZERO, L_A, L_A1, L_A2, L_DELTA, L_GD, L_HR,
  L_HRKIND, L_Z, LOSS_NLL, at, hdr, hptr, lay, lptr,
} from "./layout";

/**
 * Weighted loss Σ_n ℓ_n of samples [n0, n0+nb) after forwardChunk. With `delta`, writes δ_L;
 * with `curv`, also the residual curvature of the output layer (when it is not zero).
 * For a softmax output, overwrites its activations with the probabilities.
 */
export function outputLoss(d: usize, n0: i32, nb: i32, delta: bool, curv: bool): f64 {
  return hdr(d, H_LOSS) == LOSS_NLL ? nllLoss(d, n0, nb, delta) : mseLoss(d, n0, nb, delta, curv);
}

function mseLoss(d: usize, n0: i32, nb: i32, delta: bool, curv: bool): f64 {
  const l = hdr(d, H_LAYERS) - 1;
  const dout = hdr(d, H_DOUT), npad = hdr(d, H_NPAD);
  const A = lptr(d, l, L_A), A1 = lptr(d, l, L_A1), A2 = lptr(d, l, L_A2);
  const D = lptr(d, l, L_DELTA), HR = lptr(d, l, L_HR);
  const Y = hptr(d, H_Y), W = hptr(d, H_WTS) + (<usize>n0 << 3);
  const wantCurv = curv && lay(d, l, L_HRKIND) != HR_ZERO;
  let loss = 0.0;
  for (let o = 0; o < dout; o++) {
    const row = o * nb;
    const y = Y + (<usize>(o * npad + n0) << 3);
    let s = 0.0;
    for (let n = 0; n < nb; n++) {
      const w = load<f64>(at(W, n));
      const r = load<f64>(at(A, row + n)) - load<f64>(at(y, n));
      s += w * r * r;
      if (delta) store<f64>(at(D, row + n), 2.0 * w * r * load<f64>(at(A1, row + n)));
      if (wantCurv) store<f64>(at(HR, row + n), 2.0 * w * r * load<f64>(at(A2, row + n)));
    }
    loss += s;
  }
  return loss;
}

function nllLoss(d: usize, n0: i32, nb: i32, delta: bool): f64 {
  const l = hdr(d, H_LAYERS) - 1;
  const dout = hdr(d, H_DOUT), npad = hdr(d, H_NPAD);
  const Z = lptr(d, l, L_Z), A = lptr(d, l, L_A), D = lptr(d, l, L_DELTA);
  const Y = hptr(d, H_Y), W = hptr(d, H_WTS) + (<usize>n0 << 3);
  let loss = 0.0;
  for (let n = 0; n < nb; n++) {
    const lse = softmaxSample(Z, A, n, dout, nb);
    const w = load<f64>(at(W, n));
    let s = 0.0, T = 0.0;
    for (let c = 0; c < dout; c++) {
      const t = load<f64>(at(Y, c * npad + n0 + n));
      if (t != 0) s += t * (load<f64>(at(Z, c * nb + n)) - lse);
      T += t;
    }
    loss -= w * s;
    if (delta) {
      for (let c = 0; c < dout; c++) {
        const t = load<f64>(at(Y, c * npad + n0 + n));
        store<f64>(at(D, c * nb + n), w * (T * load<f64>(at(A, c * nb + n)) - t));
      }
    }
  }
  return loss;
}

/** Probabilities p = softmax(z) of the output layer for a chunk of nb samples, written to its activations. */
export function softmaxChunk(d: usize, nb: i32): void {
  const l = hdr(d, H_LAYERS) - 1;
  const dout = hdr(d, H_DOUT);
  const Z = lptr(d, l, L_Z), A = lptr(d, l, L_A);
  for (let n = 0; n < nb; n++) softmaxSample(Z, A, n, dout, nb);
}

/** p_c = exp(z_c − lse) for sample n of a chunk (rows of stride nb); returns lse = log Σ_c exp(z_c). */
function softmaxSample(Z: usize, A: usize, n: i32, dout: i32, nb: i32): f64 {
  const lse = logSumExp(Z + (<usize>n << 3), dout, nb);
  for (let c = 0; c < dout; c++) store<f64>(at(A, c * nb + n), Math.exp(load<f64>(at(Z, c * nb + n)) - lse));
  return lse;
}

/** log Σ_c exp(z_c) of the `count` values at z, z + stride, …, with the maximum subtracted first. */
export function logSumExp(z: usize, count: i32, stride: i32): f64 {
  let m = -Infinity;
  for (let c = 0; c < count; c++) m = max(m, load<f64>(z + (<usize>(c * stride) << 3)));
  if (m == -Infinity || m == Infinity) return m;
  let s = 0.0;
  for (let c = 0; c < count; c++) s += Math.exp(load<f64>(z + (<usize>(c * stride) << 3)) - m);
  return m + Math.log(s);
}

/**
 * Row o of the Gauss–Newton factor U of the output curvature (UᵀU = its Gauss–Newton part),
 * written into the output layer's seed buffer for samples [n0, n0+nb):
 *   mse: U = √(2w)·diag(f′)        nll: U = √(wT)·(I − s sᵀ)·diag(s), s = √p
 */
export function outputSeed(d: usize, o: i32, n0: i32, nb: i32): void {
  const l = hdr(d, H_LAYERS) - 1;
  const dout = hdr(d, H_DOUT), npad = hdr(d, H_NPAD);
  const A = lptr(d, l, L_A), A1 = lptr(d, l, L_A1), G = lptr(d, l, L_GD);
  const Y = hptr(d, H_Y), W = hptr(d, H_WTS) + (<usize>n0 << 3);
  const nll = hdr(d, H_LOSS) == LOSS_NLL;
  for (let n = 0; n < nb; n++) {
    const w = load<f64>(at(W, n));
    if (!nll) {
      const g = Math.sqrt(2.0 * w) * load<f64>(at(A1, o * nb + n));
      for (let c = 0; c < dout; c++) store<f64>(at(G, c * nb + n), c == o ? g : 0.0);
      continue;
    }
    let T = 0.0;
    for (let c = 0; c < dout; c++) T += load<f64>(at(Y, c * npad + n0 + n));
    const scale = Math.sqrt(w * T);
    const so = Math.sqrt(load<f64>(at(A, o * nb + n)));
    for (let c = 0; c < dout; c++) {
      const sc = Math.sqrt(load<f64>(at(A, c * nb + n)));
      store<f64>(at(G, c * nb + n), scale * sc * ((c == o ? 1.0 : 0.0) - so * sc));
    }
  }
}
