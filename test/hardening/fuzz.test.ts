// Property-based fuzzing of the public API (issue 12, point 5): layer specs, data, parameter vectors,
// loss options, train options, result files, spectra and landscape tools, valid and invalid. Every call
// either returns a correct result (checked against the plain-TS reference where that is cheap) or throws
// a MLPGFError; never another error type, a WASM trap, a silent NaN or a hang (every run is bounded by
// iteration limits). After every case a known-good network gives bit-identical answers.
//
// `npm test` runs a short fixed-seed pass; `npm run fuzz` a long one: MLPGF_FUZZ_RUNS (cases per class,
// default 1000 there) and MLPGF_FUZZ_SEED (default: random, printed) choose it.
import fc from "fast-check";
import { afterAll, describe, it } from "vitest";
import {
  LinearSubspace,
  MLPGFError,
  Net,
  NetI,
  TeacherNet,
  type TrainOptions,
  type TrainResult,
  classifyEndpoint,
  cosineSimilarity,
  hessianSpectrum,
  loadResult,
  mergeNeurons,
  planSweep,
  resultFromJSON,
  resultFromNpz,
  resultToJSON,
  resultToNpz,
  splitNeuron,
  symmetricEigen,
  train,
  trainMany,
  weightnorm,
} from "../../src/index.js";
import { type RefAct, type RefLayer, fdGradient, refForward, refLoss, rng } from "../helpers/reference.js";

const LONG = process.env.MLPGF_FUZZ_RUNS !== undefined;
/**
 * Cases of a class: `short` in `npm test`, MLPGF_FUZZ_RUNS × `share` in a long run (`share` < 1 for
 * the classes whose cases cost a worker start).
 */
const runs = (short: number, share = 1): number =>
  LONG ? Math.max(short, Math.round(Number(process.env.MLPGF_FUZZ_RUNS) * share)) : short;
const SEED = process.env.MLPGF_FUZZ_SEED !== undefined ? Number(process.env.MLPGF_FUZZ_SEED) : LONG ? Date.now() % 2 ** 31 : 20261207;
const workerUrl = new URL("../../dist/train/worker.js", import.meta.url);
const CODES = new Set([
  "SHAPE",
  "VALUE",
  "ACTIVATION",
  "OPTION",
  "IO",
  "FORMAT",
  "NOT_INITIALIZED",
  "MEMORY",
  "DISPOSED",
  "ABI",
  "WASM",
  "WORKER",
]);

/** Cases tried per class and how they ended ("ok", or the code of the first MLPGFError), reported at the end. */
const tally: Record<string, Record<string, number>> = {};
/** Valid network cases whose loss and outputs were compared with the plain-TS reference. */
let referenceChecks = 0;
/** The code of the first MLPGFError of the case running now. */
let firstError: string | null = null;
/** Counts the case that just ended under `cls`. */
function count(cls: string): void {
  const outcome = firstError ?? "ok";
  firstError = null;
  tally[cls] ??= {};
  tally[cls][outcome] = (tally[cls][outcome] ?? 0) + 1;
}

/** A failure of the property: not a MLPGFError, or a wrong value. */
class Broken extends Error {}

/**
 * Runs f: its value, or null after a MLPGFError with a known code (noted for the case's tally). Any other
 * thrown value breaks the property.
 */
function attempt<T>(what: string, f: () => T): T | null {
  try {
    return f();
  } catch (e) {
    if (e instanceof MLPGFError && CODES.has(e.code) && e.message.length > 0) {
      firstError ??= e.code;
      return null;
    }
    throw new Broken(`${what}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} instead of a MLPGFError`, { cause: e });
  }
}

async function attemptAsync<T>(what: string, f: () => Promise<T>): Promise<T | null> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof MLPGFError && CODES.has(e.code) && e.message.length > 0) {
      firstError ??= e.code;
      return null;
    }
    throw new Broken(`${what}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} instead of a MLPGFError`, { cause: e });
  }
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Broken(what);
}

function noNaN(v: ArrayLike<number> | number, what: string): void {
  if (typeof v === "number") check(!Number.isNaN(v), `${what} is NaN`);
  else for (let i = 0; i < v.length; i++) check(!Number.isNaN(v[i]), `${what}[${i}] is NaN`);
}

// ---------------------------------------------------------------------------------------------------
// The known-good network: its answers must not change, bit for bit, whatever happened before.

const goodInput = [
  [0.3, -1.2],
  [1.1, 0.4],
  [-0.5, 0.9],
  [0.2, 0.2],
];
const goodTarget = [[0.5], [-0.3], [0.1], [0.7]];
const good = new Net({
  layers: [
    [3, "softplus", true],
    [1, "identity", true],
  ],
  input: goodInput,
  target: goodTarget,
});
const goodX = good.randomParams({ seed: 7 });
const bits = (): string => {
  const r = good.lossAndGradient(goodX);
  const h = good.hessian(goodX).data;
  const f = good.forward(goodX).data;
  return Array.from(new Uint8Array(Float64Array.from([r.loss, ...r.gradient, ...h, ...f]).buffer)).join(",");
};
const goodBits = bits();
/** The end of a case: the known-good network is unchanged; the case is counted under `cls`. */
function endCase(cls: string): void {
  count(cls);
  check(bits() === goodBits, "the known-good network's answers changed");
}

// ---------------------------------------------------------------------------------------------------
// Values that are wrong almost anywhere.

const odd = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    undefined,
    NaN,
    Infinity,
    -Infinity,
    -1,
    0,
    1.5,
    1e308,
    "2",
    "",
    "toString",
    "__proto__",
    "constructor",
    true,
    [],
    {},
    [[]],
    [null],
    { poly: [] },
    { poly: [NaN] },
  ),
  fc.constant(Symbol("odd")),
  fc.bigInt({ min: -3n, max: 3n }),
  fc.constant(new BigInt64Array(3)),
  fc.constant(new DataView(new ArrayBuffer(8))),
  fc.string({ maxLength: 5 }),
  fc.double(),
);

