import { MLPGFError } from "../errors.js";

/** A dense row-major matrix: element (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** A matrix argument: an array of rows (each a `number[]` or a typed array) or a {@link Matrix}. */
export type MatrixLike = readonly (readonly number[] | ArrayLike<number>)[] | Matrix;

/** True for an array or a numeric typed array (not a DataView): what a row or a vector may be. */
function isNumericArray(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** True for a {@link Matrix} object. */
export function isMatrix(m: unknown): m is Matrix {
  return !!m && typeof m === "object" && !Array.isArray(m) && "data" in m && "rows" in m && "cols" in m;
}

/**
 * Validates a matrix argument and returns it as a {@link Matrix} (a copy for arrays of rows).
 * Throws `SHAPE` for ragged or mis-sized input and `VALUE` for non-finite entries.
 */
export function toMatrix(m: unknown, name: string, shape: { rows?: number; cols?: number } = {}): Matrix {
  let out: Matrix;
  if (isMatrix(m)) {
    const { rows, cols, data } = m;
    if (!(data instanceof Float64Array) || !Number.isInteger(rows) || !Number.isInteger(cols) || data.length !== rows * cols) {
      throw new MLPGFError("SHAPE", `${name}: a Matrix needs integer rows, cols and a Float64Array data of length rows·cols`);
    }
    out = m;
  } else if (Array.isArray(m)) {
    const rows = m.length;
    const cols = rows ? (isNumericArray(m[0]) ? m[0].length : -1) : shape.cols ?? 0;
    if (cols < 0) throw new MLPGFError("SHAPE", `${name}: expected an array of rows (number[][] or typed arrays), got an array of ${typeof m[0]}`);
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const r: unknown = m[i];
      if (!isNumericArray(r) || r.length !== cols) {
        throw new MLPGFError("SHAPE", `${name}: row ${i} has ${isNumericArray(r) ? r.length : "no"} entries, expected ${cols} like row 0 (ragged rows)`);
      }
      for (let j = 0; j < cols; j++) {
        const x = r[j];
        if (typeof x !== "number") {
          throw new MLPGFError("VALUE", `${name}: entry at row ${i}, column ${j} is ${describe(x)}; every value must be a finite number`);
        }
        data[i * cols + j] = x;
      }
    }
    out = { rows, cols, data };
  } else {
    throw new MLPGFError("SHAPE", `${name}: expected a matrix (number[][] or { rows, cols, data }), got ${describe(m)}`);
  }
  if (shape.rows !== undefined && out.rows !== shape.rows) {
    throw new MLPGFError("SHAPE", `${name}: has ${out.rows} rows, expected ${shape.rows}`);
  }
  if (shape.cols !== undefined && out.cols !== shape.cols) {
    throw new MLPGFError("SHAPE", `${name}: has ${out.cols} columns, expected ${shape.cols}`);
  }
  assertFinite(out.data, name, out.cols);
  return out;
}

/** Validates a vector argument (array or typed array) of the given length; returns a Float64Array copy. */
export function toVector(v: unknown, name: string, length?: number): Float64Array {
  if (!(Array.isArray(v) || v instanceof Float64Array || ArrayBuffer.isView(v))) {
    throw new MLPGFError("SHAPE", `${name}: expected an array of numbers or a Float64Array, got ${describe(v)}`);
  }
  const arr = Float64Array.from(v as ArrayLike<number>);
  if (length !== undefined && arr.length !== length) {
    throw new MLPGFError("SHAPE", `${name}: has length ${arr.length}, expected ${length}`);
  }
  assertFinite(arr, name);
  return arr;
}

/** Throws `VALUE` naming the first NaN or ±Infinity entry. */
export function assertFinite(a: ArrayLike<number>, name: string, cols = 0): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (!Number.isFinite(v)) {
      const where = cols > 0 ? `row ${Math.floor(i / cols)}, column ${i % cols}` : `index ${i}`;
      throw new MLPGFError("VALUE", `${name}: entry at ${where} is ${v}; every value must be a finite number`);
    }
  }
}

/** A short description of a value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "object") return `an object`;
  return `${typeof v} ${String(v)}`;
}

/** A {@link Matrix} from row-major data. */
export function matrix(rows: number, cols: number, data: Float64Array): Matrix {
  return { rows, cols, data };
}
