import { unzipSync } from "fflate";
import { UsageError } from "./usererror.js";

/** A numeric array read from a .npy file: its shape and its values in row-major (C) order as float64. */
export interface NpyArray {
  shape: number[];
  data: Float64Array;
}

const DTYPES: Record<string, { size: number; read: (v: DataView, o: number, le: boolean) => number }> = {
  f8: { size: 8, read: (v, o, le) => v.getFloat64(o, le) },
  f4: { size: 4, read: (v, o, le) => v.getFloat32(o, le) },
  i8: { size: 8, read: (v, o, le) => Number(v.getBigInt64(o, le)) },
  i4: { size: 4, read: (v, o, le) => v.getInt32(o, le) },
  i2: { size: 2, read: (v, o, le) => v.getInt16(o, le) },
  i1: { size: 1, read: (v, o) => v.getInt8(o) },
  u8: { size: 8, read: (v, o, le) => Number(v.getBigUint64(o, le)) },
  u4: { size: 4, read: (v, o, le) => v.getUint32(o, le) },
  u2: { size: 2, read: (v, o, le) => v.getUint16(o, le) },
  u1: { size: 1, read: (v, o) => v.getUint8(o) },
  b1: { size: 1, read: (v, o) => v.getUint8(o) },
};

/**
 * Parses a NumPy .npy file (format versions 1–3) of a numeric dtype (float, int, uint, bool; either
 * byte order; C or Fortran order). Throws a {@link UsageError} naming `source` for anything else.
 */
export function parseNpy(bytes: Uint8Array, source: string): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new UsageError(`${source}: not a .npy file (bad magic bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([<>|=])([a-z]\d+)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeText) throw new UsageError(`${source}: unreadable .npy header ${JSON.stringify(header.trim())}`);
  const dtype = DTYPES[descr[2]];
  if (!dtype) throw new UsageError(`${source}: dtype ${descr[1]}${descr[2]} is not numeric; expected float, int, uint or bool`);
  const shape = shapeText[1].split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  if (bytes.length < offset + count * dtype.size) throw new UsageError(`${source}: truncated .npy data (${count} values of shape (${shape.join(", ")}) expected)`);
  const le = descr[1] !== ">";
  const flat = new Float64Array(count);
  for (let i = 0; i < count; i++) flat[i] = dtype.read(view, offset + i * dtype.size, le);
  return { shape, data: fortran[1] === "True" ? toRowMajor(flat, shape) : flat };
}

/** Reads every array of a .npz archive (a zip of .npy files, stored or deflated), by name without ".npy". */
export function parseNpz(bytes: Uint8Array, source: string): Map<string, NpyArray> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new UsageError(`${source}: not a readable .npz (zip) archive: ${(e as Error).message}`);
  }
  const out = new Map<string, NpyArray>();
  for (const [name, content] of Object.entries(files)) {
    if (name.endsWith(".npy")) out.set(name.slice(0, -4), parseNpy(content, `${source}/${name}`));
  }
  return out;
}

/** Reorders a column-major (Fortran) array of any rank into row-major order. */
function toRowMajor(f: Float64Array, shape: number[]): Float64Array {
  const out = new Float64Array(f.length);
  const n = shape.length;
  const idx = new Array<number>(n).fill(0);
  for (let c = 0; c < f.length; c++) {
    // c is the row-major position of idx; the column-major position strides with the first axis fastest
    let pos = 0;
    for (let k = n - 1; k >= 0; k--) pos = pos * shape[k] + idx[k];
    out[c] = f[pos];
    for (let k = n - 1; k >= 0; k--) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}
