import { extname, resolve } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { type Matrix, matrix } from "../api/matrix.js";
import type { DataConfig } from "./config.js";
import type { NpyArray } from "../io/npy.js";
import { parseNpy, parseNpz } from "./npy.js";
import { UsageError } from "./usererror.js";
import { readFailure, readRegularFileSync } from "../io/readfile.js";
import { MAX_UNZIPPED_BYTES } from "../io/unzip.js";

/** Largest data file read (an .npz's entries may decompress to at most this much in all too). */
const MAX_DATA_BYTES = MAX_UNZIPPED_BYTES;

/** Samples read from a file or generated: N × D inputs and N × Dout targets (row-major). */
export interface Samples {
  input: Matrix;
  target: Matrix;
}

type FileData = Extract<DataConfig, { kind: "file" }>;
type Columns = FileData["input"];

/**
 * Loads the samples of a `{ kind: "file" }` data config: CSV with a header row (columns by name),
 * JSON (an array of records with columns by name, or an object of arrays by name), .npy (one 2-D
 * array, columns by index) or .npz (arrays by name). Every value must be a finite number and input
 * and target must have the same number of rows; otherwise a {@link UsageError} names the file, the
 * row/column and the problem.
 *
 * @param d - the data config; `d.path` relative to `baseDir`.
 */
export function loadFileData(d: FileData, baseDir: string): Samples {
  const path = resolve(baseDir, d.path);
  let bytes: Uint8Array;
  try {
    bytes = readRegularFileSync(path, MAX_DATA_BYTES, "data.path");
  } catch (e) {
    throw new UsageError(`data.path: cannot read ${path}: ${readFailure(e)}`);
  }
  const ext = extname(path).toLowerCase();
  const source = d.path;
  let input: Matrix;
  let target: Matrix;
  switch (ext) {
    case ".csv":
    case ".json": {
      const table = ext === ".csv" ? readCsv(bytes, source) : readJson(bytes, source);
      if ("arrays" in table) {
        input = namedArray(table.arrays, d.input, "input", source);
        target = namedArray(table.arrays, d.target, "target", source);
      } else {
        input = pickColumns(table, d.input, "input", source);
        target = pickColumns(table, d.target, "target", source);
      }
      break;
    }
    case ".npy": {
      const a = parseNpy(bytes, source);
      const t = asMatrix(a, source);
      const cols = (c: Columns, field: string): number[] => {
        if (!Array.isArray(c) || c.some((i) => typeof i !== "number"))
          throw new UsageError(`data.${field}: a .npy file holds one array; give its column indices, e.g. [0, 1]`);
        return c as number[];
      };
      input = selectColumns(t, cols(d.input, "input"), "input", source);
      target = selectColumns(t, cols(d.target, "target"), "target", source);
      break;
    }
    case ".npz": {
      const arrays = new Map([...parseNpz(bytes, source)].map(([k, a]) => [k, asMatrix(a, `${source}/${k}.npy`)]));
      input = namedArray(arrays, d.input, "input", source);
      target = namedArray(arrays, d.target, "target", source);
      break;
    }
    default:
      throw new UsageError(`data.path: unsupported file type ${JSON.stringify(ext)} (${source}); expected .csv, .json, .npy or .npz`);
  }
  if (input.rows !== target.rows) throw new UsageError(`${source}: input has ${input.rows} rows but target has ${target.rows}`);
  if (input.rows === 0) throw new UsageError(`${source}: no samples`);
  return { input, target };
}

/** A table with named columns of numbers (CSV or JSON records). */
interface Table {
  names: string[];
  rows: number[][];
}

function readCsv(bytes: Uint8Array, source: string): Table {
  let records: string[][];
  try {
    records = parseCsv(Buffer.from(bytes), { skip_empty_lines: true, trim: true, comment: "#" }) as string[][];
  } catch (e) {
    const code = (e as { code?: unknown }).code; // csv-parse's error code
    const ragged = code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH" || code === "CSV_RECORD_INCONSISTENT_COLUMNS";
    throw new UsageError(`${source}: ${ragged ? "ragged CSV (rows of different lengths)" : "unreadable CSV"}: ${(e as Error).message}`);
  }
  if (records.length < 2) throw new UsageError(`${source}: a CSV needs a header row and at least one data row`);
  const [names, ...body] = records;
  return {
    names,
    rows: body.map((r, i) => r.map((cell, j) => toNumber(cell, () => `row ${i + 2}, column ${JSON.stringify(names[j])}`, source))),
  };
}

