import { expect } from "vitest";
import { MLPGFError, type MLPGFErrorCode } from "../../src/index.js";

/**
 * Runs f and returns the MLPGFError it throws; fails the test if f returns or throws anything else
 * (a TypeError, a RangeError, a WASM RuntimeError).
 */
export function caught(f: () => unknown): MLPGFError {
  let result: unknown;
  try {
    result = f();
  } catch (e) {
    if (!(e instanceof MLPGFError)) throw new Error(`expected an MLPGFError, got ${String(e)}`, { cause: e });
    return e;
  }
  throw new Error(`expected an MLPGFError, the call returned ${String(result)}`);
}

/** The awaited form of {@link caught}. */
export async function rejected(p: Promise<unknown>): Promise<MLPGFError> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof MLPGFError)) throw new Error(`expected an MLPGFError, got ${String(e)}`, { cause: e });
    return e;
  }
  throw new Error("expected an MLPGFError, the promise resolved");
}

/** Expects f to throw MLPGFError `code` with a message matching `message`. */
export function expectError(f: () => unknown, code: MLPGFErrorCode, message?: RegExp): MLPGFError {
  const e = caught(f);
  expect(e.code, e.message).toBe(code);
  if (message) expect(e.message).toMatch(message);
  return e;
}
