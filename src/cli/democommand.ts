import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { LayerSpec } from "../api/layers.js";
import { TeacherNet } from "../api/teacher.js";
import { loadEngine } from "../engine/kernels.js";
import { type Config, parseConfig } from "./config.js";
import type { Output } from "./progress.js";
import { reportCommand } from "./reportcommand.js";
import { writeRun } from "./resultfile.js";
import { runConfig } from "./run.js";
import { summaryLines } from "./summary.js";
import { EXIT, interruptOnSigint } from "./traincommand.js";

/** Default output folder of `mlpgf demo` (relative to the current directory). */
export const DEMO_DIR = "mlpgf-demo";

const TEACHER_LAYERS: Config["layers"] = [
  [4, "softplus", true],
  [1, "identity", true],
];

/** One run of the demo: its config and the base name of its files. */
export interface DemoRun {
  /** File base name (`student4`, …) and heading. */
  key: string;
  title: string;
  config: Config;
}

/**
 * Step limits of the demo's runs: gradient-flow steps and optimizer iterations. The runs stop on
 * these counts, never on wall-clock time (the wall-clock limits are off), so the demo prints the same
 * numbers and verdicts on every machine, however fast or busy.
 */
const DEMO_LIMITS = {
  student4: { maxiterationsOde: 1500, maxiterationsOptim: 1000 },
  student8: { maxiterationsOde: 1000, maxiterationsOptim: 500 },
  varpro: { maxiterationsOde: 1000, maxiterationsOptim: 1000 },
} as const;

/**
 * The demo's runs: a softplus teacher with 4 hidden neurons (Glorot weights of seed 3, biases 0.5)
 * labels 10⁴ Gaussian inputs in 2 dimensions; students with 4 and 8 neurons start from Glorot weights
 * of seed 2 and follow the gradient flow for a fixed number of steps ({@link DEMO_LIMITS}: 1500 steps
 * reach t ≈ 1e8 for the 4-neuron student, 1000 steps t ≈ 5e4 for the 8-neuron one), then the optimizer.
 * Chosen so that the two show the two typical outcomes (measured): the 4-neuron student recovers the
 * teacher (loss ≈ 1e-32, the optimizer stops at `minloss`), the over-parameterised 8-neuron one creeps
 * towards zero loss along flat directions (≈ 7e-13 after its 500 optimizer iterations, Hessian
 * eigenvalues ≈ −1e-8: not yet at a critical point). The third run repeats the 8-neuron one with
 * `varpro` in phase 2, which solves for the output layer and reaches the teacher (loss ≈ 5e-23) in
 * ≈ 600 iterations.
 */
export function demoRuns(): DemoRun[] {
  const t = new TeacherNet({ layers: TEACHER_LAYERS as readonly LayerSpec[], din: 2, seed: 3 });
  const params = Array.from(t.params, (v, i) => (i >= 8 && i < 12 ? 0.5 : v)); // non-zero biases
  t.dispose();
  const config = (width: number, varpro: boolean): Config => ({
    name: `teacher–student demo, student with ${width} neurons${varpro ? ", phase 2 with varpro" : ""}`,
    layers: [
      [width, "softplus", true],
      [1, "identity", true],
    ],
    data: { kind: "teacher", teacher: { layers: TEACHER_LAYERS, params }, din: 2, samples: 10_000, seed: 12345 },
    student: { seed: 2 },
    train: {
      ...(varpro ? DEMO_LIMITS.varpro : width === 4 ? DEMO_LIMITS.student4 : DEMO_LIMITS.student8),
      maxtimeOde: "Infinity",
      maxtimeOptim: "Infinity",
      ...(varpro ? { varpro } : {}),
    },
  });
  return [
    { key: "student4", title: "student with 4 neurons", config: config(4, false) },
    { key: "student8", title: "student with 8 neurons", config: config(8, false) },
    {
      key: "student8-varpro",
      title: "student with 8 neurons, phase 2 with varpro (the output layer solved by least squares)",
      config: config(8, true),
    },
  ];
}

/**
 * `mlpgf demo [-o DIR]`: runs the teacher–student demo with progress and the printed summary, then
 * writes, per run, its config (`<key>.config.json`), result (`<key>.result.json`) and report
 * (`<key>.html`) to DIR (default ./mlpgf-demo). Ctrl-C interrupts as in `train`.
 */
export async function demoCommand(opts: { output?: string }, out: Output): Promise<number> {
  const dir = opts.output ?? DEMO_DIR;
  await loadEngine();
  await mkdir(dir, { recursive: true });
  out.write("teacher: 4 softplus neurons, 10000 samples in 2 dimensions\n\n");
  const controller = new AbortController();
  const stop = interruptOnSigint(controller, out);
  try {
    for (const { key, title, config } of demoRuns()) {
      const parsed = parseConfig(config, "demo config");
      out.write(`${title}\n`);
      const record = await runConfig({ config, parsed, baseDir: ".", out, signal: controller.signal });
      for (const line of summaryLines(record, record.hessianEigenvalues)) out.write(`${line}\n`);
      const base = join(dir, key);
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
