import { expect } from "vitest";
import { MLPGFError } from "../../src/index.js";

/**
 * Runs `f` and checks that it throws a {@link MLPGFError} with `code` (and a message matching `message`
 * when given); fails when it throws anything else or nothing.
 */
export function expectMLPGFError(f: () => unknown, code: string, message?: RegExp): void {
  let err: unknown = null;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, String(f)).toBeInstanceOf(MLPGFError);
  expect((err as MLPGFError).code, String(f)).toBe(code);
  if (message) expect((err as MLPGFError).message).toMatch(message);
}
