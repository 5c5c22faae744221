import { describe, expect, it } from "vitest";
import { ProgressDisplay } from "../../src/cli/progress.js";
import type { ProgressInfo } from "../../src/train/options.js";

const info = (phase: "ode" | "optim", elapsed: number): ProgressInfo => ({
  phase,
  elapsed,
  t: 12.5,
  loss: 1.25e-3,
  gnorm: 3e-4,
  evaluations: { loss: 40, gradient: 40, hessian: 7 },
});

describe("progress display", () => {
  it("on a TTY: one line redrawn in place with a bar of the phase's time budget, cut to the terminal width", () => {
    const chunks: string[] = [];
    const d = new ProgressDisplay({ write: (s: string) => chunks.push(s), isTTY: true, columns: 200 }, { ode: 10, optim: 4 });
    expect(d.defaultInterval()).toBe(0.25);
    d.update(info("ode", 5));
    d.update(info("optim", 10)); // phase 2 starts: its bar starts empty
    d.update(info("optim", 12));
    d.end();
    expect(chunks.slice(0, 3).every((c) => c.startsWith("\r\x1b[2K") && !c.includes("\n"))).toBe(true);
    expect(chunks[0]).toContain("[########--------]"); // 5 of 10 s
    expect(chunks[1]).toContain("[----------------]");
    expect(chunks[2]).toContain("[########--------]"); // 2 of 4 s
    expect(chunks[0]).toMatch(/ode\s+5\.0 s .* t = 1\.25e\+1\s+loss 1\.2500e-3\s+‖∇‖∞ 3\.00e-4\s+evaluations ∇ 40, ∇² 7/);
    expect(chunks[3]).toBe("\n");
    const narrow: string[] = [];
    new ProgressDisplay({ write: (s: string) => narrow.push(s), isTTY: true, columns: 40 }, { ode: 10, optim: 4 }).update(info("ode", 1));
    expect(narrow[0].length).toBe("\r\x1b[2K".length + 39);
  });

  it("not a TTY: plain lines, one per report, reports every 5 s by default", () => {
    const chunks: string[] = [];
    const d = new ProgressDisplay({ write: (s: string) => chunks.push(s) }, { ode: 10, optim: 4 });
    expect(d.defaultInterval()).toBe(5);
    d.update(info("ode", 5));
    d.update(info("ode", 10));
    d.end();
    expect(chunks).toHaveLength(2);
    expect(chunks.every((c) => c.endsWith("\n") && !c.includes("\r") && !c.includes("["))).toBe(true);
  });
});
