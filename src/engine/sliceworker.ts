// The Node worker script of the evaluation threads (src/engine/nodepool.ts): it instantiates the
// engine from the module it is given and answers slice requests (src/engine/slicehandler.ts)
// synchronously: it sleeps in Atomics.wait on its request word and takes requests with
// receiveMessageOnPort, so it needs no event loop turn between calls.
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { loadEngine } from "./kernels.js";
import { SliceHandler } from "./slicehandler.js";
import type { SliceReply } from "./sliceprotocol.js";

const REQUEST = 0;
const REPLY = 1;

const { module, ctrl, port } = workerData as { module: WebAssembly.Module; ctrl: Int32Array; port: MessagePort };
const handler = new SliceHandler();

function reply(r: SliceReply): void {
  port.postMessage(r);
  Atomics.add(ctrl, REPLY, 1);
  Atomics.notify(ctrl, REPLY);
}

try {
  await loadEngine(module);
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
    const r = handler.answer(m.message);
    if (r) reply(r);
  }
}
