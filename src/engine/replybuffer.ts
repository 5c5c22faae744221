import { MLPGFError, type MLPGFErrorCode } from "../errors.js";
import type { SliceReply, SliceRequest } from "./sliceprotocol.js";

/** Int32 words of the header: replies written so far, what this one is, its value count, its text length. */
const SEQ = 0;
const KIND = 1;
const COUNT = 2;
const TEXT = 3;
/** KIND values. */
const OK = 0;
const ERROR = 1;
/** Byte offsets: Σ_n ℓ_n (float64) after the header, then the values (float64) or the error text (UTF-8). */
const LOSS_BYTE = 16;
const VALUES_BYTE = 24;
/** Smallest value area, in doubles (4 KiB: room for an error message). */
const MIN_VALUES = 512;

/**
 * The answer area of one browser evaluation thread, in a SharedArrayBuffer that the thread and its
 * caller both see: the thread writes a reply (loss and values, or an error code and message) and then
 * bumps the reply count with `Atomics.add` + `Atomics.notify`; the caller, waiting on that count,
 * reads the reply. Replies go this way because a page's main thread that blocks in a synchronous
 * evaluation cannot receive messages.
 */
export class ReplyBuffer {
  private readonly words: Int32Array;
  private readonly f64: Float64Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer, 0, 4);
    this.f64 = new Float64Array(buffer);
  }

  /** A buffer with room for `values` doubles (at least {@link MIN_VALUES}) whose reply count starts at `seq`. */
  static allocate(values: number, seq = 0): ReplyBuffer {
    const r = new ReplyBuffer(new SharedArrayBuffer(VALUES_BYTE + 8 * Math.max(MIN_VALUES, values)));
    r.words[SEQ] = seq;
    return r;
  }

  /** Doubles the value area holds. */
  get capacity(): number {
    return (this.buffer.byteLength - VALUES_BYTE) / 8;
  }

  /** Replies written so far. */
  get count(): number {
    return Atomics.load(this.words, SEQ);
  }

  /** Blocks (`Atomics.wait`: not on a page's main thread) until the reply count is no longer `seen`. */
  sleep(seen: number): void {
    Atomics.wait(this.words, SEQ, seen);
  }

  /** Writes `reply` (values that do not fit are an error reply) and publishes it. */
  write(reply: SliceReply): void {
    const values = reply.values;
    if (reply.error) this.writeError(reply.error.code, reply.error.message);
    else if (values && values.length > this.capacity) {
      this.writeError("WORKER", `internal: a reply of ${values.length} values for a reply buffer of ${this.capacity}`);
    } else {
      this.f64[LOSS_BYTE / 8] = reply.loss ?? 0;
      if (values) this.f64.set(values, VALUES_BYTE / 8);
      this.words[COUNT] = values ? values.length : -1;
      this.words[KIND] = OK;
    }
    Atomics.add(this.words, SEQ, 1);
    Atomics.notify(this.words, SEQ);
  }

  /**
   * The last reply; throws its error as {@link MLPGFError} with the worker's code. Its values are a
   * view of this buffer, valid until the next request to the same thread.
   */
  read(): SliceReply {
    if (this.words[KIND] === ERROR) {
      // TextDecoder does not read shared memory: copy the bytes first
      const text = new TextDecoder().decode(new Uint8Array(this.buffer, VALUES_BYTE, this.words[TEXT]).slice());
      const cut = text.indexOf("\n");
      throw new MLPGFError(text.slice(0, cut) as MLPGFErrorCode, text.slice(cut + 1));
    }
    const n = this.words[COUNT];
    return { loss: this.f64[LOSS_BYTE / 8], values: n < 0 ? null : new Float64Array(this.buffer, VALUES_BYTE, n) };
  }

  /** "CODE\nmessage" in UTF-8, cut to the value area. */
  private writeError(code: string, message: string): void {
    const bytes = new TextEncoder().encode(`${code}\n${message}`).subarray(0, 8 * this.capacity);
    new Uint8Array(this.buffer, VALUES_BYTE).set(bytes);
    this.words[TEXT] = bytes.length;
    this.words[KIND] = ERROR;
  }
}

/** Doubles a reply to `req` carries: P for a gradient or Hessian-vector product, P² for a Hessian. */
export function replyValues(req: SliceRequest): number {
  switch (req.op) {
    case "lossGrad":
      return req.grad ? req.x.length : 0;
    case "hessian":
      return req.x.length * req.x.length;
    case "hvp":
      return req.x.length;
    default:
      return 0;
  }
}
