/**
 * Error codes thrown by the package. Every invalid input raises a {@link MLPGFError} with one of
 * these codes and a message that says what was wrong and what was expected. Code that reacts to an
 * error branches on its code, never on its message.
 *
 * - `SHAPE`: an array or matrix of the wrong size;
 * - `VALUE`: a value out of range or of the wrong type (NaN, a negative count, …);
 * - `ACTIVATION`: an unknown activation name or a bad polynomial activation;
 * - `OPTION`: an unknown option key (the message names it and the closest valid one), or an option
 *   of the wrong type or range;
 * - `IO`: a file could not be read or written (`cause` keeps the original error);
 * - `FORMAT`: a file or a decoded object is not a valid result, checkpoint or data file;
 * - `NOT_INITIALIZED`: a call before `await init()`;
 * - `MEMORY`: the WASM memory cannot hold the request;
 * - `DISPOSED`: a method of an object after its `dispose()`;
 * - `ABI`: the WASM module does not match the kernel ABI this package was built against;
 * - `WASM`: a kernel assertion failed (a bug: please report it);
 * - `WORKER`: a worker thread failed or its message could not be sent (`cause` keeps the original error).
 */
export type MLPGFErrorCode =
  | "SHAPE"
  | "VALUE"
  | "ACTIVATION"
  | "OPTION"
  | "IO"
  | "FORMAT"
  | "NOT_INITIALIZED"
  | "MEMORY"
  | "DISPOSED"
  | "ABI"
  | "WASM"
  | "WORKER";

/** The error class of the package: a plain `Error` with a machine-readable {@link MLPGFErrorCode}. */
export class MLPGFError extends Error {
  /** Machine-readable error code, e.g. `"SHAPE"`. */
  readonly code: MLPGFErrorCode;

  /**
   * @param code - the machine-readable code.
   * @param message - what was wrong and what was expected.
   * @param options - `cause`: the underlying error (a file system error for `IO`, …).
   */
  constructor(code: MLPGFErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "MLPGFError";
    this.code = code;
  }
}

/** True when `e` is a {@link MLPGFError}, optionally with the given code. */
export function isMLPGFError(e: unknown, code?: MLPGFErrorCode): e is MLPGFError {
  return e instanceof MLPGFError && (code === undefined || e.code === code);
}
