// Exact Hessian of the summed loss by second-order back-propagation, chunk by chunk, O(N·P²):
//   H = Σ_n Uₙᵀ Uₙ  (Gauss–Newton part: a symmetric rank-(Dout·N) update, one SIMD SYRK per chunk)
//     + Σ_n residual part, which for layers p ≤ q and ã_l the input of layer l+1 (ones row = bias) is
//   H[(q,k,m),(p,i,j)] += ã_{p−1}[j]·( ã_{q−1}[m]·(R_q J_{q,p})[k,i] + δ_q[k]·f′_{q−1}[m]·J_{q−1,p}[m,i] )
// with J_{q,p} = ∂z_q/∂z_p (J_{p,p} = I), R_q the residual curvature ∂²ℓ/∂z_q² minus its Gauss–Newton
// part (R_L = diag(2w·r·f″) for mse, 0 for softmax-nll; R_l = diag(f′)W̄ᵀR_{l+1}W̄ diag(f′) + diag(f″⊙e)).
import { backLayer, backwardChunk } from "./backward";
import { forwardChunk, inputRows, inputStride } from "./forward";
import { gemmNTAcc } from "./gemm";
import { dot } from "./simd";
import {
  H_DOUT, H_HCHUNK, H_JA, H_JAC, H_JB, H_LAYERS, H_NPAD, H_NPARAMS, H_Q, H_TMP, HR_DENSE, HR_DIAG, HR_ZERO,
  L_A1, L_A2, L_BIAS, L_DELTA, L_E, L_GD, L_HR, L_HRKIND, L_K, L_NIN, L_POFF, at, hdr, hptr, lay, lptr,
} from "./layout";
import { outputLoss, outputSeed } from "./loss";
import { addMul, addMul3, axpy, axpy2, mulInto, zero } from "./vec";

/** Hessian of Σ_n ℓ_n at x into H (P × P, row-major, symmetric); returns Σ_n ℓ_n. */
export function hessian(d: usize, x: usize, H: usize): f64 {
  const P = hdr(d, H_NPARAMS), npad = hdr(d, H_NPAD), hb = hdr(d, H_HCHUNK);
  memory.fill(H, 0, (<usize>P * <usize>P) << 3);
  let loss = 0.0;
  for (let n0 = 0; n0 < npad; n0 += hb) {
    const nb = min(hb, npad - n0);
    forwardChunk(d, x, n0, nb, 2);
    loss += outputLoss(d, n0, nb, true, true);
    backwardChunk(d, x, nb);
    gaussNewton(d, x, H, n0, nb);
    residualCurvature(d, x, nb);
    residualBlocks(d, x, H, n0, nb);
  }
  mirrorLower(H, P);
  return loss;
}

/** H += Σ_n Uₙᵀ Uₙ (lower triangle): back-propagates each row of the output factor U into a Jacobian. */
function gaussNewton(d: usize, x: usize, H: usize, n0: i32, nb: i32): void {
  const L = hdr(d, H_LAYERS), dout = hdr(d, H_DOUT), P = hdr(d, H_NPARAMS);
  const J = hptr(d, H_JAC);
  const js = dout * nb;
  for (let o = 0; o < dout; o++) {
    outputSeed(d, o, n0, nb);
    for (let l = L - 1; l >= 0; l--) {
      const G = lptr(d, l, L_GD);
      if (l < L - 1) {
        backLayer(d, x, l, lptr(d, l + 1, L_GD), G, nb);
        mulInto(G, lptr(d, l, L_A1), G, lay(d, l, L_K) * nb);
      }
      jacobianRows(d, l, G, J + (<usize>(o * nb) << 3), js, n0, nb);
    }
  }
  gemmNTAcc(J, js, P, J, js, P, js, H, P, 1, true);
}

/** Rows of layer l of the parameter Jacobian: J[poff + m·k + i, n] = G[i,n]·ã_{l−1}[m,n]. */
function jacobianRows(d: usize, l: i32, G: usize, J: usize, js: i32, n0: i32, nb: i32): void {
  const k = lay(d, l, L_K), nm = lay(d, l, L_NIN) + lay(d, l, L_BIAS), poff = lay(d, l, L_POFF);
  const inp = inputRows(d, l, n0), is = inputStride(d, l, nb);
  for (let m = 0; m < nm; m++) {
    const a = at(inp, m * is);
    for (let i = 0; i < k; i++) mulInto(at(J, (poff + m * k + i) * js), at(G, i * nb), a, nb);
  }
}

