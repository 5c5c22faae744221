// Entry of kernels.wasm: every export takes pointers into linear memory and scalars only.
export { heapBase } from "./memory";
export { erf, erfc } from "./erf";
export { activate } from "./activation";
export { eigSym, eigSymWorkSize } from "./eigen";
export { lossGrad, predict } from "./network";
export { hessian } from "./hessian";
export { cholFactor, cholNullVector, cholSolve, cholSolveLower, cholSolveUpper } from "./cholesky";
export { luFactor, luShift, luSolve } from "./lu";