/** Activations with a plain-TS reference (no erf). */
const REF_ACTS = ["identity", "relu", "sigmoid", "softplus", "g", "tanh", "tanh_fast", "silu", "selu", "square", "cube", "exp"] as const;
/** Activations smooth enough for a finite-difference gradient check. */
const SMOOTH = new Set(["identity", "sigmoid", "softplus", "g", "tanh", "tanh_fast", "silu", "square", "cube", "exp"]);
const refAct = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom<RefAct>(...REF_ACTS) },
  {
    weight: 2,
    arbitrary: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }).map((poly): RefAct => ({ poly })),
  },
);
const anyAct = fc.oneof(
  { weight: 6, arbitrary: refAct },
  { weight: 1, arbitrary: fc.constantFrom<RefAct>("gelu", "normal_cdf", "sigmoid2") },
);

/** `arb` in half the cases, null (nothing wrong) in the other half. */
function half<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof(arb, fc.constant(null));
}

/** Replace one field of a case by an odd value (or leave everything valid). */
const corruption = half(
  fc.record({
    field: fc.constantFrom(
      "width",
      "act",
      "bias",
      "layer",
      "hole",
      "input",
      "target",
      "weights",
      "x",
      "xlen",
      "maxnorm",
      "merge",
      "losstype",
      "opts",
      "din",
    ),
    value: odd,
    index: fc.nat({ max: 5 }),
  }),
);

const netCase = fc.record({
  din: fc.integer({ min: 1, max: 3 }),
  n: fc.integer({ min: 1, max: 6 }),
  hidden: fc.array(
    fc.record({
      k: fc.integer({ min: 1, max: 3 }),
      act: anyAct,
      perNeuron: fc.array(anyAct, { minLength: 3, maxLength: 3 }),
      usePerNeuron: fc.boolean(),
      bias: fc.boolean(),
    }),
    { maxLength: 2 },
  ),
  out: fc.record({
    k: fc.integer({ min: 1, max: 3 }),
    act: fc.constantFrom<RefAct>("identity", "identity", "tanh", "softmax"),
    bias: fc.boolean(),
    nullWidth: fc.boolean(),
  }),
  seed: fc.nat(),
  scale: fc.constantFrom(0.1, 1, 2),
  weights: fc.boolean(),
  maxnorm: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
  merge: fc.option(
    fc.record({ pair: fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 2 })), lambda: fc.double({ min: -1, max: 1, noNaN: true }) }),
  ),
  corrupt: corruption,
});

interface Built {
  layers: unknown[];
  ref: RefLayer[];
  input: unknown;
  target: unknown;
  targetRows: number[][];
  weights: unknown;
  din: unknown;
  x: (P: number) => unknown;
  opts: unknown;
  corrupted: boolean;
  hasRef: boolean;
  smooth: boolean;
}

/** The value type of an arbitrary. */
type ArbitraryValue<A> = A extends fc.Arbitrary<infer T> ? T : never;

/** Concrete arguments of a network case (data from a seeded generator), with its corruption applied. */
function build(c: ArbitraryValue<typeof netCase>): Built {
  const r = rng(c.seed);
  const u = () => 2 * r() - 1;
  const layers: unknown[] = [];
  const ref: RefLayer[] = [];
  for (const h of c.hidden) {
    const act = h.usePerNeuron ? h.perNeuron.slice(0, h.k) : h.act;
    layers.push([h.k, act, h.bias]);
    ref.push({ k: h.k, act: act as RefAct | RefAct[], bias: h.bias });
  }
  const softmax = c.out.act === "softmax";
  const k = softmax ? Math.max(2, c.out.k) : c.out.k;
  layers.push([c.out.nullWidth ? null : k, c.out.act, c.out.bias]);
  ref.push({ k, act: c.out.act, bias: c.out.bias });
  const input = Array.from({ length: c.n }, () => Array.from({ length: c.din }, () => 2 * u()));
  const labels = Array.from({ length: c.n }, (_, i) => (i === 0 ? k - 1 : Math.floor(r() * k))); // label k−1 present: width null = k
  const targetRows = softmax
    ? labels.map((l) => Array.from({ length: k }, (_, j) => (j === l ? 1 : 0)))
    : Array.from({ length: c.n }, () => Array.from({ length: k }, u));
  const target: unknown = softmax ? labels : targetRows;
  const weights = c.weights ? Array.from({ length: c.n }, () => r() * 2) : undefined;
  const lossOpts: Record<string, unknown> = {};
  if (c.maxnorm !== null) lossOpts.maxnorm = c.maxnorm;
  if (c.merge !== null && c.hidden.length > 0 && c.merge.pair[0] !== c.merge.pair[1] && Math.max(...c.merge.pair) < c.hidden[0].k) {
    lossOpts.merge = { layer: 0, pair: c.merge.pair, lambda: c.merge.lambda };
  }
  const acts = ref.flatMap((l) => (Array.isArray(l.act) ? l.act : [l.act]));
  const b: Built = {
    layers,
    ref,
    input,
    target,
    targetRows,
    weights,
    din: undefined,
    x: (P) => Array.from({ length: P }, () => c.scale * u()),
    opts: lossOpts,
    corrupted: c.corrupt !== null,
    hasRef: acts.every((a) => typeof a === "object" || (REF_ACTS as readonly string[]).includes(a as string) || a === "softmax"),
    smooth: acts.every((a) => typeof a === "object" || SMOOTH.has(a as string) || a === "softmax"),
  };
  const bad = c.corrupt;
  if (!bad) return b;
  const v = bad.value;
  const l = layers[bad.index % layers.length] as unknown[];
  switch (bad.field) {
    case "width":
      l[0] = v;
      break;
    case "act":
      l[1] = v;
      break;
    case "bias":
      l[2] = v;
      break;
    case "layer":
      layers[bad.index % layers.length] = v;
      break;
    case "hole":
      delete layers[bad.index % layers.length];
      break;
    case "input":
      (input[bad.index % c.n] as unknown[])[bad.index % c.din] = v;
      break;
    case "target":
      b.target = Array.isArray(target) && bad.index % 2 ? target.map((t, i) => (i === 0 ? v : t)) : v;
      break;
    case "weights":
      b.weights = bad.index % 2 ? v : Array.from({ length: c.n }, (_, i) => (i === 0 ? v : 1));
      break;
    case "x": {
      const x0 = b.x;
      b.x = (P) => {
        const x = x0(P) as unknown[];
        x[bad.index % P] = v;
        return x;
      };
      break;
    }
    case "xlen":
      b.x = () => v;
      break;
    case "maxnorm":
      b.opts = { ...lossOpts, maxnorm: v };
      break;
    case "merge":
      b.opts = { ...lossOpts, merge: v };
      break;
    case "losstype":
      b.opts = { ...lossOpts, losstype: v };
      break;
    case "opts":
      b.opts = v;
      break;
    case "din":
      b.din = v;
      break;
  }
  return b;
}

