/**
 * Error codes thrown by the package. Every invalid input raises a {@link MLPGFError} with one of
 * these codes and a message that says what was wrong and what was expected.
 */
export type MLPGFErrorCode =
  | "SHAPE"
  | "VALUE"
  | "ACTIVATION"
  | "NOT_INITIALIZED"
  | "MEMORY"
  | "DISPOSED"
  | "WASM";

/** The error class of the package: a plain `Error` with a machine-readable {@link MLPGFErrorCode}. */
export class MLPGFError extends Error {
  /** Machine-readable error code, e.g. `"SHAPE"`. */
  readonly code: MLPGFErrorCode;

  constructor(code: MLPGFErrorCode, message: string) {
    super(message);
    this.name = "MLPGFError";
    this.code = code;
  }
}
