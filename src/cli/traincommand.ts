import { basename, dirname, extname } from "node:path";
import { loadEngine } from "../engine/kernels.js";
import { isMLPGFError } from "../errors.js";
import { checkWritable } from "../io/atomic.js";
import { readConfigFile } from "./configfile.js";
import { absoluteConfig } from "./problem.js";
import type { Output } from "./progress.js";
import { writeRun } from "./resultfile.js";
import { runConfig } from "./run.js";
import { summaryLines } from "./summary.js";
import { UsageError } from "./usererror.js";

/** Exit codes of the CLI. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Options of `mlpgf train`. */
export interface TrainCommandOptions {
  /** Result file (.json or .npz); default `<config name>.result.json` in the current directory. */
  output?: string;
  /** Overrides the config's `student.seed`. */
  seed?: number;
}

/**
 * `mlpgf train CONFIG.json`: validates the config, trains with progress, writes the result (with the
 * config and the Hessian spectrum) and prints the summary. Ctrl-C stops training cleanly: the best
 * point so far is written with the stop reason "interrupted by SIGINT (Ctrl-C)" and the exit code is
 * 1; a second Ctrl-C exits at once (code 130). Returns the exit code: 0 when the run ended by itself.
 */
export async function trainCommand(configPath: string, opts: TrainCommandOptions, out: Output): Promise<number> {
  const { config, parsed } = readConfigFile(configPath);
  const output = opts.output ?? `${basename(configPath, extname(configPath))}.result.json`;
  await outputWritable(output);
  await loadEngine();
  const controller = new AbortController();
  const stop = interruptOnSigint(controller, out);
  let record;
  try {
    record = await runConfig({
      config: absoluteConfig(config, configPath),
      parsed,
      baseDir: dirname(configPath),
      seed: opts.seed,
      out,
      signal: controller.signal,
    });
  } finally {
    stop();
  }
  for (const line of summaryLines(record, record.hessianEigenvalues)) out.write(`${line}\n`);
  await writeRun(output, record);
  out.write(`result written to ${output}\n`);
  return record.interrupted ? EXIT.failed : EXIT.ok;
}

/** A result file that cannot be written is a usage error (exit 2) before training, not a failure after it. */
async function outputWritable(output: string): Promise<void> {
  try {
    await checkWritable(output, "--output");
  } catch (e) {
    if (isMLPGFError(e, "IO")) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * First SIGINT: aborts the signal (training returns its best point). Second: exits with code 130.
 * Returns a function that removes the handler.
 */
export function interruptOnSigint(controller: AbortController, out: Output): () => void {
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    out.write("\ninterrupting: finishing with the best point so far (Ctrl-C again to exit at once)\n");
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  return () => process.off("SIGINT", onSigint);
}
