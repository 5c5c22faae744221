export { init, isInitialized } from "./engine/kernels.js";
export type { WasmSource } from "./engine/kernels.js";
export { MLPGFError } from "./errors.js";
export type { MLPGFErrorCode } from "./errors.js";