/** Reference regularisers: maxnorm (cubic barrier on Σx²/2P) and merge (λ/2·‖w_i − w_j‖² over layer 0). */
function refRegularizers(x: Float64Array, opts: Record<string, unknown>, ref: RefLayer[], din: number): number {
  let s = 0;
  const P = x.length;
  const nx = x.reduce((a, v) => a + v * v, 0) / (2 * P);
  const c = opts.maxnorm as number | undefined;
  if (c !== undefined && nx > c) s += (nx - c) ** 3 / 3;
  const m = opts.merge as { pair: [number, number]; lambda: number } | undefined;
  if (m) {
    const k = ref[0].k;
    for (let col = 0; col < din + (ref[0].bias ? 1 : 0); col++)
      s += (m.lambda / 2) * (x[col * k + m.pair[0]] - x[col * k + m.pair[1]]) ** 2;
  }
  return s;
}

function close(a: number, b: number, rel: number): boolean {
  if (!Number.isFinite(b)) return !Number.isFinite(a) || Math.abs(a) > 1e300;
  return Math.abs(a - b) <= rel * (Math.abs(b) + 1e-300) + 1e-300;
}

afterAll(() => {
  good.dispose();
  const lines = Object.entries(tally).map(
    ([cls, o]) =>
      `${cls.padEnd(12)} ${Object.values(o).reduce((a, b) => a + b, 0)} cases: ${Object.entries(o)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ")}`,
  );
  console.log(
    `fuzz (seed ${SEED}${LONG ? `, MLPGF_FUZZ_RUNS=${process.env.MLPGF_FUZZ_RUNS}` : ""}):\n${lines.join("\n")}\n${referenceChecks} network cases checked against the reference`,
  );
});

/** fast-check settings: the seed, the number of runs, and the failing case printed in full. */
const params = (numRuns: number) => ({ seed: SEED, numRuns, verbose: 1 as const, endOnFailure: true });

