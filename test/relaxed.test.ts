// The relaxed-SIMD build (fused multiply-add) against the SIMD128 build: Node 20 runs relaxed SIMD only
// with --experimental-wasm-relaxed-simd, so both are evaluated in child processes of the built package
// (test/relaxed/evaluate.mjs), one with the flag and one without; init() picks the build by feature detection.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("./relaxed/evaluate.mjs", import.meta.url));

interface Evaluation {
  flavour: string;
  cases: { loss: number; gradient: number[]; hvp: number[]; hessian: number[] | null }[];
}

function evaluate(flags: string[]): Evaluation {
  const r = spawnSync(process.execPath, [...flags, script], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`evaluate.mjs failed (${String(r.error ?? r.status)}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Evaluation;
}

/** max |a − b| / max |b|. */
function relErr(a: number[], b: number[]): number {
  let num = 0,
    den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

describe("relaxed-SIMD kernels", () => {
  const simd = evaluate([]);
  const relaxed = evaluate(["--experimental-wasm-relaxed-simd"]);

  it("init() picks the build by feature detection", () => {
    expect(simd.flavour).toBe("simd128");
    expect(relaxed.flavour).toBe("relaxed-simd");
  });

  it("loss, gradient, H·v and Hessian equal the SIMD128 build's within 1e-14 relative", () => {
    let differs = false;
    relaxed.cases.forEach((c, i) => {
      const s = simd.cases[i];
      expect(Math.abs(c.loss - s.loss)).toBeLessThanOrEqual(1e-14 * Math.abs(s.loss));
      expect(relErr(c.gradient, s.gradient)).toBeLessThanOrEqual(1e-14);
      expect(relErr(c.hvp, s.hvp)).toBeLessThanOrEqual(1e-14);
      if (s.hessian) expect(relErr(c.hessian!, s.hessian)).toBeLessThanOrEqual(1e-14);
      differs ||= c.gradient.some((g, j) => g !== s.gradient[j]);
    });
    // the builds are different arithmetic (fused products round once): some bits differ on this CPU with FMA
    expect(differs).toBe(true);
  });
});
