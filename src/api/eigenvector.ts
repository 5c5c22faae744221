import { MLPGFError } from "../errors.js";
import { type Matrix, describe, isMatrix } from "./matrix.js";

/**
 * Eigenvector j of a spectrum returned by {@link hessianSpectrum} or {@link symmetricEigen}, as a
 * vector (a copy of column j of `vectors`): the unit eigenvector of `values[j]`. A negative j counts
 * from the end, as in numpy: `eigenvector(s, 0)` belongs to the smallest eigenvalue (a saddle's
 * unstable direction when it is negative), `eigenvector(s, -1)` to the largest.
 *
 * @example
 * ```ts
 * const s = hessianSpectrum(net, x);
 * const v0 = eigenvector(s, 0); // Float64Array of length net.nparams
 * ```
 */
export function eigenvector(spectrum: { values: ArrayLike<number>; vectors: Matrix }, j: number): Float64Array {
  if (!spectrum || typeof spectrum !== "object" || !isMatrix(spectrum.vectors)) {
    throw new MLPGFError("VALUE", `eigenvector: expected a spectrum { values, vectors } from hessianSpectrum, got ${describe(spectrum)}`);
  }
  const { rows: n, cols, data } = spectrum.vectors;
  if (!Number.isInteger(j) || j < -cols || j >= cols) {
    throw new MLPGFError(
      "VALUE",
      `eigenvector: j must be an integer in ${-cols}..${cols - 1} (the spectrum has ${cols} eigenvectors), got ${describe(j)}`,
    );
  }
  const col = j < 0 ? cols + j : j;
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = data[i * cols + col];
  return v;
}
