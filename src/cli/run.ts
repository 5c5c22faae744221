import { isMLPGFError } from "../errors.js";
import { train } from "../train/train.js";
import { DEFAULT_MAXTIME_ODE, DEFAULT_MAXTIME_OPTIM, type TrainOptions, trainSettings } from "../train/options.js";
import { stop } from "../train/stop.js";
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
 * The train options are checked against the built network before training starts: an `OPTION`
 * error becomes a {@link UsageError} (exit code 2).
 */
export async function runConfig(input: RunInput): Promise<RunRecord> {
  const seed = input.seed ?? input.parsed.student?.seed ?? 1;
  const problem = buildProblem(input.parsed, input.baseDir, seed);
  try {
    const { net, x0 } = problem;
    const t: TrainOptions = input.parsed.train ?? {};
    const display = new ProgressDisplay(input.out, {
      ode: t.maxtimeOde ?? DEFAULT_MAXTIME_ODE,
      optim: t.maxtimeOptim ?? DEFAULT_MAXTIME_OPTIM,
    });
    const options: TrainOptions = {
      ...t,
      progressInterval: t.progressInterval ?? display.defaultInterval(),
      onProgress: (p) => display.update(p),
      signal: input.signal,
    };
    try {
      trainSettings(net, x0, options);
    } catch (e) {
      if (isMLPGFError(e, "OPTION")) throw new UsageError(e.message);
      throw e;
    }
    input.out.write(`${problem.network}\n${problem.data}\ninitial loss ${net.loss(x0).toExponential(3)}\n`);
    let result;
    try {
      result = await train(net, x0, options);
    } finally {
      display.end();
    }
    const interrupted = !!input.signal?.aborted;
    if (interrupted) {
      for (const key of ["odeStop", "optimStop"] as const) if (result[key]?.kind === "aborted") result[key] = stop("aborted", INTERRUPTED);
      result.odeStoppedBy = result.odeStop?.message ?? "";
      result.optimStoppedBy = result.optimStop?.message ?? "";
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
