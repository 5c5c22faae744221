import { describe, expect, it } from "vitest";
import { MLPGFError, Net, hessianSpectrum, symmetricEigen } from "../src/index.js";
import { randn, rng } from "./helpers/reference.js";

describe("hessianSpectrum", () => {
  it("returns ascending eigenvalues and orthonormal eigenvectors (columns) of the exact Hessian", () => {
    const r = rng(9);
    const input = randn(r, 200, 3);
    const target = randn(r, 200, 2);
    const net = new Net({
      layers: [
        [10, "tanh", true],
        [6, "softplus", true],
        [2, "identity", true],
      ],
      input,
      target,
    });
    const x = net.randomParams({ seed: 4 });
    const H = net.hessian(x);
    const { values, vectors } = hessianSpectrum(net, x);
    const P = net.nparams;
    expect(values.length).toBe(P);
    expect(vectors.rows).toBe(P);
    for (let j = 1; j < P; j++) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1]);
    const scale = Math.max(Math.abs(values[0]), Math.abs(values[P - 1]));
    let res = 0;
    let orth = 0;
    for (let j = 0; j < P; j++) {
      for (let i = 0; i < P; i++) {
        let hv = 0;
        for (let k = 0; k < P; k++) hv += H.data[i * P + k] * vectors.data[k * P + j];
        res = Math.max(res, Math.abs(hv - values[j] * vectors.data[i * P + j]));
      }
      for (let m = 0; m <= j; m++) {
        let d = 0;
        for (let k = 0; k < P; k++) d += vectors.data[k * P + j] * vectors.data[k * P + m];
        orth = Math.max(orth, Math.abs(d - (m === j ? 1 : 0)));
      }
    }
    expect(res / scale).toBeLessThan(1e-12);
    expect(orth).toBeLessThan(1e-12);
    // the trace is the sum of the eigenvalues
    let trace = 0;
    for (let i = 0; i < P; i++) trace += H.data[i * P + i];
    expect(Math.abs(values.reduce((a, b) => a + b, 0) - trace)).toBeLessThan(1e-11 * scale * P);
    net.dispose();
  });

  it("symmetricEigen rejects non-square input and non-finite entries", () => {
    expect(() => symmetricEigen({ rows: 2, cols: 3, data: new Float64Array(6) })).toThrow(MLPGFError);
    expect(() => symmetricEigen({ rows: 2, cols: 2, data: Float64Array.from([1, NaN, NaN, 1]) })).toThrow(/row 0, column 1 is NaN/);
  });
});
