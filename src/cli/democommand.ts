import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { LayerSpec } from "../api/layers.js";
import { TeacherNet } from "../api/teacher.js";
import { init } from "../engine/kernels.js";
import { type Config, parseConfig } from "./config.js";
import type { Output } from "./progress.js";
import { reportCommand } from "./reportcommand.js";
import { writeRun } from "./resultfile.js";
import { runConfig } from "./run.js";
import { summaryLines } from "./summary.js";
import { EXIT, interruptOnSigint } from "./traincommand.js";

/** Default output folder of `mlpgf demo` (relative to the current directory). */
export const DEMO_DIR = "mlpgf-demo";

const TEACHER_LAYERS: Config["layers"] = [[4, "softplus", true], [1, "identity", true]];

/**
 * The demo's configs: a softplus teacher with 4 hidden neurons (Glorot weights of seed 3, biases
 * 0.5) labels 10⁴ Gaussian inputs in 2 dimensions; students with 4 and 8 neurons start from Glorot
 * weights of seed 2 and get 10 s of gradient flow and 5 s of optimizer. Chosen so that the two show
 * the two typical outcomes (measured): the 4-neuron student recovers the teacher to loss ≈ 1e-32 in
 * ≈ 7 s, the over-parameterised 8-neuron one creeps towards zero loss along flat directions (≈ 5e-13
 * after 15 s, Hessian eigenvalues ±1e-8: not yet at a critical point).
 */
export function demoConfigs(): Config[] {
  const t = new TeacherNet({ layers: TEACHER_LAYERS as readonly LayerSpec[], din: 2, seed: 3 });
  const params = Array.from(t.params, (v, i) => (i >= 8 && i < 12 ? 0.5 : v)); // non-zero biases
  t.dispose();
  return [4, 8].map((width) => ({
    name: `teacher–student demo, student with ${width} neurons`,
    layers: [[width, "softplus", true], [1, "identity", true]],
    data: { kind: "teacher", teacher: { layers: TEACHER_LAYERS, params }, din: 2, samples: 10_000, seed: 12345 },
    student: { seed: 2 },
    train: { maxtimeOde: 10, maxtimeOptim: 5 },
  }));
}

/**
 * `mlpgf demo [-o DIR]`: runs the teacher–student demo with progress and the printed summary, then
 * writes, per student, its config (`student<k>.config.json`), result (`student<k>.result.json`) and
 * report (`student<k>.html`) to DIR (default ./mlpgf-demo). Ctrl-C interrupts as in `train`.
 */
export async function demoCommand(opts: { output?: string }, out: Output): Promise<number> {
  const dir = opts.output ?? DEMO_DIR;
  await init();
  await mkdir(dir, { recursive: true });
  out.write("teacher: 4 softplus neurons, 10000 samples in 2 dimensions\n\n");
  const controller = new AbortController();
  const stop = interruptOnSigint(controller, out);
  try {
    for (const config of demoConfigs()) {
      const width = (config.layers[0] as [number, string, boolean])[0];
      const parsed = parseConfig(config, "demo config");
      out.write(`student with ${width} neurons\n`);
      const record = await runConfig({ config, parsed, baseDir: ".", out, signal: controller.signal });
      for (const line of summaryLines(record, record.hessianEigenvalues)) out.write(`${line}\n`);
      const base = join(dir, `student${width}`);
      await writeFile(`${base}.config.json`, `${JSON.stringify(config, null, 2)}\n`);
      await writeRun(`${base}.result.json`, record);
      await reportCommand(`${base}.result.json`, { output: `${base}.html` }, out);
      out.write("\n");
      if (record.interrupted) return EXIT.failed;
    }
  } finally {
    stop();
  }
  out.write(`configs, results and reports are in ${dir}/ (open the .html files in a browser)\n`);
  return EXIT.ok;
}
