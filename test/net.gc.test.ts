import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("networks dropped without dispose()", () => {
  it("are reclaimed: 10,000 undisposed networks keep WASM memory bounded", () => {
    const script = fileURLToPath(new URL("./scripts/gc-leak.mjs", import.meta.url));
    const build = process.env.MLPGF_BUILD === "debug" ? "kernels.debug.wasm" : "kernels.wasm";
    const r = spawnSync(process.execPath, ["--expose-gc", script, build], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const { used, capacity } = JSON.parse(r.stdout) as { used: number[]; capacity: number };
    const perNet = 8 * (32 * 6 + 1) * 64 + 8 * 5 * 64; // layer buffers + data of one network, lower bound
    expect(Math.max(...used)).toBeLessThan(200 * perNet); // without reclamation: 10,000 networks
    expect(capacity).toBeLessThan(2000 * perNet);
  });
});
