import { MLPGFError } from "../errors.js";

// The NPY format (numpy.lib.format), version 1.0 for writing; 1.0–3.0 for reading:
// "\x93NUMPY", major, minor, header length (uint16 LE in 1.0, uint32 LE in 2.0/3.0), an ASCII
// Python dict literal { 'descr': …, 'fortran_order': …, 'shape': (…), } padded with spaces and a
// final '\n' so that the data starts at a multiple of 64 bytes, then the raw array data.

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ALIGN = 64;

/** An array read from an `.npy` file. */
export interface NpyArray {
  /** The numpy dtype string, e.g. `"<f8"`. */
  descr: string;
  /** Dimensions, C order (a Fortran-ordered file is transposed on reading). */
  shape: number[];
  /** The values as float64 (C order). */
  values: Float64Array;
  /** The raw data bytes (C order for 1-byte types; as stored otherwise). */
  bytes: Uint8Array;
}

/** True if the bytes start with the NPY magic string. */
export function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * An `.npy` file (format 1.0, C order) of float64 values (`<f8`) or bytes (`|u1`) with the given
 * shape (default: 1-D of the data's length).
 */
export function encodeNpy(data: Float64Array | Uint8Array, shape: readonly number[] = [data.length]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new MLPGFError("SHAPE", `encodeNpy: shape (${shape.join(", ")}) holds ${count} values, the data has ${data.length}`);
  const descr = data instanceof Float64Array ? "<f8" : "|u1";
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${dims}, }`;
  const total = Math.ceil((10 + header.length + 1) / ALIGN) * ALIGN;
  header = header.padEnd(total - 10 - 1, " ") + "\n";
  const out = new Uint8Array(total + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = new DataView(out.buffer, total);
  if (data instanceof Float64Array) data.forEach((v, i) => body.setFloat64(8 * i, v, true));
  else out.set(data, total);
  return out;
}

/** Element readers of the numeric dtypes numpy writes (kind + size). */
const READERS: Record<string, (d: DataView, o: number, le: boolean) => number> = {
  f8: (d, o, le) => d.getFloat64(o, le),
  f4: (d, o, le) => d.getFloat32(o, le),
  i8: (d, o, le) => Number(d.getBigInt64(o, le)),
  i4: (d, o, le) => d.getInt32(o, le),
  i2: (d, o, le) => d.getInt16(o, le),
  i1: (d, o) => d.getInt8(o),
  u8: (d, o, le) => Number(d.getBigUint64(o, le)),
  u4: (d, o, le) => d.getUint32(o, le),
  u2: (d, o, le) => d.getUint16(o, le),
  u1: (d, o) => d.getUint8(o),
  b1: (d, o) => d.getUint8(o),
};

/** Largest dimension or element count accepted in an `.npy` header (2^53: exact in a float64). */
const MAX_COUNT = Number.MAX_SAFE_INTEGER;

/**
 * Reads an `.npy` file of a numeric dtype (float, int, uint, bool; either byte order; C or Fortran
 * order). Every header field is checked: the magic string and version (1.0–3.0), the header length,
 * `descr` (a numeric dtype), `fortran_order` (True or False) and `shape` (a tuple of integers ≥ 0),
 * and the data must hold the values the shape declares. Bytes after the data are ignored, as
 * `numpy.load` ignores them.
 * @throws MLPGFError `FORMAT` for anything else (object arrays, strings, structured dtypes, a
 * truncated file, a negative or fractional dimension).
 */
export function decodeNpy(bytes: Uint8Array, name = "npy"): NpyArray {
  if (!isNpy(bytes)) throw new MLPGFError("FORMAT", `${name}: not an .npy array (bad magic string)`);
  const major = bytes[6];
  if (major < 1 || major > 3) throw new MLPGFError("FORMAT", `${name}: unsupported .npy version ${major}.${bytes[7]} (1.0–3.0 are read)`);
  const hstart = major === 1 ? 10 : 12;
  if (bytes.length < hstart) throw new MLPGFError("FORMAT", `${name}: truncated .npy file (${bytes.length} bytes: no header length)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  if (hstart + hlen > bytes.length)
    throw new MLPGFError("FORMAT", `${name}: truncated .npy header (${hlen} bytes declared, ${bytes.length - hstart} present)`);
  const header = new TextDecoder().decode(bytes.subarray(hstart, hstart + hlen));
  const { descr, fortran, shape } = parseHeader(header, name);
  const m = /^([<>|=])([a-z])(\d+)$/.exec(descr);
  const read = m && Object.hasOwn(READERS, m[2] + m[3]) ? READERS[m[2] + m[3]] : undefined;
  if (!m || !read) throw new MLPGFError("FORMAT", `${name}: dtype ${JSON.stringify(descr)} is not supported (numeric arrays only)`);
  const size = Number(m[3]);
  const le = m[1] !== ">";
  const count = shape.reduce((a, b) => a * b, 1);
  const start = hstart + hlen;
  if (!(count <= MAX_COUNT) || start + count * size > bytes.length) {
    throw new MLPGFError(
      "FORMAT",
      `${name}: truncated data (shape (${shape.join(", ")}): ${count} values of ${size} bytes, ${bytes.length - start} bytes present)`,
    );
  }
  const data = new DataView(bytes.buffer, bytes.byteOffset + start, count * size);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = read(data, i * size, le);
  const c = fortran && shape.length > 1 ? fortranToC(values, shape) : values;
  const raw = size === 1 ? Uint8Array.from(c) : bytes.slice(start, start + count * size);
  return { descr, shape, values: c, bytes: raw };
}

