// Web Worker that trains the student, so that the page stays responsive however long the run.
// Messages in:  { type: "start", config }  and  { type: "stop" } (aborts the run through an AbortSignal).
// Messages out: "ready" | "started" | "progress" | "done" | "error" (see main.js).
import { hessianSpectrum, init, train } from "mlp-gradient-flow";
import { makeProblem } from "./problem.js";

/** The `train` options of a demo configuration. */
function trainOptions(c, signal) {
  const discrete = c.method === "adam" || c.method === "descent";
  return {
    alg: discrete ? { [c.method]: { eta: c.eta } } : c.method,
    maxtimeOde: c.maxtimeOde,
    maxtimeOptim: c.maxtimeOptim,
    ...(c.optimizer === "none" ? { maxiterationsOptim: 0 } : { optimSolver: c.optimizer }),
    progressInterval: 0.1,
    signal,
    onProgress: (p) => postMessage({ type: "progress", phase: p.phase, elapsed: p.elapsed, t: p.t, loss: p.loss, gnorm: p.gnorm }),
  };
}

let controller = null;

async function run(config) {
  controller = new AbortController();
  let student;
  try {
    const problem = makeProblem(config);
    student = problem.student;
    const x0 = problem.x0;
    postMessage({ type: "started", nparams: student.nparams, initialLoss: student.loss(x0) });
    const r = await train(student, x0, trainOptions(config, controller.signal));
    const t0 = performance.now();
    const { values } = hessianSpectrum(student, r.x);
    const spectrumTime = (performance.now() - t0) / 1000;
    const result = {
      aborted: controller.signal.aborted,
      loss: r.loss,
      gnorm: r.gnorm,
      converged: r.converged,
      odeStoppedBy: r.odeStoppedBy,
      optimStoppedBy: r.optimStoppedBy,
      odeIterations: r.odeIterations,
      optimIterations: r.optimIterations,
      odeTimeRun: r.odeTimeRun,
      optimTimeRun: r.optimTimeRun,
      totalTime: r.totalTime,
      spectrumTime,
    };
    postMessage({ type: "done", result, spectrum: values }, [values.buffer]);
  } finally {
    student?.dispose();
    controller = null;
  }
}

const ready = init();
ready.then(
  () => postMessage({ type: "ready" }),
  (err) => postMessage({ type: "error", message: `cannot load the WebAssembly engine: ${err.message}` }),
);

self.onmessage = async ({ data }) => {
  if (data.type === "stop") {
    controller?.abort();
  } else if (data.type === "start" && !controller) {
    try {
      await ready;
      await run(data.config);
    } catch (err) {
      postMessage({ type: "error", message: err.code ? `${err.code}: ${err.message}` : String(err.message ?? err) });
    }
  }
};