/** Residual curvature R_l of the hidden layers, from the top down (R_L is written by outputLoss). */
function residualCurvature(d: usize, x: usize, nb: i32): void {
  for (let l = hdr(d, H_LAYERS) - 2; l >= 0; l--) {
    const kind = lay(d, l, L_HRKIND);
    const k = lay(d, l, L_K);
    const R = lptr(d, l, L_HR), A1 = lptr(d, l, L_A1), A2 = lptr(d, l, L_A2), E = lptr(d, l, L_E);
    if (kind == HR_ZERO) continue;
    if (kind == HR_DIAG) {
      mulInto(R, A2, E, k * nb); // R_l = diag(f″ ⊙ e) when R_{l+1} = 0
      continue;
    }
    const kn = lay(d, l + 1, L_K), up = lay(d, l + 1, L_HRKIND), Rn = lptr(d, l + 1, L_HR);
    const W = x + (<usize>lay(d, l + 1, L_POFF) << 3); // W̄_{l+1}[a,k] = W[a + k·kn]
    const T = hptr(d, H_TMP);
    if (up == HR_DENSE) {
      // T[a,i] = Σ_b R_{l+1}[a,b]·W̄[b,i]
      for (let a = 0; a < kn; a++) {
        for (let i = 0; i < k; i++) {
          const t = at(T, (a * k + i) * nb);
          zero(t, nb);
          for (let b = 0; b < kn; b++) axpy(t, load<f64>(at(W, b + i * kn)), at(Rn, (a * kn + b) * nb), nb);
        }
      }
    }
    for (let r = 0; r < k; r++) {
      for (let i = 0; i < k; i++) {
        // R_l[r,i] = f′_r·f′_i·(W̄ᵀ R_{l+1} W̄)[r,i] + [r = i]·f″_r·e_r
        const out = at(R, (r * k + i) * nb);
        zero(out, nb);
        for (let a = 0; a < kn; a++) {
          const war = load<f64>(at(W, a + r * kn));
          if (up == HR_DIAG) axpy(out, war * load<f64>(at(W, a + i * kn)), at(Rn, a * nb), nb);
          else if (up == HR_DENSE) axpy(out, war, at(T, (a * k + i) * nb), nb);
        }
        mulInto(out, out, at(A1, r * nb), nb);
        mulInto(out, out, at(A1, i * nb), nb);
        if (r == i) addMul(out, at(A2, r * nb), at(E, r * nb), nb);
      }
    }
  }
}

/** H += residual part of every block (q, p), q ≥ p, lower triangle only. */
function residualBlocks(d: usize, x: usize, H: usize, n0: i32, nb: i32): void {
  const L = hdr(d, H_LAYERS);
  for (let p = 0; p < L; p++) {
    let prev = hptr(d, H_JA), cur = hptr(d, H_JB);
    for (let q = p; q < L; q++) {
      if (q == p + 1) firstJacobian(d, x, p, cur, nb);
      else if (q > p + 1) {
        const t = prev;
        prev = cur;
        cur = t;
        nextJacobian(d, x, p, q, prev, cur, nb);
      }
      residualBlock(d, x, H, p, q, cur, prev, n0, nb);
    }
  }
}

/** J_{p+1,p}[k,i] = W̄_{p+1}[k,i]·f′_p[i]. */
function firstJacobian(d: usize, x: usize, p: i32, J: usize, nb: i32): void {
  const kq = lay(d, p + 1, L_K), kp = lay(d, p, L_K);
  const W = x + (<usize>lay(d, p + 1, L_POFF) << 3);
  const A1 = lptr(d, p, L_A1);
  for (let k = 0; k < kq; k++) {
    for (let i = 0; i < kp; i++) {
      const out = at(J, (k * kp + i) * nb);
      zero(out, nb);
      axpy(out, load<f64>(at(W, k + i * kq)), at(A1, i * nb), nb);
    }
  }
}

