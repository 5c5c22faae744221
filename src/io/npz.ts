import { MLPGFError } from "../errors.js";
import { describe } from "../api/matrix.js";
import type { TrainResult } from "../train/result.js";
import type { TrajectoryPoint } from "../train/trajectory.js";
import { MAX_JSON_BYTES, RESULT_FORMAT, RESULT_VERSION, checkEnvelope } from "./json.js";
import { decodeNpy, decodeNpyEntries, encodeNpy, isNpy } from "./npy.js";
import { VECTOR_FIELDS, asTrainResult, checkResultArgument } from "./resultcheck.js";
import { type Json, decodeTagged, encodeTagged, setOwn } from "./tagged.js";
import { unzipEntries } from "./unzip.js";
import { currentResult } from "./resultversion.js";

type Fflate = typeof import("fflate");
let fflate: Promise<Fflate> | null = null;

/**
 * The zip library, loaded on first use: `dist/index.js` then has no static import of another package,
 * so a plain `<script type="module">` page loads it without an import map entry for fflate (one is
 * needed only to read or write `.npz` there).
 */
function zipLibrary(): Promise<Fflate> {
  fflate ??= import("fflate").catch((e: unknown) => {
    fflate = null;
    throw new MLPGFError(
      "VALUE",
      `.npz needs the "fflate" package, which could not be loaded (${(e as Error).message}); without a bundler, map "fflate" in the page's import map`,
    );
  });
  return fflate;
}

/** Name of the zip entry holding the scalars, strings and layers (UTF-8 JSON, tagged as in {@link resultToJSON}). */
export const META_ENTRY = "meta.json";

/**
 * A training result as `.npz` bytes (a zip of `.npy` arrays that `numpy.load` opens), uncompressed:
 * - `x`, `init`, `odeX`, `weights` (absent when null): float64 vectors;
 * - `trajectory_x` (points × P), `trajectory_t` and every other numeric field of the trajectory points
 *   as `trajectory_<field>` (e.g. `trajectory_wallTime`), `lossCurve`: float64;
 * - any other Float64Array field of the result under its own name;
 * - `meta.json`: a plain (non-`.npy`) entry with the remaining fields (loss, stop reasons, counts,
 *   times, layers, unknown extras) as `{ "format", "version", "result": {…} }`. In Python:
 *   `json.loads(np.load("r.npz")["meta.json"])` (numpy returns non-`.npy` entries as bytes).
 *
 * Works in browsers (no file system).
 */
export async function resultToNpz(result: TrainResult): Promise<Uint8Array> {
  checkResultArgument(result, "resultToNpz");
  const { zipSync } = await zipLibrary();
  const P = result.x.length;
  const files: Record<string, Uint8Array> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result)) {
    if (k === "trajectory" || k === "lossCurve" || k === "weights") continue;
    if (v instanceof Float64Array) files[`${k}.npy`] = encodeNpy(v);
    else rest[k] = v;
  }
  if (result.weights) files["weights.npy"] = encodeNpy(result.weights);
  const traj = result.trajectory;
  const tx = new Float64Array(traj.length * P);
  traj.forEach((p, i) => tx.set(p.x, i * P));
  files["trajectory_x.npy"] = encodeNpy(tx, [traj.length, P]);
  const fields = numericFields(traj);
  for (const f of fields)
    files[`trajectory_${f}.npy`] = encodeNpy(Float64Array.from(traj, (p) => (p as unknown as Record<string, number>)[f]));
  files["lossCurve.npy"] = encodeNpy(Float64Array.from(result.lossCurve));
  const meta = { format: RESULT_FORMAT, version: RESULT_VERSION, trajectoryFields: fields, result: encodeTagged(rest) };
  files[META_ENTRY] = new TextEncoder().encode(JSON.stringify(meta));
  return zipSync(files, { level: 0, mtime: new Date("2000-01-01T00:00:00Z") });
}

/**
 * Reads `.npz` bytes written by {@link resultToNpz}, or by numpy (`np.savez` / `np.savez_compressed`)
 * with the same entries — `meta.json` may then be a uint8 array entry (`meta.json.npy` or `meta.npy`
 * holding the UTF-8 JSON). Arrays may be any numeric dtype, byte order or memory order.
 * @throws MLPGFError `FORMAT` if the bytes are not a zip, decompress to more than 2 GiB, miss
 * `meta.json` or the vectors, or hold a malformed `.npy` entry (keys "__proto__" are dropped).
 */