function readJson(bytes: Uint8Array, source: string): Table | { arrays: Map<string, Matrix> } {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new UsageError(`${source}: invalid JSON: ${(e as Error).message}`);
  }
  if (Array.isArray(json)) {
    const first = json[0];
    if (!first || typeof first !== "object" || Array.isArray(first))
      throw new UsageError(`${source}: a JSON array must hold records like { "x1": 0.1, "y": 2 }`);
    const names = Object.keys(first);
    const rows = json.map((rec, i) => {
      if (!rec || typeof rec !== "object") throw new UsageError(`${source}: record ${i} is not an object`);
      const keys = Object.keys(rec);
      if (keys.length !== names.length)
        throw new UsageError(`${source}: ragged records: record ${i} has ${keys.length} fields, record 0 has ${names.length}`);
      return names.map((n) => toNumber((rec as Record<string, unknown>)[n], () => `record ${i}, field ${JSON.stringify(n)}`, source));
    });
    return { names, rows };
  }
  if (!json || typeof json !== "object") throw new UsageError(`${source}: expected an object of arrays or an array of records`);
  const arrays = new Map<string, Matrix>();
  for (const [k, a] of Object.entries(json)) {
    if (Array.isArray(a)) arrays.set(k, nestedToMatrix(a, `${source}: ${k}`));
  }
  return { arrays };
}

/** A JSON array (N numbers or N rows of equal length) as an N × D matrix. */
function nestedToMatrix(a: unknown[], where: string): Matrix {
  const rows = a.map((r) => (Array.isArray(r) ? r : [r]));
  const cols = rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => {
    if (r.length !== cols) throw new UsageError(`${where}: ragged array: row ${i} has ${r.length} values, row 0 has ${cols}`);
    r.forEach((v, j) => (data[i * cols + j] = toNumber(v, () => `row ${i}, column ${j}`, where)));
  });
  return matrix(rows.length, cols, data);
}

function toNumber(v: unknown, where: () => string, source: string): number {
  const x = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  if (!Number.isFinite(x))
    throw new UsageError(`${source}: ${where()} is ${JSON.stringify(v) ?? String(v)}; every value must be a finite number`);
  return x;
}

function pickColumns(t: Table, c: Columns, field: string, source: string): Matrix {
  const names = typeof c === "string" ? [c] : c;
  const idx = names.map((n) => {
    if (typeof n === "number") return n;
    const i = t.names.indexOf(n);
    if (i < 0) throw new UsageError(`data.${field}: no column ${JSON.stringify(n)} in ${source}; columns are ${t.names.join(", ")}`);
    return i;
  });
  return selectColumns({ rows: t.rows.length, cols: t.names.length, data: Float64Array.from(t.rows.flat()) }, idx, field, source);
}

function selectColumns(m: Matrix, idx: number[], field: string, source: string): Matrix {
  const bad = idx.find((i) => i >= m.cols);
  if (bad !== undefined) throw new UsageError(`data.${field}: column ${bad} out of range; ${source} has ${m.cols} columns`);
  const out = new Float64Array(m.rows * idx.length);
  for (let r = 0; r < m.rows; r++) idx.forEach((c, j) => (out[r * idx.length + j] = m.data[r * m.cols + c]));
  return matrix(m.rows, idx.length, out);
}

function namedArray(arrays: Map<string, Matrix>, c: Columns, field: string, source: string): Matrix {
  if (typeof c !== "string")
    throw new UsageError(`data.${field}: give the name of an array in ${source} (one of ${[...arrays.keys()].join(", ")})`);
  const a = arrays.get(c);
  if (!a) throw new UsageError(`data.${field}: no array ${JSON.stringify(c)} in ${source}; arrays are ${[...arrays.keys()].join(", ")}`);
  return a;
}

/** A 1-D (N) or 2-D (N × D) array with finite values as a matrix. */
function asMatrix(a: NpyArray, source: string): Matrix {
  if (a.shape.length < 1 || a.shape.length > 2)
    throw new UsageError(`${source}: expected a 1-D or 2-D array, got shape (${a.shape.join(", ")})`);
  const bad = a.values.findIndex((x) => !Number.isFinite(x));
  const cols = a.shape[1] ?? 1;
  if (bad >= 0)
    throw new UsageError(
      `${source}: row ${Math.floor(bad / cols)}, column ${bad % cols} is ${a.values[bad]}; every value must be a finite number`,
    );
  return matrix(a.shape[0], cols, a.values);
}
