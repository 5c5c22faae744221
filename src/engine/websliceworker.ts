// The browser worker script of the evaluation threads (src/engine/webpool.ts): a module Web Worker
// that instantiates the engine from the module it is sent and answers slice requests
// (src/engine/slicehandler.ts) in onmessage, writing each reply into its SharedArrayBuffer reply
// buffer (src/engine/replybuffer.ts). It never blocks, so its event loop takes the next request while
// the caller waits.
import { errorReply, SliceHandler } from "./slicehandler.js";
import { loadEngine } from "./kernels.js";
import { ReplyBuffer } from "./replybuffer.js";
import type { ToWebSliceWorker, WebSliceReady } from "./sliceprotocol.js";

const scope = globalThis as unknown as {
  postMessage(m: WebSliceReady): void;
  onmessage: ((e: MessageEvent<ToWebSliceWorker>) => void) | null;
  onmessageerror: ((e: MessageEvent) => void) | null;
  addEventListener(type: "error" | "unhandledrejection", f: (e: Event) => void): void;
};
const handler = new SliceHandler();
let reply: ReplyBuffer | null = null;
/** True while a request that expects a reply is being answered. */
let answering = false;

/** Answers the request in flight with `e` if it has not been answered (an error outside the handler). */
function failInFlight(e: unknown): void {
  if (!answering || !reply) return;
  answering = false;
  reply.write(errorReply(e));
}

scope.onmessage = (e) => {
  const m = e.data;
  if ("module" in m) {
    reply = new ReplyBuffer(m.reply);
    loadEngine(m.module).then(
      () => scope.postMessage({ ready: true }),
      (err: unknown) => scope.postMessage({ ready: false, error: err instanceof Error ? err.message : String(err) }),
    );
    return;
  }
  if (m.reply) reply = new ReplyBuffer(m.reply);
  answering = m.req.op !== "release";
  const r = handler.answer(m.req);
  if (r && answering) reply?.write(r);
  answering = false;
};
// a request that could not be received, or an error outside the handler, still gets its answer
scope.onmessageerror = () => {
  answering = true;
  failInFlight(new Error("an evaluation thread could not receive a request"));
};
scope.addEventListener("error", (e) => failInFlight(e instanceof ErrorEvent ? (e.error ?? new Error(e.message)) : e));
scope.addEventListener("unhandledrejection", (e) => failInFlight((e as PromiseRejectionEvent).reason));
