// The page: reads the form, sends the configuration to the training worker, plots the loss as the
// worker reports it, and shows the Hessian spectrum and a summary at the end.
import { ACTIVATIONS } from "mlp-gradient-flow";
import { drawLossPlot, drawSpectrum } from "./plot.js";

const $ = (id) => document.getElementById(id);
const form = $("config");
const startButton = $("start");
const stopButton = $("stop");
const lossCanvas = $("loss-plot");
const spectrumCanvas = $("spectrum-plot");

const exp = (v, digits = 3) => (Number.isFinite(v) ? v.toExponential(digits) : String(v));
const seconds = (s) => `${s.toFixed(2)} s`;
const DISCRETE = ["adam", "descent"];

for (const name of ACTIVATIONS) {
  if (name !== "softmax") $("activation").add(new Option(name, name, name === "softplus", name === "softplus"));
}
$("method").addEventListener("change", () => {
  $("eta").disabled = !DISCRETE.includes($("method").value);
});

// Signs of life of the main thread: a clock that ticks every 100 ms and a button that counts clicks.
let ticks = 0;
setInterval(() => {
  $("heartbeat").textContent = `${(++ticks / 10).toFixed(1)} s`;
}, 100);
let clicks = 0;
$("ping").addEventListener("click", () => {
  $("ping-count").textContent = String(++clicks);
});

function setStatus(state, text) {
  $("status").dataset.state = state;
  $("status").textContent = text;
}

function setLive(phase, elapsed, loss, gnorm) {
  $("live-phase").textContent = phase;
  $("live-elapsed").textContent = elapsed === undefined ? "–" : seconds(elapsed);
  $("live-loss").textContent = loss === undefined ? "–" : exp(loss, 4);
  $("live-loss").dataset.value = loss === undefined ? "" : String(loss);
  $("live-gnorm").textContent = gnorm === undefined ? "–" : exp(gnorm);
}

let points = [];
let drawPending = false;
function redrawLoss() {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    drawLossPlot(lossCanvas, points);
  });
}
let spectrum = null;
window.addEventListener("resize", () => {
  drawLossPlot(lossCanvas, points);
  drawSpectrum(spectrumCanvas, spectrum);
});

function readConfig() {
  const num = (id) => Number($(id).value);
  return {
    D: num("D"),
    teacherWidth: num("teacherWidth"),
    studentWidth: num("studentWidth"),
    activation: $("activation").value,
    N: num("N"),
    seed: num("seed"),
    method: $("method").value,
    eta: num("eta"),
    optimizer: $("optimizer").value,
    maxtimeOde: num("maxtimeOde"),
    maxtimeOptim: num("maxtimeOptim"),
  };
}

function setRunning(running) {
  startButton.disabled = running;
  stopButton.disabled = !running;
  for (const el of form.querySelectorAll("input, select")) {
    el.disabled = running || (el.id === "eta" && !DISCRETE.includes($("method").value));
  }
}

let config = null;
function start() {
  config = readConfig();
  points = [];
  spectrum = null;
  drawLossPlot(lossCanvas, points);
  drawSpectrum(spectrumCanvas, spectrum);
  $("spectrum-text").textContent = "";
  fillSummary([["Status", "running…"]]);
  setLive("setting up", undefined, undefined, undefined);
  setRunning(true);
  setStatus("running", `Generating ${config.N} samples and the teacher's labels…`);
  worker.postMessage({ type: "start", config });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (form.reportValidity()) start();
});
stopButton.addEventListener("click", () => {
  stopButton.disabled = true;
  setStatus("stopping", "Stopping: the worker finishes the current step and returns the best point so far…");
  worker.postMessage({ type: "stop" });
});

const PHASE = { ode: "phase 1 (gradient flow)", optim: "phase 2 (optimizer)" };

/** What the end point is, judged from loss, gradient and the smallest eigenvalue. */
function verdict(r, values) {
  if (r.loss < 1e-20) return "the student found the teacher: a global minimum (loss ≈ 0)";
  if (r.gnorm > 1e-10)
    return "not yet a critical point (the gradient is not small): the flow may still be crossing a flat region, give it more time";
  if (values[0] < -1e-10 * Math.max(1, Math.abs(values.at(-1)))) return "a saddle point (negative curvature)";
  return "a local minimum (no negative curvature)";
}

