import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { loadResult } from "../../src/index.js";
import type { RunRecord } from "../../src/cli/resultfile.js";
import { interruptOnSigint } from "../../src/cli/traincommand.js";
import { runCli, tempDir, writeConfig } from "../helpers/cli.js";

/** A run that would take two minutes: 8 student neurons on 3000 samples, 60 s of gradient flow. */
const LONG = {
  layers: [
    [8, "softplus", true],
    [1, "identity", true],
  ],
  data: {
    kind: "teacher",
    teacher: {
      layers: [
        [5, "softplus", true],
        [1, "identity", true],
      ],
      seed: 1,
    },
    din: 3,
    samples: 3000,
  },
  train: { maxtimeOde: 60, maxtimeOptim: 60, progressInterval: 0.2 },
};

describe("mlpgf train: Ctrl-C", () => {
  it("SIGINT after the first progress line stops the run: best point written, stop reason says interrupted, exit code 1", async () => {
    const dir = tempDir();
    const out = join(dir, "r.json");
    let sentAt = 0;
    const t0 = performance.now();
    const run = await runCli(["train", writeConfig(dir, LONG), "-o", out], {
      onStdout: (text, child) => {
        if (!sentAt && /^\s+ode\s+[\d.]+ s\s+t = /m.test(text)) {
          sentAt = performance.now();
          child.kill("SIGINT");
        }
      },
    });
    expect(sentAt).toBeGreaterThan(0);
    expect(performance.now() - sentAt).toBeLessThan(10_000); // stopped promptly, not after maxtimeOde
    expect(performance.now() - t0).toBeLessThan(30_000);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/interrupting/);
    expect(run.stdout).toMatch(/stopped by: interrupted by SIGINT \(Ctrl-C\)/);
    expect(existsSync(out)).toBe(true);
    const r = (await loadResult(out)) as RunRecord;
    expect(r.interrupted).toBe(true);
    expect(r.odeStoppedBy).toBe("interrupted by SIGINT (Ctrl-C)");
    expect(r.optimStoppedBy).toBe(""); // phase 2 is skipped after an interruption
    expect(r.loss).toBeLessThan(r.lossCurve[0]); // the best point, better than the start
    expect(r.loss).toBeLessThanOrEqual(Math.min(...r.lossCurve));
    expect(r.odeTimeRun).toBeLessThan(30);
  });

  it("interruptOnSigint: the first SIGINT aborts the signal, a second one exits with code 130; removed afterwards", () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const lines: string[] = [];
    const controller = new AbortController();
    const before = process.listenerCount("SIGINT");
    const stop = interruptOnSigint(controller, { write: (s: string) => lines.push(s) });
    try {
      process.emit("SIGINT");
      expect(controller.signal.aborted).toBe(true);
      expect(exit).not.toHaveBeenCalled();
      expect(lines.join("")).toMatch(/Ctrl-C again to exit/);
      process.emit("SIGINT");
      expect(exit).toHaveBeenCalledWith(130);
    } finally {
      stop();
      exit.mockRestore();
    }
    expect(process.listenerCount("SIGINT")).toBe(before);
  });
});
