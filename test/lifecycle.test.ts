// Lifecycle of everything that holds WASM memory: every method of a disposed Net, NetI and TeacherNet
// throws DISPOSED (none answers from freed memory), [Symbol.dispose] disposes, failing constructors and
// a train() that fails on its checkpoint path give every byte back (the allocator's bytes in use return
// to their baseline without a garbage collection), and dropped objects are reclaimed by the
// FinalizationRegistry (child processes with --expose-gc).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { Net } from "../src/api/net.js";
import { NetI } from "../src/api/neti.js";
import { TeacherNet } from "../src/api/teacher.js";
import { Cholesky } from "../src/engine/cholesky.js";
import { getEngine } from "../src/engine/kernels.js";
import { DenseLU } from "../src/engine/lu.js";
import { isMLPGFError } from "../src/errors.js";
import { train } from "../src/train/train.js";

const used = () => getEngine().allocator.used;
const tmp = mkdtempSync(join(tmpdir(), "mlpgf-life-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return isMLPGFError(e) ? e.code : `not an MLPGFError: ${String(e)}`;
  }
  return "no error";
}

/** Every method of the prototype chain below Object (getters excluded), by name. */
function methods(obj: object): string[] {
  const names = new Set<string>();
  for (let p = Object.getPrototypeOf(obj); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(p)))
      if (typeof d.value === "function" && name !== "constructor") names.add(name);
  }
  return [...names];
}

/** Calls method `name` of `obj` with arguments that are valid for a live object, and returns the error code. */
function callAfterDispose(obj: Record<string, unknown>, name: string, x: Float64Array): string {
  const args: Record<string, unknown[]> = {
    forward: [x],
    hvp: [x, x],
    paramsFromDict: [{}],
    withLayers: [
      [
        [2, "tanh", true],
        [1, "identity", true],
      ],
    ],
    loadBlock: [obj, 0],
    outputNormalEquations: [x, null],
  };
  return codeOf(() => (obj[name] as (...a: unknown[]) => unknown)(...(args[name] ?? [x])));
}

/** dispose itself, and the private helpers (JavaScript methods too, but not callable from TypeScript). */
const SKIP = new Set(["dispose", "evaluate", "options", "withWeights", "params", "checkAlive", "requireData"]);

describe("disposed objects", () => {
  const input = [
    [1, 2],
    [-1, 0.5],
    [0.3, -2],
    [2, 1],
  ];
  const target = [[1], [0], [2], [-1]];

  it("every method of a disposed Net throws DISPOSED; dispose twice and [Symbol.dispose] are fine", () => {
    const net = new Net({
      layers: [
        [3, "tanh", true],
        [1, "identity", true],
      ],
      input,
      target,
    });
    const x = net.randomParams({ seed: 1 });
    const names = methods(net).filter((n) => !SKIP.has(n));
    expect(names).toEqual(
      expect.arrayContaining([
        "loss",
        "gradient",
        "lossAndGradient",
        "hessian",
        "hvp",
        "forward",
        "randomParams",
        "paramsToDict",
        "paramsFromDict",
        "withLayers",
      ]),
    );
    net[Symbol.dispose]();
    expect(net.disposed).toBe(true);
    net.dispose();
    for (const name of names)
      expect([name, callAfterDispose(net as unknown as Record<string, unknown>, name, x)]).toEqual([name, "DISPOSED"]);
    // the TS-private helpers are callable from JavaScript too: the one that writes sample weights into
    // WASM memory must not write into the freed blocks
    const withWeights = (net as unknown as { withWeights(w: Float64Array, f: () => number): number }).withWeights.bind(net);
    expect(() => withWeights(new Float64Array(input.length).fill(2), () => 0)).toThrow(expect.objectContaining({ code: "DISPOSED" }));
  });

  it("every method of a disposed NetI throws DISPOSED (it answered from freed memory before)", () => {
    const teacher = new TeacherNet({
      layers: [
        [2, "relu", false],
        [1, "identity", false],
      ],
      din: 2,
      seed: 1,
    });
    const net = new NetI(teacher, {
      layers: [
        [2, "softplus", true],
        [1, "identity", false],
      ],
    });
    const x = net.randomParams({ seed: 1 });
    const names = methods(net).filter((n) => !SKIP.has(n));
    expect(names).toEqual(expect.arrayContaining(["loss", "gradient", "lossAndGradient", "hessian", "hvp", "randomParams", "withLayers"]));
    net.dispose();
    expect(net.disposed).toBe(true);
    for (const name of names)
      expect([name, callAfterDispose(net as unknown as Record<string, unknown>, name, x)]).toEqual([name, "DISPOSED"]);
    expect(codeOf(() => net.quadratureOrder)).toBe("DISPOSED");
    // the teacher is the caller's: still usable
    expect(teacher.forward([[1, 1]]).rows).toBe(1);
    teacher.dispose();
  });

  it("every method of a disposed TeacherNet throws DISPOSED", () => {
    const teacher = new TeacherNet({
      layers: [
        [2, "relu", false],
        [1, "identity", false],
      ],
      din: 2,
      seed: 1,
    });
    const names = methods(teacher).filter((n) => !SKIP.has(n));
    expect(names).toContain("forward");
    teacher[Symbol.dispose]();
    expect(teacher.disposed).toBe(true);
    for (const name of names)
      expect([name, codeOf(() => (teacher as unknown as Record<string, (a: unknown) => unknown>)[name]([[1, 1]]))]).toEqual([
        name,
        "DISPOSED",
      ]);
  });

  it("Cholesky and DenseLU have [Symbol.dispose] and give their memory back", () => {
    const before = used();
    const chol = new Cholesky(20);
    const lu = new DenseLU(20);
    expect(used()).toBeGreaterThan(before);
    chol[Symbol.dispose]();
    lu[Symbol.dispose]();
    expect(used()).toBe(before);
    expect(codeOf(() => lu.factor(new Float64Array(400)))).toBe("DISPOSED");
  });
});

