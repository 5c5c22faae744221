import { disposedError } from "../engine/lifetime.js";
import { MLPGFError } from "../errors.js";
import type { LayerSpec, NormalizedLayer } from "./layers.js";
import { type Matrix, type MatrixLike, toVector } from "./matrix.js";
import { Net } from "./net.js";
import { parseOptions } from "../options/parse.js";
import { TeacherNetOptionsSchema } from "../options/network.js";

/** Options of {@link TeacherNet}. */
export interface TeacherNetOptions {
  /** Layer specs `[width, activation, bias]` (the last width must be a number). */
  layers: readonly LayerSpec[];
  /** Input dimension. */
  din: number;
  /** Parameters (length P); default: Glorot-random with `seed`. */
  params?: ArrayLike<number>;
  /** Seed of the random parameters. */
  seed?: number;
}

/**
 * A fixed network that generates targets: any `Net` architecture with its parameters.
 *
 * @example
 * ```ts
 * const teacher = new TeacherNet({ layers: [[4, "softplus", true], [1, "identity", true]], din: 2, seed: 1 });
 * const target = teacher.forward(input); // N × 1
 * ```
 */
export class TeacherNet {
  /** The teacher's parameters (a copy is kept; changing this array changes the teacher). */
  readonly params: Float64Array;
  /** Normalised layer specs. */
  readonly layers: readonly NormalizedLayer[];
  /** Input dimension. */
  readonly din: number;
  /** Output dimension. */
  readonly dout: number;
  /** Number of parameters. */
  readonly nparams: number;
  private readonly net: Net;

  constructor(given: TeacherNetOptions) {
    if (!given || typeof given !== "object") throw new MLPGFError("OPTION", "new TeacherNet: expected { layers, din, params?, seed? }");
    // the checked copy: own keys only, each read once
    const opts = parseOptions(TeacherNetOptionsSchema, given, "new TeacherNet") as TeacherNetOptions;
    const net = new Net({ layers: opts.layers, din: opts.din });
    try {
      this.params = teacherParams(net, opts);
    } catch (e) {
      net.dispose(); // a failed constructor keeps no WASM memory
      throw e;
    }
    this.net = net;
    this.layers = net.layers;
    this.din = net.din;
    this.dout = net.dout;
    this.nparams = net.nparams;
  }

  /** Targets for `input` (N × D): an N × Dout matrix. */
  forward(input: MatrixLike): Matrix {
    if (this.net.disposed) throw disposedError("this teacher");
    return this.net.forward(this.params, input);
  }

  /** Frees the WASM memory of the teacher; `forward` throws `DISPOSED` afterwards. */
  dispose(): void {
    this.net.dispose();
  }

  /** True after {@link TeacherNet.dispose}. */
  get disposed(): boolean {
    return this.net.disposed;
  }

  /** {@link TeacherNet.dispose}, for `using teacher = new TeacherNet(...)`. */
  [Symbol.dispose](): void {
    this.dispose();
  }
}

/** The teacher's parameters: `opts.params` checked (length P, finite numbers), or Glorot-random with `opts.seed`. */
function teacherParams(net: Net, opts: TeacherNetOptions): Float64Array {
  if (opts.params === undefined) return net.randomParams({ seed: opts.seed });
  return toVector(opts.params, "TeacherNet params", net.nparams);
}
