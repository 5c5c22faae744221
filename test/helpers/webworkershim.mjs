// Node stand-ins for the Web Worker API that the README's browser examples use, so the doc test can
// run them as written: `new Worker(url, { type: "module" })` with `onmessage`/`postMessage`/`terminate`
// in the page, and the globals `onmessage`/`postMessage` in the worker. Loaded with `node --import`.
// As in a browser, messages that arrive while the worker script loads are queued until it has run, and
// one that arrives when the worker has no `onmessage` handler is dropped. (A browser also drops those
// that arrive while the script waits in a top-level `await`; here they wait until the script is done.)
import { isMainThread, parentPort, Worker as NodeWorker, workerData } from "node:worker_threads";

if (isMainThread) {
  globalThis.Worker = class Worker {
    #w;
    constructor(url) {
      this.onmessage = null;
      this.onerror = null;
      this.#w = new NodeWorker(new URL(import.meta.url), { workerData: { url: String(url) } });
      this.#w.on("message", (data) => this.onmessage?.({ data }));
      this.#w.on("error", (e) => {
        if (this.onerror) this.onerror(e);
        else throw e;
      });
    }
    postMessage(data) {
      this.#w.postMessage(data);
    }
    terminate() {
      void this.#w.terminate();
    }
  };
} else {
  globalThis.onmessage = null;
  globalThis.postMessage = (data) => parentPort.postMessage(data);
  let queue = [];
  parentPort.on("message", (data) => (queue ? queue.push(data) : globalThis.onmessage?.({ data })));
  await import(workerData.url);
  for (const data of queue) globalThis.onmessage?.({ data });
  queue = null;
}
