// Cooperative stepping: long loops (ODE steps, optimizer iterations) are generators that yield after
// every step, so one loop serves a synchronous caller and an asynchronous one that lets the event loop
// run (timers, AbortSignal, UI) every few milliseconds.

/** A loop that yields after every step and returns its result. */
export type Steps<R> = Generator<void, R, void>;

/** Runs the loop to its end without yielding to the event loop. */
export function runSteps<R>(steps: Steps<R>): R {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs the loop to its end, giving the event loop a turn at least every `sliceMs` milliseconds.
 * `between`, if given, runs after every step; a promise it returns is awaited (e.g. a file write).
 */
export async function runStepsAsync<R>(steps: Steps<R>, sliceMs = 50, between?: () => Promise<void> | undefined): Promise<R> {
  let last = performance.now();
  let done = false;
  try {
    for (;;) {
      const r = steps.next();
      if (r.done) {
        done = true;
        return r.value;
      }
      const p = between?.();
      if (p) await p;
      const now = performance.now();
      if (now - last >= sliceMs) {
        await macrotask();
        last = performance.now();
      }
    }
  } finally {
    // `between` failed (e.g. a checkpoint write): finish the steps so that their `finally` blocks free solver memory
    if (!done) steps.return(undefined as R);
  }
}

/** Resolves on the next macrotask (after pending timers and events). */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