export async function resultFromNpz(bytes: Uint8Array): Promise<TrainResult> {
  if (!(bytes instanceof Uint8Array))
    throw new MLPGFError("VALUE", `resultFromNpz: expected the bytes of an .npz file (a Uint8Array), got ${describe(bytes)}`);
  const { unzipSync } = await zipLibrary();
  const entries = unzipEntries(unzipSync, bytes, "resultFromNpz");
  const metaBytes = entries.get(META_ENTRY) ?? entries.get(`${META_ENTRY}.npy`) ?? entries.get("meta.npy");
  if (!metaBytes) throw new MLPGFError("FORMAT", `resultFromNpz: no "${META_ENTRY}" entry (entries: ${[...entries.keys()].join(", ")})`);
  if (metaBytes.length > MAX_JSON_BYTES)
    throw new MLPGFError("FORMAT", `resultFromNpz: "${META_ENTRY}" has ${metaBytes.length} bytes, more than a JSON text can have`);
  const metaText = new TextDecoder().decode(isNpy(metaBytes) ? decodeNpy(metaBytes, META_ENTRY).bytes : metaBytes);
  let doc: Json;
  try {
    doc = JSON.parse(metaText) as Json;
  } catch (e) {
    throw new MLPGFError("FORMAT", `resultFromNpz: "${META_ENTRY}" is not JSON (${(e as Error).message})`);
  }
  const meta = checkEnvelope(doc, "resultFromNpz");
  const decoded = decodeTagged(meta.result ?? {}, "result");
  if (!decoded || typeof decoded !== "object" || Array.isArray(decoded) || ArrayBuffer.isView(decoded)) {
    throw new MLPGFError("FORMAT", `resultFromNpz: "result" of "${META_ENTRY}" must be an object, got ${describe(decoded)}`);
  }
  const result = decoded as Record<string, unknown>;
  const arrays = decodeNpyEntries(entries, "", ["meta.npy", `${META_ENTRY}.npy`]);
  const take = (k: string) => {
    const a = arrays.get(k);
    arrays.delete(k);
    return a;
  };
  for (const k of VECTOR_FIELDS) {
    const a = take(k);
    if (!a) throw new MLPGFError("FORMAT", `resultFromNpz: no "${k}.npy" entry`);
    setOwn(result, k, a.values);
  }
  const P = (result.x as Float64Array).length;
  result.weights = take("weights")?.values ?? null;
  result.lossCurve = Array.from(take("lossCurve")?.values ?? []);
  const tx = take("trajectory_x");
  const tt = take("trajectory_t");
  const T = tt?.values.length ?? 0;
  if (!tx || !tt || tx.values.length !== T * P)
    throw new MLPGFError("FORMAT", `resultFromNpz: "trajectory_x" must be ${T} × ${P} with "trajectory_t" of length ${T}`);
  const traj: TrajectoryPoint[] = Array.from({ length: T }, (_, i) => ({ t: tt.values[i], x: tx.values.slice(i * P, (i + 1) * P) }));
  for (const [name, a] of [...arrays]) {
    if (!name.startsWith("trajectory_") || a.values.length !== T) continue;
    const f = name.slice("trajectory_".length);
    traj.forEach((p, i) => setOwn(p as unknown as Record<string, unknown>, f, a.values[i]));
    arrays.delete(name);
  }
  result.trajectory = traj;
  for (const [name, a] of arrays) setOwn(result, name, a.values);
  return currentResult(asTrainResult(result, "resultFromNpz"), meta.version as number, "resultFromNpz");
}

/** Names of the numeric fields (t and any other) that every trajectory point has. */
function numericFields(traj: readonly TrajectoryPoint[]): string[] {
  if (traj.length === 0) return ["t"];
  return Object.keys(traj[0]).filter(
    (k) => k !== "x" && traj.every((p) => typeof (p as unknown as Record<string, unknown>)[k] === "number"),
  );
}
