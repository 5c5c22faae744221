// Entry of kernels.wasm: every export takes pointers into linear memory and scalars only.
// scripts/gen-abi.mjs reads the exports below into src/engine/abi.generated.ts (`npm run gen`).
export { abiVersion } from "./abi.generated";
export { heapBase } from "./memory";
export { erf, erfc } from "./erf";
export { activate } from "./activation";
export { eigSym, eigSymWorkSize } from "./eigen";
export { lossGrad, predict } from "./network";
export { hessian } from "./hessian";
export { hvp } from "./hvp";
export { outputNormalEquations } from "./outputls";
export { cholFactor, cholNullVector, cholSolve, cholSolveLower, cholSolveUpper } from "./cholesky";
export { luFactor, luShift, luSolve } from "./lu";
export { owent } from "./owent";
export { bvn, bvnDerivs } from "./bvn";
export { gaussHermite, gaussHermite2, gaussRule } from "./gausshermite";
export { adaptiveScratch, normalM, normalG1, normalG2, quadM, quadG1, quadG2 } from "./normalintegrals";