/**
 * The fields of an `.npy` header, a Python dict literal such as
 * `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`: each key must be present once.
 */
function parseHeader(header: string, name: string): { descr: string; fortran: boolean; shape: number[] } {
  const bad = (what: string): never => {
    throw new MLPGFError("FORMAT", `${name}: ${what} in the .npy header ${JSON.stringify(header.trim().slice(0, 200))}`);
  };
  const h = header.trim();
  if (!h.startsWith("{") || !h.endsWith("}")) bad("not a dict literal");
  const field = (key: string, value: string): string => {
    const all = [...h.matchAll(new RegExp(`['"]${key}['"]\\s*:\\s*${value}`, "g"))];
    if (all.length !== 1) bad(all.length ? `"${key}" given twice` : `no valid "${key}"`);
    return all[0][1];
  };
  const descr = field("descr", "'([^']*)'");
  const fortran = field("fortran_order", "(True|False)") === "True";
  const dims = field("shape", "\\(([^)]*)\\)")
    .split(",")
    .map((s) => s.trim());
  if (dims.length > 1 && dims[dims.length - 1] === "") dims.pop(); // (3,) and (3, 4, )
  if (dims.length === 1 && dims[0] === "") dims.pop(); // () : a scalar
  const shape = dims.map((d) => {
    if (!/^\d+L?$/.test(d)) bad(`shape entry ${JSON.stringify(d)} is not an integer ≥ 0`);
    const n = Number(d.replace("L", ""));
    if (!(n <= MAX_COUNT)) bad(`shape entry ${d} is too large`);
    return n;
  });
  return { descr, fortran, shape };
}

/** Reorders column-major (Fortran) values of the given shape into row-major (C) order. */
function fortranToC(v: Float64Array, shape: number[]): Float64Array {
  const out = new Float64Array(v.length);
  const n = shape.length;
  const idx = new Array<number>(n).fill(0);
  for (let c = 0; c < v.length; c++) {
    // c enumerates C order; compute the Fortran offset of the same multi-index
    let f = 0;
    for (let d = n - 1; d >= 0; d--) f = f * shape[d] + idx[d];
    out[c] = v[f];
    for (let d = n - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * The `.npy` entries of an unzipped `.npz` archive, decoded, by name without ".npy" (other entries and
 * the names in `skip` are left out). Errors name the entry as `where + name`.
 */
export function decodeNpyEntries(
  entries: ReadonlyMap<string, Uint8Array>,
  where = "",
  skip: readonly string[] = [],
): Map<string, NpyArray> {
  const out = new Map<string, NpyArray>();
  for (const [name, bytes] of entries) {
    if (name.endsWith(".npy") && !skip.includes(name)) out.set(name.slice(0, -4), decodeNpy(bytes, `${where}${name}`));
  }
  return out;
}
