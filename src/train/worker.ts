// The worker script of trainMany, for Node worker_threads and browser Web Workers alike: it loads the
// engine from the module it is sent, rebuilds the network from its description and trains the starts
// it is given, one at a time, forwarding progress and honouring aborts.
import { loadEngine } from "../engine/kernels.js";
import { buildNet } from "./netspec.js";
import type { TrainOptions } from "./options.js";
import { train } from "./train.js";
import { type FromWorker, type ToWorker, errorInfo } from "./workerprotocol.js";

interface Port {
  post(m: FromWorker): void;
  listen(f: (m: ToWorker) => void): void;
  exit(): void;
}

async function port(): Promise<Port> {
  const g = globalThis as unknown as {
    WorkerGlobalScope?: unknown;
    postMessage(m: unknown): void;
    close(): void;
    onmessage: ((e: MessageEvent) => void) | null;
  };
  if (typeof g.WorkerGlobalScope !== "undefined") {
    return { post: (m) => g.postMessage(m), listen: (f) => (g.onmessage = (e) => f(e.data as ToWorker)), exit: () => g.close() };
  }
  const { parentPort } = await import("node:worker_threads");
  if (!parentPort) throw new Error("trainMany worker: not running in a worker thread");
  return { post: (m) => parentPort.postMessage(m), listen: (f) => parentPort.on("message", f), exit: () => parentPort.close() };
}

let built: ReturnType<typeof buildNet> | null = null;
let setupError: { code: string; message: string } | null = null;
let opts: TrainOptions = {};
let progress = false;
const abort = new AbortController();
const queue: { index: number; x0: unknown }[] = [];
let busy = false;

async function runNext(p: Port): Promise<void> {
  if (busy) return;
  busy = true;
  while (queue.length) {
    const { index, x0 } = queue.shift()!;
    try {
      if (setupError || !built)
        throw Object.assign(new Error(setupError?.message ?? "the network was not built"), { code: setupError?.code ?? "ERROR" });
      const onProgress = progress
        ? (info: Parameters<NonNullable<TrainOptions["onProgress"]>>[0]) => p.post({ type: "progress", index, info })
        : undefined;
      const result = await train(built.net, x0 as ArrayLike<number>, { ...opts, signal: abort.signal, onProgress });
      p.post({ type: "result", index, result });
    } catch (e) {
      p.post({ type: "failed", index, error: errorInfo(e) });
    }
  }
  busy = false;
}

// no top-level await: bundlers emit workers as classic scripts (iife) by default
void port().then((p) =>
  p.listen((m) => {
    switch (m.type) {
      case "init":
        opts = m.opts as TrainOptions;
        progress = m.progress;
        loadEngine(m.wasm)
          .then(() => {
            built = buildNet(m.net);
          })
          .catch((e: unknown) => {
            setupError = errorInfo(e);
          })
          .finally(() => p.post({ type: "ready" }));
        break;
      case "run":
        queue.push({ index: m.index, x0: m.x0 });
        void runNext(p);
        break;
      case "abort":
        abort.abort();
        break;
      case "close":
        built?.dispose();
        built = null;
        p.post({ type: "closed" });
        p.exit();
        break;
    }
  }),
);
