import { describe, expect, it } from "vitest";
import { defaultAlg, defaultOptimSolver } from "../src/train/options.js";

describe("default methods by size and cost", () => {
  it("uses Rodas4 / the trust region while one Hessian is cheap", () => {
    expect(defaultAlg(33, 10_000)).toBe("rodas4");
    expect(defaultAlg(401, 10_000)).toBe("rodas4");
    expect(defaultAlg(1024, 0)).toBe("rodas4"); // infinite data: by P alone
    expect(defaultOptimSolver(33, 10_000)).toBe("newtonTrustRegion");
    expect(defaultOptimSolver(128, 0)).toBe("newtonTrustRegion");
  });

  it("moves to TRBDF2, then the Jacobian-free Krylov method, as P grows", () => {
    expect(defaultAlg(1025, 1000)).toBe("trbdf2");
    expect(defaultAlg(10_000, 0)).toBe("trbdf2");
    expect(defaultAlg(10_001, 0)).toBe("rodas4krylov");
    expect(defaultAlg(79_510, 10_000)).toBe("rodas4krylov"); // the MNIST network
    expect(defaultOptimSolver(129, 10)).toBe("bfgs");
    expect(defaultOptimSolver(4096, 10)).toBe("bfgs");
    expect(defaultOptimSolver(4097, 10)).toBe("newtonCG");
    expect(defaultOptimSolver(1_000_001, 10)).toBe("newtonCG");
  });

  it("avoids a method with a full Hessian when the Hessian of N samples would take many seconds", () => {
    // P ≈ 4400, N = 10⁵ (2·10¹² units, minutes per Hessian): Hessian-vector products instead
    expect(defaultAlg(4400, 100_000)).toBe("rodas4krylov");
    // P = 1000, N = 10⁵: 10¹¹ units — beyond Rodas4's and TRBDF2's budgets
    expect(defaultAlg(1000, 100_000)).toBe("rodas4krylov");
    // P = 1000, N = 2·10⁴: 2·10¹⁰ — too slow for a Hessian every step, fine for TRBDF2's reuse
    expect(defaultAlg(1000, 20_000)).toBe("trbdf2");
    expect(defaultOptimSolver(100, 2_000_000)).toBe("bfgs");
  });
});
