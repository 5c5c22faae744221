// Mirror of assembly/layout.ts: word offsets of the network descriptor that the kernels read.
export const H = {
  LAYERS: 0, NSAMPLES: 1, NPAD: 2, CHUNK: 3, DIN: 4, DOUT: 5, NPARAMS: 6, LOSS: 7, X: 8, Y: 9, WTS: 10,
  JAC: 11, HCHUNK: 12, JA: 13, JB: 14, TMP: 15, Q: 16,
} as const;
export const HEADER_WORDS = 20;

export const L = {
  K: 0, NIN: 1, BIAS: 2, POFF: 3, NGROUPS: 4, GROUPS: 5, Z: 6, A: 7, A1: 8, A2: 9, DELTA: 10, E: 11,
  HRKIND: 12, HR: 13, GD: 14, SOFTMAX: 15, RZ: 16, RA: 17, RD: 18,
} as const;
export const LAYER_WORDS = 19;
export const GROUP_WORDS = 5;

export const LOSS_MSE = 0;
export const LOSS_NLL = 1;

/** Kind of the residual curvature of a layer: zero, diagonal or dense per sample. */
export const HR_ZERO = 0;
export const HR_DIAG = 1;
export const HR_DENSE = 2;
