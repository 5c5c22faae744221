// The worker script of the evaluation threads (src/engine/threadpool.ts): it instantiates the engine
// from the module it is given, keeps one Workspace per slice it is asked to create and answers
// evaluation requests synchronously: it sleeps in Atomics.wait on its request word and takes requests
// with receiveMessageOnPort, so it needs no event loop turn between calls.
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { MLPGFError } from "../errors.js";
import { getEngine, init } from "./kernels.js";
import type { SliceReply, SliceRequest } from "./sliceprotocol.js";
import { Workspace } from "./workspace.js";

const REQUEST = 0;
const REPLY = 1;

const { module, ctrl, port } = workerData as { module: WebAssembly.Module; ctrl: Int32Array; port: MessagePort };
const slices = new Map<number, Workspace>();

function handle(req: SliceRequest): SliceReply | null {
  if (req.op === "release") {
    slices.get(req.id)?.release();
    slices.delete(req.id);
    return null;
  }
  if (req.op === "create") {
    slices.set(req.id, new Workspace(getEngine(), req.layers, req.din, req.data));
    return {};
  }
  const ws = slices.get(req.id);
  if (!ws) throw new MLPGFError("WORKER", `internal: no slice ${req.id} in this evaluation thread`);
  if (req.data) ws.replaceData(req.data);
  if (req.weights !== undefined) ws.setWeights(req.weights);
  switch (req.op) {
    case "lossGrad": {
      const r = ws.lossGrad(req.x, req.grad);
      return { loss: r.loss, values: r.gradient };
    }
    case "hessian": {
      const r = ws.hessian(req.x);
      return { loss: r.loss, values: r.hessian };
    }
    case "hvp": {
      const r = ws.hvp(req.x, req.v);
      return { loss: r.loss, values: r.hv };
    }
  }
}

function reply(r: SliceReply): void {
  port.postMessage(r);
  Atomics.add(ctrl, REPLY, 1);
  Atomics.notify(ctrl, REPLY);
}

try {
  await init(module);
  parentPort?.postMessage({ ready: true });
} catch (e) {
  parentPort?.postMessage({ ready: false, error: e instanceof Error ? e.message : String(e) });
  process.exit(1);
}

let seen = 0;
for (;;) {
  Atomics.wait(ctrl, REQUEST, seen);
  seen = Atomics.load(ctrl, REQUEST);
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
    const req = m.message as SliceRequest;
    try {
      const r = handle(req);
      if (r) reply(r);
    } catch (e) {
      if (req.op !== "release") {
        const code = e instanceof MLPGFError ? e.code : "WORKER";
        reply({ error: { code, message: e instanceof Error ? e.message : String(e) } });
      }
    }
  }
}
