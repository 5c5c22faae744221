import { MLPGFError } from "../errors.js";
import { getEngine } from "../engine/kernels.js";
import type { TwiceDifferentiableModel } from "../model.js";
import { describe, type Matrix, matrix, toMatrix } from "./matrix.js";

/**
 * Eigenvalues (ascending) and unit eigenvectors (columns) of a symmetric matrix, computed in WASM.
 * Only the lower triangle is read (as `numpy.linalg.eigh`): a non-symmetric matrix is not refused,
 * its upper triangle is taken to mirror the lower one.
 * @throws MLPGFError `SHAPE` for a non-square or mis-sized matrix, `VALUE` for a non-finite entry.
 */
export function symmetricEigen(A: Matrix): { values: Float64Array; vectors: Matrix } {
  // data.length = rows·cols is checked before the copy into WASM memory (a short array would leave
  // uninitialised memory in the matrix)
  const m = toMatrix(A, "eigen-decomposition: matrix");
  const n = m.rows;
  if (m.cols !== n) throw new MLPGFError("SHAPE", `eigen-decomposition needs a square matrix, got ${m.rows} × ${m.cols}`);
  const e = getEngine();
  const k = e.exports;
  const work = k.eigSymWorkSize(n);
  const p = e.alloc(8 * (2 * n * n + n + work), `the eigen-decomposition of a ${n} × ${n} matrix`);
  try {
    const a = p,
      vec = p + 8 * n * n,
      val = vec + 8 * n * n,
      w = val + 8 * n;
    e.f64(a, n * n).set(m.data);
    if (k.eigSym(n, a, val, vec, w) !== 0) throw new MLPGFError("VALUE", "the symmetric eigen-decomposition did not converge");
    return { values: e.f64(val, n).slice(), vectors: matrix(n, n, e.f64(vec, n * n).slice()) };
  } finally {
    e.free(p);
  }
}

/**
 * Eigen-decomposition of the Hessian at x: `values` ascending, column j of `vectors` the unit
 * eigenvector of `values[j]`. Negative values mark saddle directions.
 */
export function hessianSpectrum<O>(
  net: Pick<TwiceDifferentiableModel<O>, "hessian">,
  x: ArrayLike<number>,
  opts?: O,
): { values: Float64Array; vectors: Matrix } {
  if (!net || typeof net.hessian !== "function")
    throw new MLPGFError("VALUE", `hessianSpectrum: expected a Net, NetI or an object with a hessian(x) method, got ${describe(net)}`);
  return symmetricEigen(net.hessian(x, opts));
}
