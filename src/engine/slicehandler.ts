import { MLPGFError } from "../errors.js";
import { getEngine } from "./kernels.js";
import type { SliceReply, SliceRequest } from "./sliceprotocol.js";
import { Workspace } from "./workspace.js";

/**
 * What an evaluation thread does with the requests of `SampleSplit` (the same in the Node and the
 * browser worker scripts): it keeps one Workspace per slice it is asked to create, evaluates them and
 * turns any error into a reply that carries its {@link MLPGFError} code.
 */
export class SliceHandler {
  private readonly slices = new Map<number, Workspace>();

  /** The reply to `req` (an `error` reply if it failed), or null for `release`, which has none. */
  answer(req: SliceRequest): SliceReply | null {
    try {
      return this.handle(req);
    } catch (e) {
      return req.op === "release" ? null : errorReply(e);
    }
  }

  private handle(req: SliceRequest): SliceReply | null {
    if (req.op === "release") {
      this.slices.get(req.id)?.release();
      this.slices.delete(req.id);
      return null;
    }
    if (req.op === "create") {
      this.slices.set(req.id, new Workspace(getEngine(), req.layers, req.din, req.data));
      return {};
    }
    const ws = this.slices.get(req.id);
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
}

/** An error as a reply: its {@link MLPGFError} code (`WORKER` for any other error) and message. */
export function errorReply(e: unknown): SliceReply {
  return { error: { code: e instanceof MLPGFError ? e.code : "WORKER", message: e instanceof Error ? e.message : String(e) } };
}