describe("fuzz", () => {
  it("networks: construction, loss, gradient, Hessian, forward against the plain-TS reference", () => {
    fc.assert(
      fc.property(netCase, (c) => {
        const b = build(c);
        const cls = "net";
        const net = attempt(
          "new Net",
          () =>
            new Net({
              layers: b.layers as never,
              input: b.input as never,
              target: b.target as never,
              weights: b.weights as never,
              ...(b.din === undefined ? {} : { din: b.din as never }),
            }),
        );
        if (net) {
          try {
            const x = b.x(net.nparams);
            const opts = b.opts as Record<string, unknown>;
            const loss = attempt("loss", () => net.loss(x as never, opts as never));
            const lg = attempt("lossAndGradient", () => net.lossAndGradient(x as never, opts as never));
            const out = attempt("forward", () => net.forward(x as never));
            if (loss !== null) noNaN(loss, "loss");
            if (lg) {
              noNaN(lg.gradient, "gradient");
              check(Object.is(lg.loss, loss), "lossAndGradient's loss differs from loss");
            }
            if (out) noNaN(out.data, "forward");
            if (net.nparams <= 40) {
              const H = attempt("hessian", () => net.hessian(x as never, opts as never));
              if (H) {
                noNaN(H.data, "Hessian");
                const P = net.nparams;
                for (let i = 0; i < P; i++)
                  for (let j = 0; j < i; j++)
                    check(
                      close(H.data[i * P + j], H.data[j * P + i], 1e-10) || Math.abs(H.data[i * P + j] - H.data[j * P + i]) < 1e-12,
                      "Hessian not symmetric",
                    );
              }
            }
            if (!b.corrupted && b.hasRef && loss !== null && lg && out) {
              // a valid case: values against the reference
              const xv = Float64Array.from(x as number[]);
              const din = (b.input as number[][])[0].length;
              const f = (p: Float64Array) =>
                refLoss(b.ref, p, b.input as number[][], b.targetRows, b.weights as number[] | undefined) +
                refRegularizers(p, opts, b.ref, din);
              const ref = f(xv);
              referenceChecks++;
              // the reference's −log p of a probability near 1 keeps only an absolute precision of ≈ 1e-16
              const nll = b.ref[b.ref.length - 1].act === "softmax";
              // (a reference that overflows, e.g. log of an underflowed probability, checks nothing)
              check(
                !Number.isFinite(ref) || close(loss, ref, 1e-11) || (nll && Math.abs(loss - ref) < 1e-14),
                `loss ${loss} vs reference ${ref}`,
              );
              const refOut = refForward(b.ref, xv, b.input as number[][]).flat();
              refOut.forEach((v, i) =>
                check(close(out.data[i], v, 1e-11) || Math.abs(out.data[i] - v) < 1e-13, `forward[${i}] ${out.data[i]} vs reference ${v}`),
              );
              if (b.smooth && Number.isFinite(ref) && Math.abs(ref) < 1e8 && net.nparams <= 30) {
                const fd = fdGradient(f, xv, 1e-6);
                const scale = 1 + Math.abs(ref) + Math.max(...fd.map(Math.abs));
                lg.gradient.forEach((g, i) =>
                  check(Math.abs(g - fd[i]) <= 1e-5 * scale, `gradient[${i}] ${g} vs finite differences ${fd[i]}`),
                );
              }
            }
          } finally {
            net.dispose();
          }
        }
        endCase(cls);
      }),
      params(runs(120)),
    );
  });

  it("train: options valid and invalid, diverging rules; the result is the best point", async () => {
    const input = [
      [0.3, -1.2],
      [1.1, 0.4],
      [-0.5, 0.9],
      [0.2, 0.2],
      [-1, -1],
      [2, 0.5],
    ];
    const target = [[0.5], [-0.3], [0.1], [0.7], [0.2], [-0.4]];
    const nets = new Map<string, Net>();
    const netFor = (act: string, bias: boolean) => {
      const key = `${act}/${bias}`;
      if (!nets.has(key))
        nets.set(
          key,
          new Net({
            layers: [
              [2, act as "tanh", bias],
              [1, "identity", bias],
            ],
            input,
            target,
          }),
        );
      return nets.get(key)!;
    };
    const eta = fc.oneof(fc.double({ min: 1e-4, max: 1, noNaN: true }), fc.constantFrom(1e3, 1e30, 1e100, 1e300));
    const alg = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom<unknown>("rk4", "tsit5", "rodas5p", "rodas4", "kencarp58", "bs3", "vern7") },
      { weight: 4, arbitrary: eta.map((e) => ({ descent: { eta: e } })) },
      { weight: 3, arbitrary: eta.map((e) => ({ adam: { eta: e } })) },
      { weight: 1, arbitrary: fc.double({ min: 1e-6, max: 1e300, noNaN: true }).map((dt) => ["euler", dt]) },
      { weight: 1, arbitrary: odd },
    );
    const tcase = fc.record({
      act: fc.constantFrom("tanh", "softplus", "relu", "exp", "cube"),
      bias: fc.boolean(),
      seed: fc.nat(),
      scale: fc.constantFrom(0.5, 3, 30),
      alg,
      maxiterationsOde: fc.integer({ min: 0, max: 30 }),
      maxiterationsOptim: fc.integer({ min: 0, max: 8 }),
      optimSolver: fc.constantFrom<unknown>(undefined, "newton", "newtonTrustRegion", "bfgs", "lbfgs"),
      batchsize: fc.option(fc.integer({ min: 1, max: 6 })),
      tauinv: fc.option(fc.double({ min: 0, max: 2, noNaN: true })),
      maxnorm: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
      corrupt: half(
        fc.record({
          key: fc.constantFrom(
            "alg",
            "maxiterationsOde",
            "maxiterationsOptim",
            "optimSolver",
            "batchsize",
            "tauinv",
            "maxnorm",
            "minloss",
            "patience",
            "x0",
            "opts",
            "dt",
            "weights",
            "nSamplesTrajectory",
            "maxiterationsODE",
          ),
          value: odd,
        }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(tcase, async (c) => {
        const cls = "train";
        const net = netFor(c.act, c.bias);
        const r = rng(c.seed);
        const x0: unknown = Array.from({ length: net.nparams }, () => c.scale * (2 * r() - 1));
        const opts: Record<string, unknown> = {
          maxiterationsOde: c.maxiterationsOde,
          maxiterationsOptim: c.maxiterationsOptim,
          nSamplesTrajectory: 5,
        };
        if (Array.isArray(c.alg)) Object.assign(opts, { alg: c.alg[0], dt: c.alg[1] });
        else opts.alg = c.alg;
        if (c.optimSolver !== undefined) opts.optimSolver = c.optimSolver;
        if (c.batchsize !== null && typeof c.alg === "object" && !Array.isArray(c.alg)) opts.batchsize = c.batchsize;
        if (c.tauinv !== null) opts.tauinv = c.tauinv;
        if (c.maxnorm !== null) opts.maxnorm = c.maxnorm;
        let start = x0;
        let call: unknown = opts;
        if (c.corrupt) {
          if (c.corrupt.key === "x0") start = c.corrupt.value;
          else if (c.corrupt.key === "opts") call = c.corrupt.value;
          else opts[c.corrupt.key] = c.corrupt.value;
          // the run length stays bounded: an invalid limit must be rejected, a valid one is small
          for (const k of ["maxiterationsOde", "maxiterationsOptim"])
            if (typeof opts[k] === "number" && (opts[k] as number) > 30) opts[k] = 30;
        }
        if (call && typeof call === "object" && !("maxiterationsOde" in call))
          call = { ...(call as object), maxiterationsOde: 5, maxiterationsOptim: 5 };
        const res = await attemptAsync("train", () => train(net, start as never, call as TrainOptions));
        if (res) {
          check(res.x.every(Number.isFinite), "train: x not finite");
          noNaN(res.loss, "train: loss");
          check(
            res.lossCurve.length === res.trajectory.length && res.lossCurve.every(Number.isFinite),
            "train: lossCurve not finite or not one per trajectory point",
          );
          res.trajectory.forEach((p, i) =>
            check(
              p.x.every(Number.isFinite) && Object.is(res.lossCurve[i], net.loss(p.x)),
              `train: lossCurve[${i}] is not the loss of trajectory[${i}]`,
            ),
          );
          check(Object.is(res.loss, net.loss(res.x)), "train: loss is not the loss at x");
          if (!c.corrupt && c.maxnorm === null) {
            const l0 = net.loss(x0 as number[]);
            check(!(res.loss > l0 * (1 + 1e-12) + 1e-300), `train: loss ${res.loss} above the start's ${l0}: not the best point`);
          }
        }
        endCase(cls);
      }),
      params(runs(40, 0.25)),
    );
    for (const n of nets.values()) n.dispose();
  });

  it("result files: mutated JSON and .npz are a result or FORMAT, never a replaced prototype", async () => {
    const net = new Net({
      layers: [
        [2, "tanh", true],
        [1, "identity", true],
      ],
      input: goodInput,
      target: goodTarget,
    });
    const base = await train(net, net.randomParams({ seed: 1 }), {
      alg: "rk4",
      maxiterationsOde: 20,
      maxiterationsOptim: 2,
      nSamplesTrajectory: 4,
    });
    net.dispose();
    const json = resultToJSON(base);
    const npz = await resultToNpz(base);
    const doc = JSON.parse(json) as unknown;
    const jsonValue = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom<unknown>({ __proto__: null, polluted: 1 }, { $f64: [1, "NaN"] }, { $num: "Infinity" }, { $obj: 5 }, { $f64: "x" }),
    );
    const pathEdit = fc.record({
      path: fc.array(
        fc.oneof(
          fc.nat({ max: 8 }),
          fc.constantFrom("result", "x", "trajectory", "lossCurve", "$f64", "__proto__", "layers", "version", "loss", "format"),
        ),
        { minLength: 1, maxLength: 4 },
      ),
      value: jsonValue,
      protoKey: fc.boolean(),
    });
    const fcase = fc.oneof(
      pathEdit.map((e) => ({ kind: "json-edit" as const, e })),
      fc.record({ at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }).map((e) => ({ kind: "json-bytes" as const, e })),
      fc.record({ at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }).map((e) => ({ kind: "npz-bytes" as const, e })),
      fc
        .record({
          entry: fc.constantFrom(
            "x.npy",
            "init.npy",
            "trajectory_x.npy",
            "trajectory_t.npy",
            "lossCurve.npy",
            "meta.json",
            "__proto__.npy",
            "trajectory___proto__.npy",
          ),
          header: fc.string({ maxLength: 60 }),
          data: fc.uint8Array({ maxLength: 64 }),
          useHeader: fc.boolean(),
        })
        .map((e) => ({ kind: "npz-entry" as const, e })),
    );
    const { unzipSync, zipSync } = await import("fflate");
    const entries = unzipSync(npz);
    await fc.assert(
      fc.asyncProperty(fcase, async (c) => {
        const cls = "files";
        let res: TrainResult | null;
        if (c.kind === "json-edit") {
          const d = structuredClone(doc) as Record<string, unknown>;
          let o: Record<string, unknown> = d;
          for (const k of c.e.path.slice(0, -1)) {
            const next = Object.hasOwn(o, String(k)) ? o[String(k)] : undefined; // own keys: o.__proto__ is Object.prototype
            if (!next || typeof next !== "object") break;
            o = next as Record<string, unknown>;
          }
          const last = String(c.e.path[c.e.path.length - 1]);
          Object.defineProperty(o, c.e.protoKey ? "__proto__" : last, {
            value: c.e.value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
          res = attempt("resultFromJSON", () => resultFromJSON(JSON.stringify(d)));
        } else if (c.kind === "json-bytes") {
          const b = new TextEncoder().encode(json);
          b.set(c.e.bytes.subarray(0, Math.max(0, b.length - (c.e.at % b.length))), c.e.at % b.length);
          res = attempt("resultFromJSON", () => resultFromJSON(new TextDecoder().decode(b)));
        } else if (c.kind === "npz-bytes") {
          const b = npz.slice();
          b.set(c.e.bytes.subarray(0, Math.max(0, b.length - (c.e.at % b.length))), c.e.at % b.length);
          res = await attemptAsync("resultFromNpz", () => resultFromNpz(b));
        } else {
          const head = c.e.useHeader ? `{'descr': '<f8', 'fortran_order': False, 'shape': ${c.e.header}, }` : c.e.header;
          const h = new TextEncoder().encode(head);
          const body = new Uint8Array(10 + h.length + c.e.data.length);
          body.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
          body.set(h, 10);
          body.set(c.e.data, 10 + h.length);
          const files: Record<string, Uint8Array> = { ...entries };
          Object.defineProperty(files, c.e.entry, { value: body, enumerable: true, writable: true, configurable: true });
          const zipped = zipSync(files);
          res = await attemptAsync("resultFromNpz", () => resultFromNpz(zipped));
        }
        for (const k in {}) throw new Broken(`Object.prototype polluted with ${k}`);
        if (res) {
          check(Object.getPrototypeOf(res) === Object.prototype, "the result's prototype was replaced");
          check(res.x instanceof Float64Array && res.init.length === res.x.length, "the result's vectors are malformed");
          check(
            res.trajectory.every((p) => Object.getPrototypeOf(p) === Object.prototype && p.x.length === res!.x.length),
            "a trajectory point is malformed",
          );
        }
        endCase(cls);
      }),
      params(runs(200)),
    );
  });

  it("spectrum and landscape: eigen-decompositions, subspaces, cosines, weight norms", () => {
    const vec = (n: number) =>
      fc.array(
        fc.oneof(
          { weight: 6, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
          { weight: 1, arbitrary: fc.constantFrom(0, 1e308, -1e308, 5e-324, 1e-300) },
          { weight: 1, arbitrary: odd },
        ),
        { minLength: n, maxLength: n },
      );
    const scase = fc.oneof(
      fc
        .record({
          n: fc.integer({ min: 0, max: 6 }),
          extra: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -2, max: 2 }) }),
          seed: fc.nat(),
          rowsOdd: fc.oneof({ weight: 1, arbitrary: odd }, { weight: 4, arbitrary: fc.constant(null) }),
        })
        .map((e) => ({ kind: "eigen" as const, e })),
      fc
        .integer({ min: 1, max: 5 })
        .chain((n) => fc.record({ ref: vec(n), v1: vec(n), v2: vec(n), a1: fc.double(), a2: fc.double() }))
        .map((e) => ({ kind: "subspace" as const, e })),
      fc
        .integer({ min: 0, max: 4 })
        .chain((n) => fc.record({ a: vec(n), b: fc.oneof(vec(n), vec(n + 1)) }))
        .map((e) => ({ kind: "vectors" as const, e })),
    );
    fc.assert(
      fc.property(scase, (c) => {
        const cls = c.kind;
        if (c.kind === "eigen") {
          const { n, extra, seed } = c.e;
          const r = rng(seed);
          const A = new Float64Array(n * n);
          for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = 2 * r() - 1;
          const data =
            extra === 0
              ? A
              : extra > 0
                ? Float64Array.from({ length: n * n + extra }, (_, i) => A[i] ?? 0)
                : A.subarray(0, Math.max(0, n * n + extra));
          const m = { rows: c.e.rowsOdd === null ? n : c.e.rowsOdd, cols: n, data };
          const res = attempt("symmetricEigen", () => symmetricEigen(m as never));
          if (res) {
            check(data.length === n * n && m.rows === n, "symmetricEigen accepted a malformed matrix");
            noNaN(res.values, "eigenvalues");
            // A·v = λ·v for every pair, within rounding
            for (let k = 0; k < n; k++) {
              for (let i = 0; i < n; i++) {
                let s = 0;
                for (let j = 0; j < n; j++) s += A[i * n + j] * res.vectors.data[j * n + k];
                check(Math.abs(s - res.values[k] * res.vectors.data[i * n + k]) < 1e-12 * n, "A·v ≠ λ·v");
              }
            }
          }
        } else if (c.kind === "subspace") {
          const ls = attempt("new LinearSubspace", () => new LinearSubspace(c.e.ref as never, c.e.v1 as never, c.e.v2 as never));
          if (ls) {
            const P = ls.nparams;
            let d12 = 0,
              n1 = 0,
              n2 = 0;
            for (let i = 0; i < P; i++) {
              d12 += ls.v1[i] * ls.v2[i];
              n1 += ls.v1[i] ** 2;
              n2 += ls.v2[i] ** 2;
            }
            check(Math.abs(n1 - 1) < 1e-12 && Math.abs(n2 - 1) < 1e-12 && Math.abs(d12) < 1e-10, "v1, v2 not orthonormal");
            const p = attempt("point", () => ls.point(c.e.a1, c.e.a2));
            if (p) check(p.every(Number.isFinite), "point not finite");
          }
        } else {
          const cs = attempt("cosineSimilarity", () => cosineSimilarity(c.e.a as never, c.e.b as never));
          if (cs !== null) check(cs >= -1 && cs <= 1, `cosine ${cs} outside [−1, 1]`);
          const w = attempt("weightnorm", () => weightnorm(c.e.a as never));
          if (w !== null) check(w >= 0, `weightnorm ${w}`);
        }
        endCase(cls);
      }),
      params(runs(200)),
    );
  });

  it("teacher–student NetI: specs and parameters; the expected loss is ≥ 0", () => {
    const closed = fc.constantFrom("relu", "normal_cdf", "sigmoid2");
    const ncase = fc.record({
      din: fc.integer({ min: 1, max: 3 }),
      tk: fc.integer({ min: 1, max: 3 }),
      sk: fc.integer({ min: 1, max: 3 }),
      tact: closed,
      sact: fc.oneof({ weight: 4, arbitrary: closed }, { weight: 1, arbitrary: fc.constantFrom("softplus", "tanh") }),
      bias: fc.boolean(),
      seed: fc.nat(),
      scale: fc.constantFrom(0.5, 1, 3),
      corrupt: half(
        fc.record({
          field: fc.constantFrom("sact", "slayers", "tparams", "x", "opts", "order"),
          value: fc.oneof(odd, fc.constantFrom(-1e9, -5, 1.5, 1e9, 2, 20, 4000, 4001)),
        }),
      ),
    });
    fc.assert(
      fc.property(ncase, (c) => {
        const cls = "neti";
        const r = rng(c.seed);
        const tl: unknown[] = [
          [c.tk, c.tact, c.bias],
          [1, "identity", c.bias],
        ];
        const sl: unknown[] = [
          [c.sk, c.sact, c.bias],
          [1, "identity", c.bias],
        ];
        let tparams: unknown;
        let xOf = (P: number): unknown => Array.from({ length: P }, () => c.scale * (2 * r() - 1));
        let opts: unknown = {};
        const bad = c.corrupt;
        if (bad?.field === "sact") (sl[0] as unknown[])[1] = bad.value;
        if (bad?.field === "slayers") sl[bad.value === null ? 1 : 0] = bad.value;
        if (bad?.field === "tparams") tparams = bad.value;
        if (bad?.field === "x") xOf = () => bad.value;
        if (bad?.field === "opts") opts = bad.value;
        const teacher = attempt(
          "new TeacherNet",
          () =>
            new TeacherNet({
              layers: tl as never,
              din: c.din,
              seed: c.seed,
              ...(tparams === undefined ? {} : { params: tparams as never }),
            }),
        );
        if (!teacher) return endCase(cls);
        try {
          const order = bad?.field === "order" ? { quadratureOrder: bad.value as never } : {};
          const net = attempt("new NetI", () => new NetI(teacher, { layers: sl as never, ...order }));
          if (net) {
            try {
              const x = xOf(net.nparams);
              const lg = attempt("lossAndGradient", () => net.lossAndGradient(x as never, opts as never));
              if (lg) {
                check(Number.isFinite(lg.loss) && lg.loss >= -1e-12 * (1 + Math.abs(lg.loss)), `expected loss ${lg.loss} < 0`);
                noNaN(lg.gradient, "NetI gradient");
              }
            } finally {
              net.dispose();
            }
          }
        } finally {
          teacher.dispose();
        }
        endCase(cls);
      }),
      params(runs(40)),
    );
  });

  it("trainMany: starts valid and invalid", async () => {
    const start = fc.oneof(
      { weight: 3, arbitrary: fc.constant("good") },
      { weight: 1, arbitrary: odd },
      { weight: 1, arbitrary: fc.array(fc.oneof(fc.double(), odd), { maxLength: 14 }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(start, { minLength: 0, maxLength: 3 }), fc.constantFrom(1, 2), async (starts, workers) => {
        const cls = "trainMany";
        const x0s = starts.map((s, i) => (s === "good" ? good.randomParams({ seed: i }) : s));
        const res = await attemptAsync("trainMany", () =>
          trainMany(good, x0s as never, { alg: "rk4", maxiterationsOde: 10, maxiterationsOptim: 2 }, { workers, workerUrl }),
        );
        if (res) {
          check(res.length === x0s.length, "one result per start");
          res.forEach((ri, i) => {
            if (ri.error) check(CODES.has(ri.error.code), `start ${i}: error code ${ri.error.code}`);
            else check(ri.x.every(Number.isFinite) && Object.is(ri.loss, good.loss(ri.x)), `start ${i}: not a result`);
          });
        }
        endCase(cls);
      }),
      params(runs(4, 0.02)),
    );
  });

  it("options objects in hostile forms: read as plain data (own keys, once) or OPTION", async () => {
    // the same options in another form: a form that is plain data gives the plain object's answer bit
    // for bit; getters and Proxy traps that throw, inherited keys, Maps, Dates and class instances are OPTION
    const teacher = new TeacherNet({
      layers: [
        [2, "tanh", true],
        [1, "identity", true],
      ],
      din: 2,
      seed: 3,
    });
    const targets = {
      loss: { base: { maxnorm: 5 }, run: (o: unknown) => good.loss(goodX, o as never) },
      hessian: {
        base: { merge: { layer: 0, pair: [0, 2], lambda: 0.5 } },
        run: (o: unknown) => Array.from(good.hessian(goodX, o as never).data),
      },
      randomParams: { base: { seed: 4, distribution: "glorot_uniform" }, run: (o: unknown) => Array.from(good.randomParams(o as never)) },
      splitNeuron: {
        base: { j: 0, layer: 0 },
        run: (o: unknown) => {
          const r = splitNeuron(good, goodX, 1, 0.25, o as never);
          const v = r.net.loss(r.x);
          r.net.dispose();
          return v;
        },
      },
      NetI: {
        base: {
          layers: [
            [2, "tanh", true],
            [1, "identity", true],
          ],
          quadratureOrder: 40,
        },
        run: (o: unknown) => {
          const n = new NetI(teacher, o as never);
          const v = n.loss(Float64Array.of(0.5, -0.25, 0.1, 0.3, 0.7, -0.2, 0.4, -0.6, 0.05));
          n.dispose();
          return v;
        },
      },
      train: {
        base: { alg: { descent: { eta: 0.05 } }, maxiterationsOde: 5, maxiterationsOptim: 0 },
        run: async (o: unknown) => (await train(good, goodX, o as never)).loss,
      },
    } as const;
    const plainForms = ["copy", "nullProto", "frozen", "proxy", "symbolKey", "onceGetter"] as const;
    const hostileForms = [
      "throwingGetter",
      "throwingOwnKeys",
      "throwingGet",
      "inherited",
      "map",
      "date",
      "instance",
      "nestedHole",
    ] as const;
    type Form = (typeof plainForms)[number] | (typeof hostileForms)[number];
    const boom = new Error("boom");
    const reshape = (base: Record<string, unknown>, form: Form, key: string): unknown => {
      switch (form) {
        case "copy":
          return structuredClone(base);
        case "nullProto":
          return Object.assign(Object.create(null), structuredClone(base));
        case "frozen":
          return Object.freeze(structuredClone(base));
        case "proxy":
          return new Proxy(structuredClone(base), {});
        case "symbolKey":
          return { ...structuredClone(base), [Symbol("extra")]: 1 };
        case "onceGetter": {
          let reads = 0;
          const o = structuredClone(base);
          const v = o[key];
          Object.defineProperty(o, key, { enumerable: true, get: () => (++reads === 1 ? v : Number.NaN) });
          return o;
        }
        case "throwingGetter":
          return Object.defineProperty(structuredClone(base), key, {
            enumerable: true,
            get: () => {
              throw boom;
            },
          });
        case "throwingOwnKeys":
          return new Proxy(structuredClone(base), {
            ownKeys: () => {
              throw boom;
            },
          });
        case "throwingGet":
          return new Proxy(structuredClone(base), {
            get: (t, k) => {
              if (k === key) throw boom;
              return (t as Record<string | symbol, unknown>)[k];
            },
          });
        case "inherited":
          return Object.assign(Object.create(structuredClone(base)), { maxtimeODE: 1 });
        case "map":
          return new Map(Object.entries(base));
        case "date":
          return Object.assign(new Date(0), structuredClone(base));
        case "instance":
          return Object.assign(new (class Options {})(), structuredClone(base));
        case "nestedHole":
          // a hole where a nested array needs a number: merge.pair [, 2], adam beta [, 0.9], … or the key itself
          return { ...structuredClone(base), [key]: [, 2] };
      }
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(targets) as (keyof typeof targets)[])),
        fc.constantFrom<Form>(...plainForms, ...hostileForms),
        fc.nat(),
        async (name, form, k) => {
          const cls = "options";
          firstError = null; // this case's first error only
          const t = targets[name];
          const base = t.base as Record<string, unknown>;
          const keys = Object.keys(base);
          const key = keys[k % keys.length];
          const want = JSON.stringify(await t.run(structuredClone(base)));
          const got = await attemptAsync(`${name} with ${form} options`, async () => t.run(reshape(base, form, key)));
          if ((plainForms as readonly string[]).includes(form))
            check(JSON.stringify(got) === want, `${name}, ${form}: ${JSON.stringify(got)} ≠ ${want}`);
          else {
            // values the tool checks itself (layers: by the network, SHAPE; splitNeuron's j and layer
            // against the network, VALUE) answer a hole with their own code
            const own = key === "layers" ? "SHAPE" : name === "splitNeuron" ? "VALUE" : "OPTION";
            const codes = form === "nestedHole" ? ["OPTION", own] : ["OPTION"];
            check(
              got === null && codes.includes(firstError ?? ""),
              `${name}, ${form} (key ${key}): expected ${codes.join(" or ")}, got ${firstError ?? JSON.stringify(got)}`,
            );
          }
          endCase(cls);
        },
      ),
      params(runs(40, 0.5)),
    );
    teacher.dispose();
  });

  it("sweep specs: random grid paths and values are a plan or OPTION, and never touch Object.prototype", async () => {
    const base = {
      layers: [
        [2, "tanh", true],
        [1, "identity", true],
      ],
      data: {
        kind: "teacher",
        teacher: {
          layers: [
            [2, "tanh", true],
            [1, "identity", true],
          ],
          seed: 1,
        },
        din: 2,
        samples: 5,
      },
      train: { maxiterationsOde: 3 },
    };
    const segment = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constantFrom("layers", "data", "train", "student", "seed", "0", "1", "maxT", "alg", "teacher", "samples"),
      },
      { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "prototype", "polluted", "toString", "") },
      { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
    );
    const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((p) => p.join("."));
    const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), odd);
    await fc.assert(
      fc.asyncProperty(fc.dictionary(path, fc.array(value, { minLength: 0, maxLength: 3 }), { maxKeys: 3 }), async (grid) => {
        const cls = "sweep";
        firstError = null;
        const spec = { ...structuredClone(base), grid };
        const plan = await attemptAsync("planSweep", () => planSweep(spec as never));
        if (plan) check(plan.runs.length === Object.values(grid).reduce((n, l) => n * l.length, 1), "one run per grid point");
        check(
          Object.getOwnPropertyNames(Object.prototype).every((k) => k !== "polluted" && k !== "seed" && k !== "0"),
          "Object.prototype was written",
        );
        endCase(cls);
      }),
      params(runs(40, 0.5)),
    );
  });

  it("files on disk that are not result files: IO or FORMAT at once", async () => {
    const { mkdtempSync, writeFileSync, mkdirSync } = await import("node:fs");
    const { execFileSync } = await import("node:child_process");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "mlpgf-fuzz-disk-"));
    let n = 0;
    const kind = fc.constantFrom("fifo", "dir", "missing", "devnull", "devzero", "bytes", "nul");
    await fc.assert(
      fc.asyncProperty(kind, fc.constantFrom(".json", ".npz", ".txt", ""), fc.uint8Array({ maxLength: 40 }), async (k, ext, bytes) => {
        const cls = "disk";
        firstError = null;
        const p = join(dir, `f${n++}${ext}`);
        if (k === "fifo") execFileSync("mkfifo", [p]);
        if (k === "dir") mkdirSync(p);
        if (k === "bytes") writeFileSync(p, bytes);
        const target = k === "devnull" ? "/dev/null" : k === "devzero" ? "/dev/zero" : k === "nul" ? `${p}\0x` : p;
        const r = await attemptAsync("loadResult", () => loadResult(target));
        check(r === null && (firstError === "IO" || firstError === "FORMAT"), `loadResult of a ${k}: ${firstError ?? "returned a result"}`);
        endCase(cls);
      }),
      params(runs(30, 0.2)),
    );
  });

  it("lifecycle: every method of a disposed object, and every tool given one, is DISPOSED", async () => {
    const layers = [
      [3, "tanh", true],
      [1, "identity", true],
    ] as const;
    const makers = {
      Net: () => new Net({ layers, input: goodInput, target: goodTarget }),
      NetI: () => {
        const t = new TeacherNet({ layers, din: 2, seed: 1 });
        const n = new NetI(t, { layers });
        t.dispose();
        return n;
      },
      TeacherNet: () => new TeacherNet({ layers, din: 2, seed: 1 }),
    };
    const x = good.randomParams({ seed: 9 }); // 13 parameters: the shape of every maker's network
    const calls: Record<string, (o: never) => unknown> = {
      loss: (o: Net) => o.loss(x),
      gradient: (o: Net) => o.gradient(x),
      hessian: (o: Net) => o.hessian(x),
      lossAndGradient: (o: Net) => o.lossAndGradient(x),
      hvp: (o: Net) => o.hvp(x, x),
      forward: (o: Net) => o.forward(x, goodInput),
      randomParams: (o: Net) => o.randomParams({ seed: 1 }),
      paramsToDict: (o: Net) => o.paramsToDict(x),
      teacherForward: (o: TeacherNet) => o.forward(goodInput),
      hessianSpectrum: (o: Net) => hessianSpectrum(o, x),
      classifyEndpoint: (o: Net) => classifyEndpoint(o, x),
      splitNeuron: (o: Net) => splitNeuron(o, x, 0, 0.5),
      mergeNeurons: (o: Net) => mergeNeurons(o, x, 0, 1),
      train: (o: Net) => train(o, x, { maxiterationsOde: 2 }),
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(makers) as (keyof typeof makers)[])),
        fc.constantFrom(...Object.keys(calls)),
        fc.boolean(),
        async (kind, call, viaSymbol) => {
          const cls = "lifecycle";
          firstError = null; // this case's first error only
          const o = makers[kind]();
          const f = calls[call];
          // the method must exist on this kind (a TeacherNet has forward(input) only)
          const applies =
            kind === "TeacherNet"
              ? call === "teacherForward"
              : call !== "teacherForward" && (kind === "Net" || !["forward", "paramsToDict"].includes(call));
          if (viaSymbol) o[Symbol.dispose]();
          else o.dispose();
          o.dispose(); // twice: a no-op
          if (applies) {
            const r = await attemptAsync(`${kind}.${call} after dispose`, async () => f(o as never));
            check(r === null && firstError === "DISPOSED", `${kind}.${call} after dispose: ${firstError ?? "returned"}`);
          }
          endCase(cls);
        },
      ),
      params(runs(30, 0.5)),
    );
  });
});
