// Findings of an independent bad-input campaign run outside the repository (issue 12: "an independent
// campaign outside the repo, on the same classes with other cases, must find nothing"): options read
// as data (getters, Proxies, inherited keys, Maps), arrays whose reads throw, sparse arrays, async
// callbacks, files that are not regular files, oversized entries and result fields that name no
// activation. Each case failed before its fix with a stray TypeError/RangeError, a hang, a process
// crash or a silently accepted value.
import { mkdtempSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import {
  Net,
  NetI,
  TeacherNet,
  gaussianInput,
  init,
  loadResult,
  mergeNeurons,
  resultFromJSON,
  resultFromNpz,
  resultToJSON,
  resultToNpz,
  splitNeuron,
  train,
  trainMany,
  trajectoryDistance,
} from "../../src/index.js";
import { sampleResult } from "../io/sample.js";
import { caught, expectError, rejected } from "./helpers.js";

const input = [
  [0.1, 0.2],
  [0.3, -0.4],
  [1, 2],
];
const target = [[1], [2], [0.5]];
const layers = [
  [2, "tanh", true],
  [1, "identity", true],
] as const;
const net = new Net({ layers, input, target });
const x = net.randomParams({ seed: 1 });
const short = { maxiterationsOde: 20, maxiterationsOptim: 5 };
const dir = mkdtempSync(join(tmpdir(), "mlpgf-outside-"));

describe("options are read as data: own keys, each once", () => {
  it("a getter that throws is OPTION naming the key, with the thrown error as cause", async () => {
    const boom = new Error("getter");
    const opts = {
      ...short,
      get maxT(): number {
        throw boom;
      },
    };
    const e = await rejected(train(net, x, opts));
    expect(e.code).toBe("OPTION");
    expect(e.message).toMatch(/maxT/);
    expect(e.cause).toBe(boom);
    expect((await rejected(trainMany(net, [x], opts))).code).toBe("OPTION");
    const loss = caught(() =>
      net.loss(x, {
        get maxnorm(): number {
          throw boom;
        },
      }),
    );
    expect([loss.code, loss.cause]).toEqual(["OPTION", boom]);
  });

  it("a Proxy whose traps throw is OPTION, a plain Proxy is read like its target", () => {
    const ownKeys = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("ownKeys");
        },
      },
    );
    expectError(() => net.loss(x, ownKeys), "OPTION");
    const get = new Proxy(
      { layers, input, target },
      {
        get(t, k) {
          if (k === "target") throw new TypeError("proxy");
          return (t as Record<string | symbol, unknown>)[k];
        },
      },
    );
    expectError(() => new Net(get), "OPTION", /target/);
    expect(net.loss(x, new Proxy({ maxnorm: 10 }, {}))).toBe(net.loss(x, { maxnorm: 10 }));
  });

  it("inherited properties are not options: no inherited layers, no inherited typo", async () => {
    expectError(() => new Net(Object.create({ layers, din: 2 })), "OPTION", /own keys/);
    const teacher = new TeacherNet({ layers, din: 2, seed: 1 });
    expectError(() => new NetI(teacher, Object.create({ layers })), "OPTION", /own keys/);
    teacher.dispose();
    // an inherited typo cannot run 180 s with the default limit unnoticed
    const inherited = Object.assign(Object.create({ maxtimeODE: 1 }), short);
    expect((await rejected(train(net, x, inherited))).code).toBe("OPTION");
    // a nested inherited key is not read: merge without own keys lacks `layer`
    const merge = Object.assign(Object.create({ layer: 0 }), { pair: [0, 1], lambda: 1 });
    expectError(() => net.loss(x, { merge }), "OPTION", /merge/);
  });

  it("a Map, a Date or a class instance is not an options object; a null-prototype object is", () => {
    for (const o of [new Map([["maxnorm", 1]]), new Date(), new (class Options {})()])
      expectError(() => net.loss(x, o as never), "OPTION", /plain object/);
    const bare = Object.assign(Object.create(null), { maxnorm: 10 });
    expect(net.loss(x, bare)).toBe(net.loss(x, { maxnorm: 10 }));
  });

  it("Symbol keys are ignored; an own '__proto__' key is an unknown option", () => {
    expect(net.loss(x, { [Symbol("k")]: 1 } as never)).toBe(net.loss(x));
    expectError(() => net.loss(x, JSON.parse('{"__proto__": {"maxnorm": 1}}')), "OPTION", /__proto__/);
  });

  it("a misspelt key of splitNeuron / mergeNeurons is OPTION naming the valid one (it acted on layer 0)", () => {
    const wide = new Net({
      layers: [
        [3, "tanh", true],
        [1, "identity", true],
      ],
      input,
      target,
    });
    const xw = wide.randomParams({ seed: 2 });
    expectError(() => splitNeuron(wide, xw, 0, 0.5, { lyer: 0 } as never), "OPTION", /layer/);
    expectError(() => mergeNeurons(wide, xw, 0, 1, { layr: 0 } as never), "OPTION", /layer/);
    wide.dispose();
  });
});

