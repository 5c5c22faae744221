// Shared helpers of the result-file tests: a real training result with awkward values, and a bitwise comparison.
import { readFileSync } from "node:fs";
import { Net, type TrainResult, resultFromJSON, train } from "../../src/index.js";

/** A short real training run on a tiny network, with NaN/±Infinity/−0 planted and unknown extra fields. */
export async function awkwardResult(): Promise<TrainResult> {
  const input = [
    [0.1, -0.2],
    [0.5, 0.3],
    [-0.7, 0.9],
    [0.2, 0.2],
  ];
  const target = [[0.3], [-0.1], [0.4], [0.0]];
  const net = new Net({
    layers: [
      [3, "softplus", true],
      [1, "identity", true],
    ],
    input,
    target,
  });
  const r = await train(net, net.randomParams({ seed: 3 }), {
    alg: "rk4",
    dt: 0.01,
    maxiterationsOde: 50,
    maxiterationsOptim: 3,
    nSamplesTrajectory: 6,
  });
  net.dispose();
  r.odeX[0] = NaN;
  r.odeX[1] = -Infinity;
  r.odeX[2] = -0;
  r.init[0] = Infinity;
  r.odeLoss = NaN;
  r.gnormRegularized = Infinity;
  r.weights = Float64Array.of(1, 0.5, 2, 1e-300);
  r.trajectory.forEach((p, i) => Object.assign(p, { wallTime: i / 7 }));
  r.lossCurve[1] = NaN;
  Object.assign(r, { note: "ünïcode ✓", $weird: { $f64: "not an array" }, extraVector: Float64Array.of(1, -0, NaN) });
  return r;
}

/** The hand-written sample result of test/fixtures/gen_npz.py. */
export function sampleResult(): TrainResult {
  return resultFromJSON(readFileSync(new URL("../fixtures/npz_sample.json", import.meta.url), "utf8"));
}

/** Replaces every Float64Array by its bytes and every number by a bitwise key, for deep equality that distinguishes −0 and NaN payloads. */
export function bitwise(v: unknown): unknown {
  if (v instanceof Float64Array) return { f64: Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : Number.isNaN(v) ? "NaN" : v;
  if (Array.isArray(v)) return v.map(bitwise);
  if (v && typeof v === "object")
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, a]) => a !== undefined)
        .map(([k, a]) => [k, bitwise(a)]),
    );
  return v;
}

/** A result without what depends on the clock (run times, the trajectory's wall-clock stamps), bitwise. */
export function outcome(r: TrainResult): unknown {
  const { odeTimeRun: _a, optimTimeRun: _b, totalTime: _c, trajectory, ...rest } = r;
  return bitwise({ ...rest, trajectory: trajectory.map(({ t, x }) => ({ t, x })) });
}
