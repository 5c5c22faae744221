// A worker thread of the sweep runner (Node only): loads the engine from the module it is sent, then
// runs one config at a time exactly as `mlpgf train` does (runConfig: build the problem, train, Hessian
// spectrum, endpoint class) and sends the record back; an aborted run is reported as such and not as a result.
import { parentPort } from "node:worker_threads";
import { performance } from "node:perf_hooks";
import { loadEngine } from "../engine/kernels.js";
import { MLPGFError } from "../errors.js";
import { parseConfig } from "../cli/config.js";
import { runConfig } from "../cli/run.js";
import { UsageError } from "../cli/usererror.js";
import type { FromSweepWorker, ToSweepWorker } from "./workerprotocol.js";

const port = parentPort!;
const post = (m: FromSweepWorker) => port.postMessage(m);
/** Progress display of runConfig goes nowhere: the runner reports per run. */
const silent = { write: () => true };
const abort = new AbortController();

function errorOf(e: unknown): { code: string; message: string } {
  if (e instanceof MLPGFError) return { code: e.code, message: e.message };
  if (e instanceof UsageError) return { code: "OPTION", message: e.message };
  return { code: "ERROR", message: e instanceof Error ? e.message : String(e) };
}

async function run(id: string, config: Parameters<typeof parseConfig>[0]): Promise<void> {
  const t0 = performance.now();
  try {
    const parsed = parseConfig(config, `run ${id}`);
    const record = await runConfig({ config: config as never, parsed, baseDir: "/", out: silent, signal: abort.signal });
    const seconds = (performance.now() - t0) / 1000;
    if (record.interrupted) post({ type: "aborted", id });
    else post({ type: "result", id, record, seconds });
  } catch (e) {
    if (abort.signal.aborted) post({ type: "aborted", id });
    else post({ type: "failed", id, error: errorOf(e), seconds: (performance.now() - t0) / 1000 });
  }
}

port.on("message", (m: ToSweepWorker) => {
  switch (m.type) {
    case "init":
      loadEngine(m.wasm).then(
        () => post({ type: "ready" }),
        (e: unknown) => post({ type: "ready", error: errorOf(e) }),
      );
      break;
    case "run":
      void run(m.id, m.config);
      break;
    case "abort":
      abort.abort();
      break;
    case "close":
      port.close();
      break;
  }
});
