// Layout of a network descriptor: a block of i32 words in linear memory written by the TypeScript
// workspace (src/engine/workspace.ts, through the generated src/engine/abi.generated.ts). Kernels read shapes and buffer
// addresses from it, so every export takes just the descriptor address.

/** Header words. */
export const H_LAYERS: i32 = 0; // number of layers L
export const H_NSAMPLES: i32 = 1; // true number of samples N
export const H_NPAD: i32 = 2; // N rounded up to a multiple of 4 (row stride of X, Y); padding has weight 0
export const H_CHUNK: i32 = 3; // samples per chunk B of the forward/backward pass (multiple of 4)
export const H_DIN: i32 = 4; // input dimension D
export const H_DOUT: i32 = 5; // output dimension
export const H_NPARAMS: i32 = 6; // P
export const H_LOSS: i32 = 7; // LOSS_MSE or LOSS_NLL
export const H_X: i32 = 8; // (D+1) × NPAD inputs, feature-major; row D is all ones (bias input)
export const H_Y: i32 = 9; // Dout × NPAD targets, feature-major (one-hot rows for class labels)
export const H_WTS: i32 = 10; // NPAD sample weights
export const H_JAC: i32 = 11; // Hessian scratch: P × (Dout·HB) Gauss–Newton Jacobian
export const H_HCHUNK: i32 = 12; // samples per chunk HB of the Hessian pass (multiple of 4, ≤ B)
export const H_JA: i32 = 13; // Hessian scratch: max(k_q·k_p) × HB (∂z_q/∂z_p, ping)
export const H_JB: i32 = 14; // Hessian scratch: max(k_q·k_p) × HB (∂z_q/∂z_p, pong)
export const H_TMP: i32 = 15; // Hessian scratch: max(k_q·k_p) × HB
export const H_Q: i32 = 16; // Hessian scratch: HB
export const HEADER_WORDS: i32 = 20;

/** Words of one layer record, which follow the header in layer order. */
export const L_K: i32 = 0; // width k
export const L_NIN: i32 = 1; // inputs n (without the bias)
export const L_BIAS: i32 = 2; // 1 if the layer has a bias (last column of [W b])
export const L_POFF: i32 = 3; // offset of the layer's k × (n + bias) block in the parameter vector
export const L_NGROUPS: i32 = 4; // runs of neurons sharing one activation
export const L_GROUPS: i32 = 5; // address of NGROUPS × GROUP_WORDS i32
export const L_Z: i32 = 6; // k × B pre-activations of the current chunk
export const L_A: i32 = 7; // (k+1) × B activations; row k is ones (bias input of the next layer)
export const L_A1: i32 = 8; // k × B first derivatives f′(z)
export const L_A2: i32 = 9; // k × B second derivatives f″(z)
export const L_DELTA: i32 = 10; // k × B  δ = ∂ℓ/∂z (sample weight included)
export const L_E: i32 = 11; // k × B  e = W̄ᵀ_{next} δ_{next} (hidden layers)
export const L_HRKIND: i32 = 12; // residual curvature ∂²ℓ/∂z² minus its Gauss–Newton part: HR_ZERO/DIAG/DENSE
export const L_HR: i32 = 13; // k × HB (diagonal) or k × k × HB (dense) residual curvature
export const L_GD: i32 = 14; // k × HB Gauss–Newton back-propagated seed
export const L_SOFTMAX: i32 = 15; // 1 for a softmax output layer
export const L_RZ: i32 = 16; // k × B  R{z}: directional derivative of z along v (Hessian-vector product pass)
export const L_RA: i32 = 17; // k × B  R{a} = f′ ⊙ R{z}, then scratch of the backward R-pass
export const L_RD: i32 = 18; // k × B  R{δ}, scratch of the forward R-pass before that
export const LAYER_WORDS: i32 = 19;

/** Words of one activation group: neurons [start, end) share activation `kind`. */
export const G_START: i32 = 0;
export const G_END: i32 = 1;
export const G_KIND: i32 = 2;
export const G_COEF: i32 = 3; // address of polynomial coefficients
export const G_NCOEF: i32 = 4;
export const GROUP_WORDS: i32 = 5;

export const LOSS_MSE: i32 = 0;
export const LOSS_NLL: i32 = 1;

export const HR_ZERO: i32 = 0;
export const HR_DIAG: i32 = 1;
export const HR_DENSE: i32 = 2;

/** Header word `f` of descriptor `d`. */
// @ts-ignore: decorator
@inline export function hdr(d: usize, f: i32): i32 {
  return load<i32>(d + (<usize>f << 2));
}

/** Header word `f` of descriptor `d`, as an address. */
// @ts-ignore: decorator
@inline export function hptr(d: usize, f: i32): usize {
  return <usize>load<u32>(d + (<usize>f << 2));
}

/** Word `f` of layer `l` (0-based) of descriptor `d`. */
// @ts-ignore: decorator
@inline export function lay(d: usize, l: i32, f: i32): i32 {
  return load<i32>(d + (<usize>(HEADER_WORDS + l * LAYER_WORDS + f) << 2));
}

/** Word `f` of layer `l` of descriptor `d`, as an address. */
// @ts-ignore: decorator
@inline export function lptr(d: usize, l: i32, f: i32): usize {
  return <usize>load<u32>(d + (<usize>(HEADER_WORDS + l * LAYER_WORDS + f) << 2));
}

/** Address of the f64 element `i` of the array at `p`. */
// @ts-ignore: decorator
@inline export function at(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}