/** J_{q,p}[k,i] = Σ_r W̄_q[k,r]·f′_{q−1}[r]·J_{q−1,p}[r,i]. */
function nextJacobian(d: usize, x: usize, p: i32, q: i32, Jprev: usize, J: usize, nb: i32): void {
  const kq = lay(d, q, L_K), kr = lay(d, q - 1, L_K), kp = lay(d, p, L_K);
  const W = x + (<usize>lay(d, q, L_POFF) << 3);
  const A1 = lptr(d, q - 1, L_A1);
  for (let k = 0; k < kq; k++) {
    for (let i = 0; i < kp; i++) {
      const out = at(J, (k * kp + i) * nb);
      zero(out, nb);
      for (let r = 0; r < kr; r++) axpy2(out, load<f64>(at(W, k + r * kq)), at(A1, r * nb), at(Jprev, (r * kp + i) * nb), nb);
    }
  }
}

/** Residual part of block (q, p): see the formula at the top of this file. */
function residualBlock(d: usize, x: usize, H: usize, p: i32, q: i32, J: usize, Jprev: usize, n0: i32, nb: i32): void {
  const kind = lay(d, q, L_HRKIND);
  const hasA = kind != HR_ZERO, hasB = q > p;
  if (!hasA && !hasB) return;
  const P = hdr(d, H_NPARAMS);
  const kq = lay(d, q, L_K), nq = lay(d, q, L_NIN), mq = nq + lay(d, q, L_BIAS), pq = lay(d, q, L_POFF);
  const kp = lay(d, p, L_K), mp = lay(d, p, L_NIN) + lay(d, p, L_BIAS), pp = lay(d, p, L_POFF);
  const aq = inputRows(d, q, n0), aqs = inputStride(d, q, nb);
  const ap = inputRows(d, p, n0), aps = inputStride(d, p, nb);
  const R = lptr(d, q, L_HR), Dq = lptr(d, q, L_DELTA);
  const A1p = lptr(d, p, L_A1), A1r = q > p ? lptr(d, q - 1, L_A1) : 0;
  const T = hptr(d, H_TMP), Q = hptr(d, H_Q);
  const diag = kind == HR_DIAG;
  if (hasA && q > p && !diag) {
    // T[k,i] = (R_q J_{q,p})[k,i]
    for (let k = 0; k < kq; k++) {
      for (let i = 0; i < kp; i++) {
        const t = at(T, (k * kp + i) * nb);
        zero(t, nb);
        for (let r = 0; r < kq; r++) addMul(t, at(R, (k * kq + r) * nb), at(J, (r * kp + i) * nb), nb);
      }
    }
  }
  for (let k = 0; k < kq; k++) {
    for (let m = 0; m < mq; m++) {
      for (let i = 0; i < kp; i++) {
        const termA = hasA && !(q == p && diag && k != i);
        const termB = hasB && m < nq && !(q == p + 1 && m != i);
        if (!termA && !termB) continue;
        zero(Q, nb);
        if (termA) {
          const a = at(aq, m * aqs);
          if (q == p) addMul(Q, a, diag ? at(R, k * nb) : at(R, (k * kq + i) * nb), nb);
          else if (diag) addMul3(Q, a, at(R, k * nb), at(J, (k * kp + i) * nb), nb);
          else addMul(Q, a, at(T, (k * kp + i) * nb), nb);
        }
        if (termB) {
          const dk = at(Dq, k * nb);
          if (q == p + 1) addMul(Q, dk, at(A1p, i * nb), nb);
          else addMul3(Q, dk, at(A1r, m * nb), at(Jprev, (m * kp + i) * nb), nb);
        }
        const r = pq + m * kq + k;
        for (let j = 0; j < mp; j++) {
          const c = pp + j * kp + i;
          if (r < c) continue;
          const h = H + ((<usize>r * <usize>P + <usize>c) << 3);
          store<f64>(h, load<f64>(h) + dot(Q, at(ap, j * aps), nb));
        }
      }
    }
  }
}

/** H[c,r] = H[r,c] for r > c. */
function mirrorLower(H: usize, P: i32): void {
  for (let r = 1; r < P; r++) {
    for (let c = 0; c < r; c++) store<f64>(at(H, c * P + r), load<f64>(at(H, r * P + c)));
  }
}
