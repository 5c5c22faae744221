// Arguments of the analysis and sweep functions that are not what they expect: a MLPGFError naming
// them, never a TypeError (also when the value cannot be printed by JSON.stringify, e.g. a BigInt).
import { describe, expect, it } from "vitest";
import {
  MLPGFError,
  Net,
  channelCoordinates,
  collectSweep,
  findChannels,
  fromChannelCoordinates,
  jumpAlongChannel,
  planSweep,
  runSweep,
} from "../../src/index.js";

async function codeOf(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(MLPGFError);
    return (e as MLPGFError).code;
  }
  throw new Error("expected a MLPGFError, nothing was thrown");
}

describe("analysis and sweep arguments", () => {
  const net = new Net({
    layers: [
      [3, "tanh", true],
      [1, "identity", true],
    ],
    input: [
      [0.1, 0.2],
      [0.3, -0.4],
    ],
    target: [[1], [0]],
  });
  const x = net.randomParams({ seed: 1 });

  it("findChannels / jumpAlongChannel without a network: VALUE", async () => {
    for (const bad of [undefined, null, 3, "net", {}]) {
      expect(await codeOf(() => findChannels(bad as never, x))).toBe("VALUE");
      expect(await codeOf(() => jumpAlongChannel(bad as never, x, { i: 0, j: 1 }))).toBe("VALUE");
    }
  });

  it("values JSON cannot print (BigInt, BigInt64Array) still give MLPGFErrors", async () => {
    expect(await codeOf(() => channelCoordinates(net, x, 10n as never))).toBe("VALUE");
    expect(["VALUE", "SHAPE"]).toContain(await codeOf(() => fromChannelCoordinates(net, x, { i: 0, j: 1 }, { eps: 1n } as never)));
    expect(await codeOf(() => jumpAlongChannel(net, x, { i: 0, j: 1 }, 2n as never))).toBe("VALUE");
    expect(await codeOf(() => planSweep(10n as never))).toBe("OPTION");
    expect(await codeOf(() => runSweep(10n as never, "dir"))).toBe("OPTION");
  });

  it("sweep directories and options: VALUE for a dir that is not a path, OPTION for options that are not an object", async () => {
    for (const dir of [undefined, null, 3, "", {}, ["a"]]) {
      expect(await codeOf(() => collectSweep(dir as never))).toBe("VALUE");
      expect(await codeOf(() => runSweep({} as never, dir as never))).toBe("VALUE");
    }
    expect(await codeOf(() => runSweep({} as never, "dir", null as never))).toBe("OPTION");
    expect(await codeOf(() => planSweep({} as never, [] as never))).toBe("OPTION");
  });
});

describe("constructor options: an unknown key is OPTION with the closest valid name", () => {
  it("Net, TeacherNet, gaussHermiteNet", async () => {
    const { Net: N, TeacherNet, gaussHermiteNet } = await import("../../src/index.js");
    const layers = [
      [2, "tanh", true],
      [1, "identity", true],
    ] as const;
    const cases: [() => unknown, RegExp][] = [
      [
        () => new N({ layers, input: [[1, 2]], target: [[1]], wieghts: [2] } as never),
        /new Net: unknown option "wieghts"; did you mean "weights"\?/,
      ],
      [() => new N({ layers, dim: 2 } as never), /new Net: unknown option "dim"/],
      [() => new TeacherNet({ layers, din: 2, sed: 3 } as never), /new TeacherNet: unknown option "sed"; did you mean "seed"\?/],
    ];
    const teacher = new TeacherNet({ layers, din: 1, seed: 1 });
    cases.push([
      () => gaussHermiteNet(teacher, { layers }, { oder: 20 } as never),
      /gaussHermiteNet: unknown option "oder"; did you mean "order"\?/,
    ]);
    cases.push([() => gaussHermiteNet(teacher, { layers, bias: true } as never), /gaussHermiteNet \(student\): unknown option "bias"/]);
    for (const [f] of cases) expect(await codeOf(f)).toBe("OPTION");
    for (const [f, msg] of cases) expect(f).toThrow(msg);
    teacher.dispose();
  });
});