describe("failing constructors keep no memory", () => {
  it("1000 TeacherNets failing on their params (the network was already built) leave the bytes in use at baseline", () => {
    const before = used();
    for (let i = 0; i < 1000; i++) {
      expect(
        codeOf(
          () =>
            new TeacherNet({
              layers: [
                [64, "tanh", true],
                [1, "identity", true],
              ],
              din: 20,
              params: [1, 2, 3],
            }),
        ),
      ).toBe("SHAPE");
      expect(
        codeOf(
          () =>
            new TeacherNet({
              layers: [
                [4, "tanh", true],
                [1, "identity", true],
              ],
              din: 2,
              params: new Array(17).fill(Number.NaN),
            }),
        ),
      ).toBe("VALUE");
    }
    expect(used()).toBe(before);
  });

  it("1000 failing Net and NetI constructors leave the bytes in use at baseline", () => {
    const teacher = new TeacherNet({
      layers: [
        [2, "relu", false],
        [1, "identity", false],
      ],
      din: 2,
      seed: 1,
    });
    const before = used();
    for (let i = 0; i < 1000; i++) {
      expect(
        codeOf(
          () =>
            new Net({
              layers: [
                [3, "tanh", true],
                [1, "identity", true],
              ],
              input: [[1, 2]],
              target: [[1, 2, 3]],
            }),
        ),
      ).not.toBe("no error");
      expect(
        codeOf(
          () =>
            new NetI(teacher, {
              layers: [
                [2, "relu", false],
                [2, "identity", false],
              ],
            }),
        ),
      ).not.toBe("no error");
    }
    expect(
      codeOf(
        () =>
          new Net({
            layers: [
              [30_000_000, "tanh", true],
              [1, "identity", true],
            ],
            input: [[1, 2]],
            target: [[1]],
          }),
      ),
    ).toBe("MEMORY");
    expect(used()).toBe(before);
    teacher.dispose();
  });
});

describe("train failing on its checkpoint path", () => {
  it("gives the solver buffers back (bytes in use at baseline)", async () => {
    const net = new Net({
      layers: [
        [4, "tanh", true],
        [1, "identity", true],
      ],
      input: [
        [1, 2],
        [-1, 0.5],
        [0.3, -2],
      ],
      target: [[1], [0], [2]],
    });
    const x0 = net.randomParams({ seed: 3 });
    net.hessian(x0); // the network's own Hessian scratch, reserved on first use and kept until dispose()
    const before = used();
    for (const alg of ["rodas4", "kencarp58", "tsit5"] as const) {
      const err = await train(net, x0, {
        alg,
        maxiterationsOde: 50,
        maxiterationsOptim: 5,
        checkpoint: { path: join(tmp, "no", "such", "dir", "ck.json"), every: 0 },
      }).catch((e: unknown) => e);
      expect(isMLPGFError(err) || (err as { code?: string }).code === "ENOENT").toBe(true);
      expect([alg, used()]).toEqual([alg, before]);
    }
    net.dispose();
  });
});

describe("dropped objects are reclaimed by the garbage collector", () => {
  const script = fileURLToPath(new URL("./scripts/gc-reclaim.mjs", import.meta.url));
  const build = process.env.MLPGF_BUILD === "debug" ? "kernels.debug.wasm" : "kernels.wasm";
  it.each(["neti", "teacher", "lu"])("%s: 600 dropped objects, memory back to baseline", (kind) => {
    const r = spawnSync(process.execPath, ["--expose-gc", script, build, kind], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const { used: rounds, after } = JSON.parse(r.stdout) as { used: number[]; after: number; one: number };
    expect(rounds[0]).toBeGreaterThan(0); // 100 undisposed objects do hold memory until collected
    expect(after).toBe(0);
    expect(Math.max(...rounds)).toBeLessThanOrEqual(rounds[0]); // bounded: no growth over 6 rounds
  });
});