function fillSummary(rows) {
  const body = $("summary").tBodies[0];
  body.replaceChildren(
    ...rows.map(([label, value, key]) => {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = label;
      const td = document.createElement("td");
      td.textContent = value;
      if (key) td.dataset.key = key;
      tr.append(th, td);
      return tr;
    }),
  );
}

function showResult(r, values, nparams) {
  spectrum = values;
  const eps = drawSpectrum(spectrumCanvas, values);
  const neg = values.filter((l) => l < -eps).length;
  const zero = values.filter((l) => Math.abs(l) <= eps).length;
  $("spectrum-text").textContent =
    `${values.length} eigenvalues: ${neg} negative, ${zero} zero within ${exp(eps, 0)}, ${values.length - neg - zero} positive; ` +
    `smallest ${exp(values[0])}, largest ${exp(values.at(-1))}.`;
  const method = DISCRETE.includes(config.method) ? `${config.method} (η = ${config.eta})` : config.method;
  fillSummary([
    [
      "Problem",
      `D = ${config.D}, teacher ${config.teacherWidth} × ${config.activation}, student ${config.studentWidth} (${nparams} parameters), N = ${config.N}`,
    ],
    ["Final loss", exp(r.loss, 6), "loss"],
    ["‖gradient‖∞", exp(r.gnorm), "gnorm"],
    ["End point", `${verdict(r, values)}${r.aborted ? " — run stopped by the user" : ""}`, "verdict"],
    ["Phase 1", `${method}: ${r.odeIterations} steps in ${seconds(r.odeTimeRun)}, stopped by: ${r.odeStoppedBy || "–"}`, "ode"],
    [
      "Phase 2",
      `${config.optimizer}: ${r.optimIterations} iterations in ${seconds(r.optimTimeRun)}, stopped by: ${r.optimStoppedBy || "(skipped)"}`,
      "optim",
    ],
    ["Converged", r.converged ? "yes" : "no", "converged"],
    ["Total time", `${seconds(r.totalTime)} (+ ${seconds(r.spectrumTime)} for the Hessian spectrum)`, "time"],
  ]);
}

let nparams = 0;
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
worker.addEventListener("error", (event) => {
  setStatus("error", `The worker failed: ${event.message ?? "could not load worker.js"}`);
  setRunning(false);
  startButton.disabled = true;
});
worker.addEventListener("message", ({ data }) => {
  switch (data.type) {
    case "ready":
      setStatus("idle", "Ready: choose a problem and press Start.");
      setRunning(false);
      break;
    case "started":
      nparams = data.nparams;
      points.push({ t: 0, loss: data.initialLoss, phase: "ode" });
      setLive("starting", 0, data.initialLoss, undefined);
      setStatus("running", `Training a student with ${nparams} parameters from initial loss ${exp(data.initialLoss)}…`);
      redrawLoss();
      break;
    case "progress":
      points.push({ t: data.elapsed, loss: data.loss, phase: data.phase });
      setLive(PHASE[data.phase], data.elapsed, data.loss, data.gnorm);
      if ($("status").dataset.state === "running") setStatus("running", `Training: ${PHASE[data.phase]}…`);
      redrawLoss();
      break;
    case "done": {
      const r = data.result;
      points.push({ t: r.totalTime, loss: r.loss, phase: r.optimIterations > 0 ? "optim" : "ode" });
      drawLossPlot(lossCanvas, points);
      setLive(r.aborted ? "stopped" : "finished", r.totalTime, r.loss, r.gnorm);
      showResult(r, data.spectrum, nparams);
      setStatus(
        r.aborted ? "stopped" : "done",
        `${r.aborted ? "Stopped" : "Done"} after ${seconds(r.totalTime)}: best loss ${exp(r.loss, 6)}, ‖∇‖∞ ${exp(r.gnorm)}.`,
      );
      setRunning(false);
      break;
    }
    case "error":
      setStatus("error", data.message);
      fillSummary([["Error", data.message]]);
      setRunning(false);
      break;
  }
});

drawLossPlot(lossCanvas, points);
drawSpectrum(spectrumCanvas, spectrum);
