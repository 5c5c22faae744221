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
 * Throws `SHAPE` for ragged or mis-sized input and `VALUE` for entries that are not finite numbers
 * (NaN, ±Infinity, `null`, strings, holes: nothing is converted silently).
 */
export function toMatrix(m: unknown, name: string, shape: { rows?: number; cols?: number } = {}): Matrix {
  return guardedRead(name, () => readMatrix(m, name, shape));
}

function readMatrix(m: unknown, name: string, shape: { rows?: number; cols?: number }): Matrix {
  let out: Matrix;
  if (isMatrix(m)) {
    const { rows, cols, data } = m;
    if (
      !(data instanceof Float64Array) ||
      !Number.isInteger(rows) ||
      !Number.isInteger(cols) ||
      rows < 0 ||
      cols < 0 ||
      data.length !== rows * cols
    ) {
      throw new MLPGFError(
        "SHAPE",
        `${name}: a Matrix needs integer rows, cols ≥ 0 and a Float64Array data of length rows·cols, got rows ${describe(rows)}, cols ${describe(cols)}, data ${describe(data)}`,
      );
    }
    out = m;
  } else if (Array.isArray(m)) {
    const rows = m.length;
    const cols = rows ? (isNumericArray(m[0]) ? m[0].length : -1) : (shape.cols ?? 0);
    if (cols < 0)
      throw new MLPGFError("SHAPE", `${name}: expected an array of rows (number[][] or typed arrays), got an array of ${typeof m[0]}`);
    // every row checked before the copy is allocated: a sparse row of length 1e9 fails at its first hole
    for (let i = 0; i < rows; i++) {
      const r: unknown = m[i];
      if (!isNumericArray(r) || r.length !== cols) {
        throw new MLPGFError(
          "SHAPE",
          `${name}: row ${i} has ${isNumericArray(r) ? r.length : "no"} entries, expected ${cols} like row 0 (ragged rows)`,
        );
      }
      for (let j = 0; j < cols; j++) checkEntry(r[j], name, `row ${i}, column ${j}`);
    }
    const data = allocF64(rows * cols, name);
    for (let i = 0; i < rows; i++) {
      const r = m[i] as ArrayLike<number>;
      for (let j = 0; j < cols; j++) data[i * cols + j] = r[j];
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

/**
 * Validates a vector argument (an array of numbers or a numeric typed array) of the given length;
 * returns a Float64Array copy. Throws `SHAPE` for anything else or a wrong length (checked before
 * copying) and `VALUE` for entries that are not finite numbers (`null`, strings, holes, NaN, ±Infinity),
 * for a string and for BigInt arrays (their values are not float64 numbers).
 */
export function toVector(v: unknown, name: string, length?: number): Float64Array {
  return guardedRead(name, () => readVector(v, name, length));
}

function readVector(v: unknown, name: string, length?: number): Float64Array {
  if (!isNumericArray(v)) {
    // a string is indexable like an array, of characters: entries of the wrong type (VALUE, as ["a"])
    throw new MLPGFError(
      typeof v === "string" ? "VALUE" : "SHAPE",
      `${name}: expected an array of numbers or a Float64Array, got ${describe(v)}`,
    );
  }
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    throw new MLPGFError("VALUE", `${name}: got a ${v.constructor.name} (BigInt entries); expected a Float64Array or an array of numbers`);
  }
  const a = v as ArrayLike<unknown>;
  if (length !== undefined && a.length !== length) {
    throw new MLPGFError("SHAPE", `${name}: has length ${a.length}, expected ${length}`);
  }
  if (Array.isArray(a)) for (let i = 0; i < a.length; i++) checkEntry(a[i], name, `index ${i}`);
  const arr = v instanceof Float64Array ? v.slice() : Float64Array.from(a as ArrayLike<number>);
  assertFinite(arr, name);
  return arr;
}

/**
 * Runs a read of a caller's array: an exception other than a MLPGFError (a Proxy trap or a getter
 * that throws while the entries are read) becomes `VALUE` naming the argument, with the thrown value as `cause`.
 */
function guardedRead<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof MLPGFError) throw e;
    throw new MLPGFError("VALUE", `${name}: reading its entries threw (${e instanceof Error ? e.message : describe(e)})`, { cause: e });
  }
}

/** Throws `VALUE` unless `v` is a finite number (no conversion of null, strings, booleans or holes). */
function checkEntry(v: unknown, name: string, where: string): void {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new MLPGFError(
      "VALUE",
      `${name}: entry at ${where} is ${typeof v === "number" ? v : describe(v)}; every value must be a finite number`,
    );
  }
}

/** A zeroed Float64Array of n entries; `MEMORY` when the JS heap cannot hold it. */
export function allocF64(n: number, name: string): Float64Array {
  try {
    return new Float64Array(n);
  } catch (e) {
    throw new MLPGFError("MEMORY", `${name}: ${n} values do not fit in memory`, { cause: e });
  }
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
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === "object") return `an object`;
  if (typeof v === "string") return `string ${v.length > 40 ? `${v.slice(0, 40)}…` : v}`;
  if (typeof v === "symbol" || typeof v === "function") return typeof v;
  return `${typeof v} ${String(v)}`;
}

/** A {@link Matrix} from row-major data. */
export function matrix(rows: number, cols: number, data: Float64Array): Matrix {
  return { rows, cols, data };
}
