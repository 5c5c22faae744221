import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("examples/channels.js", () => {
  it("runs (ODE-time limits only) and reaches the end of the channel with slopes ε² and ε⁻²", () => {
    const script = new URL("../../examples/channels.js", import.meta.url).pathname;
    const run = spawnSync(process.execPath, [script], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/after gradient flow to t = 1e5: channel/);
    const m = /loss differences (-?[\d.]+) \(ε²\), λ_max (-?[\d.]+) \(ε⁻²\)/.exec(run.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeCloseTo(2, 1);
    expect(Number(m![2])).toBeCloseTo(-2, 1);
  });
});