describe("option keys and paths", () => {
  it("a key of ten million characters is one clipped line (the closest-name search skipped it: it took 15 s)", () => {
    const e = expectError(() => net.loss(x, { ["m".repeat(1e7)]: 1 } as never), "OPTION");
    expect(e.message.length).toBeLessThan(1000);
    expect(e.message).toMatch(/unknown option "m{70,80}…/);
  });

  it("a checkpoint path with a NUL character is OPTION (the run went on and never wrote it)", async () => {
    const e = await rejected(train(net, x, { ...short, checkpoint: { path: join(dir, "a\0b.json") } }));
    expect(e.code).toBe("OPTION");
    expect(e.message).toMatch(/checkpoint\.path/);
  });

  it("init's options go through its schema: a getter that throws is OPTION, threads out of range too", async () => {
    const boom = new Error("boom");
    const opts = {
      get threads(): number {
        throw boom;
      },
    };
    const e = await rejected(init(undefined, opts));
    expect([e.code, e.cause]).toEqual(["OPTION", boom]);
    expect((await rejected(init(undefined, { threads: 0 }))).code).toBe("OPTION");
    expect((await rejected(init(undefined, { thread: 2 } as never))).message).toMatch(/did you mean "threads"/);
  });
});

describe("arrays are read entry by entry, holes included", () => {
  it("a parameter vector whose reads throw is VALUE with the cause", () => {
    const boom = new Error("boom");
    const p = new Proxy(Array.from(x), {
      get(t, k) {
        if (k === "3") throw boom;
        return (t as unknown as Record<string | symbol, unknown>)[k];
      },
    });
    const e = expectError(() => net.loss(p), "VALUE");
    expect(e.cause).toBe(boom);
  });

  it("{ poly } with a second key, or a getter that throws, is ACTIVATION", () => {
    const withKey = { poly: [0, 1], coef: [1] };
    expectError(
      () =>
        new Net({
          layers: [
            [2, withKey as never, true],
            [1, "identity", true],
          ],
          input,
          target,
        }),
      "ACTIVATION",
      /poly/,
    );
    const getter = {
      get poly(): number[] {
        throw new Error("g");
      },
    };
    expectError(
      () =>
        new Net({
          layers: [
            [2, getter, true],
            [1, "identity", true],
          ],
          input,
          target,
        }),
      "ACTIVATION",
    );
  });

  it("Adam's beta and merge's pair with a hole are OPTION (every() skips holes)", async () => {
    const beta = [, 0.9] as unknown as [number, number];
    expect((await rejected(train(net, x, { ...short, alg: { adam: { beta } } }))).code).toBe("OPTION");
    const pair = [, 1] as unknown as [number, number];
    expectError(() => net.loss(x, { merge: { layer: 0, pair, lambda: 1 } }), "OPTION", /pair/);
  });

  it("paramsFromDict with a getter that throws, trainMany with start lists whose reads throw: VALUE with the cause", async () => {
    const boom = new Error("boom");
    const dict = {
      get w1(): number[][] {
        throw boom;
      },
      w2: [[1, 2, 3]],
    };
    expect(expectError(() => net.paramsFromDict(dict), "VALUE").cause).toBe(boom);
    const starts = new Proxy([x, x], {
      get(t, k) {
        if (k === "1") throw boom;
        return (t as unknown as Record<string | symbol, unknown>)[k];
      },
    });
    const e = await rejected(trainMany(net, starts, short));
    expect([e.code, e.cause]).toEqual(["VALUE", boom]);
  });

  it("trainMany: a hole among the starts is VALUE naming its index", async () => {
    const starts = [x, , x] as Float64Array[];
    const e = await rejected(trainMany(net, starts, short));
    expect(e.code).toBe("VALUE");
    expect(e.message).toMatch(/x0s\[1\]/);
  });

  it("trajectoryDistance: a non-finite time is VALUE, a hole SHAPE", () => {
    expectError(() => trajectoryDistance([{ t: Number.NaN, x: [1] }], [{ t: 0, x: [1] }]), "VALUE", /point 0/);
    expectError(() => trajectoryDistance([{ t: 0, x: [1] }, , { t: 1, x: [1] }] as never, [{ t: 0, x: [1] }]), "SHAPE", /point 1/);
  });
});

describe("a network's layers cannot be edited behind its back", () => {
  it("net.layers is frozen: an edit throws (trainMany's workers rebuilt the edited network: relu instead of tanh)", async () => {
    const n = new Net({
      layers: [
        [2, { poly: [0, 1, 0.5] }, true],
        [1, "identity", true],
      ],
      input,
      target,
    });
    expect(() => {
      (n.layers[0] as unknown as unknown[])[1] = "relu";
    }).toThrow(TypeError);
    expect(() => {
      ((n.layers[0][1] as { poly: number[] }).poly as number[])[0] = 5;
    }).toThrow(TypeError);
    expect(Object.isFrozen(n.layers)).toBe(true);
    const xn = n.randomParams({ seed: 1 });
    const [many] = await trainMany(n, [xn], short, { workerUrl: new URL("../../dist/train/worker.js", import.meta.url) });
    expect(many.error).toBeUndefined();
    expect(many.loss).toBe((await train(n, xn, short)).loss);
    n.dispose();
  });
});

describe("sizes beyond the WASM memory", () => {
  it("gaussianInput of more values than the WASM memory holds is MEMORY before allocating (10⁹ × 2 took 16 GB)", () => {
    expectError(() => gaussianInput(1e9, 2), "MEMORY", /2\^29/);
    expectError(() => gaussianInput(2 ** 28, 3), "MEMORY");
    expect(gaussianInput(3, 2, { seed: 1 }).data).toHaveLength(6);
  });
});

describe("softmax outputs", () => {
  it("a one-class softmax is SHAPE (it is the constant 1; its Hessian was NaN after training)", () => {
    expectError(
      () =>
        new Net({
          layers: [
            [3, "tanh", true],
            [null, "softmax", true],
          ],
          input,
          target: [0, 0, 0],
        }),
      "SHAPE",
      /softmax/,
    );
    expectError(
      () =>
        new Net({
          layers: [
            [3, "tanh", true],
            [null, "softmax", true],
          ],
          input,
          target: [[0.5], [1], [0]],
        }),
      "SHAPE",
      /softmax/,
    );
  });

  it("a regression target (negative entries) for a softmax output is VALUE", () => {
    const t = [
      [0.5, -0.5],
      [1, 0],
      [0, 1],
    ];
    expectError(
      () =>
        new Net({
          layers: [
            [3, "tanh", true],
            [2, "softmax", true],
          ],
          input,
          target: t,
        }),
      "VALUE",
      /row 0/,
    );
  });
});

describe("callbacks", () => {
  it("an async onProgress that rejects ends the run with its error (no unhandled rejection)", async () => {
    const mine = new RangeError("mine");
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on("unhandledRejection", onUnhandled);
    try {
      const run = train(net, x, {
        maxiterationsOde: 2000,
        maxiterationsOptim: 5,
        minGnorm: 0,
        progressInterval: 1e-9,
        onProgress: async () => {
          throw mine;
        },
      });
      await expect(run).rejects.toBe(mine);
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

describe("files that are not regular files, oversized entries", () => {
  const fifo = join(dir, "result.fifo.json");
  execFileSync("mkfifo", [fifo]);

  it("loadResult of a FIFO, a device or a directory is IO at once (it blocked or filled the memory)", async () => {
    for (const p of [fifo, "/dev/zero", dir]) {
      const e = await rejected(loadResult(p));
      expect(e.code).toBe("IO");
      expect(e.message).toMatch(/directory|not a regular file/);
    }
  });

  it("train's resume of a FIFO is IO; a checkpoint that cannot be written is IO with the cause", async () => {
    expect((await rejected(train(net, x, { resume: fifo }))).code).toBe("IO");
    const e = await rejected(train(net, x, { ...short, checkpoint: { path: dir, every: 0 } })); // a directory
    expect(e.code).toBe("IO");
    expect((e.cause as { code?: string }).code).toBe("EISDIR");
    const long = await rejected(train(net, x, { ...short, checkpoint: { path: join(dir, `${"a".repeat(300)}.json`), every: 0 } }));
    expect(long.code).toBe("IO");
  });

  it("an .npz whose meta.json is larger than a JS string is FORMAT, not a RangeError", async () => {
    const entries = unzipSync(await resultToNpz(sampleResult()));
    entries["meta.json"] = new Uint8Array(2 ** 29).fill(32);
    const e = await rejected(resultFromNpz(zipSync(entries, { level: 0 })));
    expect(e.code).toBe("FORMAT");
    expect(e.message).toMatch(/meta\.json/);
  });

  it("a result whose layers name no activation is FORMAT", () => {
    const doc = JSON.parse(resultToJSON(sampleResult()));
    doc.result.layers = [[2, "valueOf", true]];
    expect(caught(() => resultFromJSON(JSON.stringify(doc))).code).toBe("FORMAT");
    doc.result.layers = [[0, "relu", true]];
    expect(caught(() => resultFromJSON(JSON.stringify(doc))).code).toBe("FORMAT");
  });
});
