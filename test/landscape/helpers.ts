// Shared fixtures of the landscape tests: seeded data from a teacher network.
import { type LayerSpec, MLPGFError, Net, TeacherNet } from "../../src/index.js";
import { Random } from "../../src/api/random.js";

/** N × D standard-normal inputs (seeded). */
export function inputs(n: number, d: number, seed: number): number[][] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
}

/** A student `Net` with `layers` on N samples labelled by a random teacher of `teacherLayers`. */
export function teacherData(layers: readonly LayerSpec[], teacherLayers: readonly LayerSpec[], n = 60, d = 3, seed = 1): Net {
  const input = inputs(n, d, seed);
  const teacher = new TeacherNet({ layers: teacherLayers, din: d, seed: seed + 1 });
  const target = teacher.forward(input);
  teacher.dispose();
  return new Net({ layers, input, target });
}

export { relDiff } from "../helpers/reldiff.js";

/** max |a|. */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** The MLPGFError code thrown by f, or "no error" (other errors propagate). */
export function errorCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof MLPGFError) return e.code;
    throw e;
  }
  return "no error";
}
