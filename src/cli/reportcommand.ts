import { writeFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { loadEngine } from "../engine/kernels.js";
import { maxAbs } from "../train/objective.js";
import { parseConfig } from "./config.js";
import { analyseEndpoint } from "./endpoint.js";
import { principalProjection } from "./pca.js";
import { buildProblem } from "./problem.js";
import type { Output } from "./progress.js";
import { reportHtml } from "./reporthtml.js";
import { SPECTRUM_MAX_P, readRun } from "./resultfile.js";
import { UsageError } from "./usererror.js";

/**
 * `mlpgf report RESULT`: writes one self-contained HTML report of a result file (default
 * `<result name>.html` next to it). When the result holds its config, the network is rebuilt to
 * compute the gradient norm along the trajectory and, if the result has none and P ≤ 2000, the
 * Hessian spectrum and the endpoint analysis at the result. Returns the path written.
 */
export async function reportCommand(resultPath: string, opts: { output?: string }, out: Output): Promise<string> {
  let run;
  try {
    run = await readRun(resultPath);
  } catch (e) {
    throw new UsageError(`cannot read result ${resultPath}: ${(e as Error).message}`);
  }
  await loadEngine();
  const notes: string[] = [];
  let gnormCurve: number[] | null = null;
  let eigenvalues: ArrayLike<number> | null = run.hessianEigenvalues ?? null;
  let discrete = false;
  if (run.config) {
    try {
      const parsed = parseConfig(run.config, "stored config");
      discrete = typeof parsed.train?.alg === "object";
      const problem = buildProblem(parsed, dirname(resultPath));
      try {
        if (problem.net.nparams !== run.x.length)
          throw new Error(`the config has ${problem.net.nparams} parameters, the result ${run.x.length}`);
        gnormCurve = run.trajectory.map((p) => maxAbs(problem.net.gradient(p.x)));
        if ((!eigenvalues || !run.endpoint) && run.x.length <= SPECTRUM_MAX_P) {
          const e = analyseEndpoint(problem.net, run.x, run.trajectory, problem.teacher);
          eigenvalues ??= e.values;
          run.endpoint = e.record;
        }
      } finally {
        problem.dispose();
      }
    } catch (e) {
      notes.push(`could not rebuild the network from the stored config (${(e as Error).message}): only the stored gradient norm is shown`);
    }
  } else {
    notes.push("the result holds no config: the gradient norm along the trajectory cannot be computed");
  }
  if (!eigenvalues)
    notes.push(
      run.x.length > SPECTRUM_MAX_P
        ? `P = ${run.x.length} > ${SPECTRUM_MAX_P}: Hessian spectrum not computed`
        : "Hessian spectrum not available",
    );
  if (run.interrupted) notes.push("the run was interrupted (Ctrl-C); the result is the best point reached");
  const html = reportHtml({
    source: basename(resultPath),
    result: run,
    config: run.config,
    description: run.description,
    gnormCurve,
    eigenvalues,
    projection: principalProjection(run.trajectory.map((p) => p.x)),
    discrete,
    notes,
  });
  const output = opts.output ?? join(dirname(resultPath), `${basename(resultPath, extname(resultPath))}.html`);
  await writeFile(output, html);
  out.write(`report written to ${output} (${(html.length / 1024).toFixed(0)} kB)\n`);
  return output;
}
