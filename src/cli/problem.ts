import { dirname, resolve } from "node:path";
import { MLPGFError } from "../errors.js";
import type { LayerSpec } from "../api/layers.js";
import { Net } from "../api/net.js";
import { NetI } from "../api/neti.js";
import { TeacherNet } from "../api/teacher.js";
import type { Config, ParsedConfig } from "./config.js";
import { gaussianInput } from "../api/gaussianinput.js";
import { loadFileData } from "./data.js";
import { UsageError } from "./usererror.js";

/** Most input values (samples × din) a config may ask to generate: 2²⁷ float64 = 1 GiB of the 4 GiB WebAssembly memory. */
const MAX_INPUT_VALUES = 2 ** 27;

/** A network built from a config, its start point and a one-line description of network and data. */
export interface Problem {
  net: Net | NetI;
  x0: Float64Array;
  network: string;
  data: string;
  /** The teacher that labelled the data (data kinds "teacher" and "gaussian"); disposed with the problem. */
  teacher?: TeacherNet;
  dispose(): void;
}

/**
 * Builds the network (a `Net` on file or teacher-generated samples, or a `NetI` on infinite Gaussian
 * data) and the student's start point described by a config. Errors of the package (e.g. a target
 * that does not fit the output layer) become {@link UsageError}s.
 *
 * @param config - a validated config; a file path is resolved against `baseDir`.
 * @param seedOverride - replaces `student.seed` (the CLI's `--seed`).
 */
export function buildProblem(config: ParsedConfig, baseDir: string, seedOverride?: number): Problem {
  const owned: { dispose(): void }[] = [];
  try {
    const layers = config.layers as readonly LayerSpec[];
    const d = config.data;
    let net: Net | NetI;
    let data: string;
    let dataTeacher: TeacherNet | undefined;
    if (d.kind === "file") {
      const s = loadFileData(d, baseDir);
      const softmax = layers[layers.length - 1][1] === "softmax";
      const target = softmax && s.target.cols === 1 ? Array.from(s.target.data) : s.target;
      net = guard("layers", () => new Net({ layers, input: s.input, target }));
      data = `${s.input.rows} samples from ${d.path} (${s.input.cols} inputs, ${s.target.cols} target column${s.target.cols === 1 ? "" : "s"})`;
    } else {
      const teacher = guard(
        "data.teacher",
        () =>
          new TeacherNet({ layers: d.teacher.layers as readonly LayerSpec[], din: d.din, seed: d.teacher.seed, params: d.teacher.params }),
      );
      owned.push(teacher);
      dataTeacher = teacher;
      const tdesc = `teacher ${describeLayers(teacher.layers as readonly LayerSpec[])}`;
      if (d.kind === "teacher") {
        if (d.samples * d.din > MAX_INPUT_VALUES) {
          throw new UsageError(
            `data.samples: ${d.samples} samples × ${d.din} inputs exceed the ${MAX_INPUT_VALUES} input values (1 GiB) that fit beside a network in the 4 GiB WebAssembly memory`,
          );
        }
        const input = gaussianInput(d.samples, d.din, { seed: d.seed ?? 1 });
        net = guard("layers", () => new Net({ layers, input, target: teacher.forward(input) }));
        data = `${tdesc}, ${d.samples} Gaussian samples in ${d.din} dimensions (seed ${d.seed ?? 1})`;
      } else {
        net = guard("layers", () => new NetI(teacher, { layers }));
        data = `${tdesc}, infinite Gaussian data in ${d.din} dimensions`;
      }
    }
    owned.push(net);
    const st = config.student ?? {};
    const x0 = net.randomParams({ seed: seedOverride ?? st.seed ?? 1, distribution: st.distribution });
    if (st.scale !== undefined) for (let i = 0; i < x0.length; i++) x0[i] *= st.scale;
    return {
      net,
      x0,
      network: `${describeLayers(net.layers as readonly LayerSpec[])}, ${net.nparams} parameters${net instanceof NetI ? " (NetI)" : ""}`,
      data,
      teacher: dataTeacher,
      dispose: () => owned.forEach((o) => o.dispose()),
    };
  } catch (e) {
    owned.forEach((o) => o.dispose());
    throw e;
  }
}

/** The config with a file path made absolute, so that a stored config rebuilds the problem from anywhere. */
export function absoluteConfig(config: Config, configPath: string): Config {
  if (config.data.kind !== "file") return config;
  return { ...config, data: { ...config.data, path: resolve(dirname(configPath), config.data.path) } };
}

/** "2 → 4 softplus → 1 identity" style description of layer specs. */
export function describeLayers(layers: readonly LayerSpec[]): string {
  return layers
    .map(([w, a, b]) => `${w ?? "?"} ${typeof a === "string" ? a : Array.isArray(a) ? "mixed" : "poly"}${b ? "" : " (no bias)"}`)
    .join(" → ");
}

function guard<T>(field: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof MLPGFError) throw new UsageError(`${field}: ${e.message}`);
    throw e;
  }
}
