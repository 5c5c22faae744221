import { MLPGFError } from "../errors.js";
import { train } from "../train/train.js";
import { DEFAULT_MAXTIME_ODE, DEFAULT_MAXTIME_OPTIM, type TrainOptions } from "../train/options.js";
import type { Config, ParsedConfig } from "./config.js";
import { analyseEndpoint } from "./endpoint.js";
import { buildProblem } from "./problem.js";
import { type Output, ProgressDisplay } from "./progress.js";
import { type RunRecord, SPECTRUM_MAX_P } from "./resultfile.js";
import { UsageError } from "./usererror.js";

/** The stop reason written for a run stopped by Ctrl-C. */
export const INTERRUPTED = "interrupted by SIGINT (Ctrl-C)";

/** Inputs of {@link runConfig}. */
export interface RunInput {
  /** The config as written (stored in the record; data path already absolute). */
  config: Config;
  /** The same config validated. */
  parsed: ParsedConfig;
  /** Directory that relative data paths refer to. */
  baseDir: string;
  /** Overrides `student.seed`. */
  seed?: number;
  /** Where progress goes. */
  out: Output;
  /** Aborting it stops training; the record then keeps the best point and says "interrupted". */
  signal?: AbortSignal;
}

/**
 * Builds the problem of a config, trains it with progress display and returns the record to save:
 * the result, the config (with the seed used), descriptions, and the Hessian eigenvalues and the
 * endpoint analysis (class, tolerances, teacher check) at the result when P ≤ {@link SPECTRUM_MAX_P}.
 * Train-option errors detected by `train` become {@link UsageError}s.
 */
export async function runConfig(input: RunInput): Promise<RunRecord> {
  const seed = input.seed ?? input.parsed.student?.seed ?? 1;
  const problem = buildProblem(input.parsed, input.baseDir, seed);
  try {
    const { net, x0 } = problem;
    const t = (input.parsed.train ?? {}) as TrainOptions;
    const display = new ProgressDisplay(input.out, { ode: t.maxtimeOde ?? DEFAULT_MAXTIME_ODE, optim: t.maxtimeOptim ?? DEFAULT_MAXTIME_OPTIM });
    input.out.write(`${problem.network}\n${problem.data}\ninitial loss ${net.loss(x0).toExponential(3)}\n`);
    let result;
    try {
      result = await train(net, x0, {
        ...t,
        progressInterval: t.progressInterval ?? display.defaultInterval(),
        onProgress: (p) => display.update(p),
        signal: input.signal,
      });
    } catch (e) {
      if (e instanceof MLPGFError && /^train:/.test(e.message)) throw new UsageError(`train options: ${e.message.replace(/^train: /, "")}`);
      throw e;
    } finally {
      display.end();
    }
    const interrupted = !!input.signal?.aborted;
    if (interrupted) {
      if (result.odeStoppedBy === "aborted") result.odeStoppedBy = INTERRUPTED;
      if (result.optimStoppedBy === "aborted") result.optimStoppedBy = INTERRUPTED;
    }
    const record: RunRecord = {
      ...result,
      config: { ...input.config, student: { ...input.config.student, seed } },
      description: { network: problem.network, data: problem.data },
      interrupted,
    };
    if (net.nparams <= SPECTRUM_MAX_P && Number.isFinite(result.loss)) {
      const e = analyseEndpoint(net, result.x, result.trajectory, problem.teacher);
      record.hessianEigenvalues = e.values;
      record.endpoint = e.record;
    }
    return record;
  } finally {
    problem.dispose();
  }
}
