import { describe, expect, it } from "vitest";
import { MLPGFError, Net, eigenvector, hessianSpectrum } from "../../src/index.js";

describe("eigenvector(spectrum, j)", () => {
  it("H·v_j = λ_j·v_j, unit length, negative j from the end", () => {
    const net = new Net({
      layers: [
        [3, "softplus", true],
        [1, "identity", true],
      ],
      input: [
        [0.1, 0.2],
        [0.3, -0.4],
        [1, 0.5],
      ],
      target: [[1], [0], [0.5]],
    });
    const x = net.randomParams({ seed: 2 });
    const H = net.hessian(x);
    const s = hessianSpectrum(net, x);
    const n = net.nparams;
    const scale = Math.max(...Array.from(s.values, Math.abs));
    for (const j of [0, 3, n - 1, -1, -n]) {
      const v = eigenvector(s, j);
      const lambda = s.values[j < 0 ? n + j : j];
      expect(v.length).toBe(n);
      expect(Math.abs(v.reduce((a, b) => a + b * b, 0) - 1)).toBeLessThan(1e-13);
      for (let i = 0; i < n; i++) {
        let hv = 0;
        for (let k = 0; k < n; k++) hv += H.data[i * n + k] * v[k];
        expect(Math.abs(hv - lambda * v[i])).toBeLessThan(1e-12 * scale);
      }
    }
    expect(Array.from(eigenvector(s, -1))).toEqual(Array.from(eigenvector(s, n - 1)));
    net.dispose();
  });

  it("bad j or a non-spectrum: VALUE", () => {
    const s = { values: Float64Array.of(1, 2), vectors: { rows: 2, cols: 2, data: Float64Array.of(1, 0, 0, 1) } };
    for (const [f, msg] of [
      [() => eigenvector(s, 2), /j must be an integer in -2\.\.1/],
      [() => eigenvector(s, -3), /j must be an integer/],
      [() => eigenvector(s, 0.5), /j must be an integer/],
      [() => eigenvector(null as never, 0), /expected a spectrum/],
      [() => eigenvector({ values: [] } as never, 0), /expected a spectrum/],
    ] as const) {
      expect(f).toThrow(MLPGFError);
      expect(f).toThrow(msg);
    }
    expect(Array.from(eigenvector(s, 1))).toEqual([0, 1]);
  });
});
