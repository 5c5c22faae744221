import { describe, expect, it } from "vitest";
import { ACTIVATIONS, type Activation, type ActivationName, MLPGFError, Net, NetI, TeacherNet } from "../../src/index.js";

const input = [
  [0.1, 0.2],
  [0.3, -0.4],
];
const target = [[1], [0]];

describe("activation names", () => {
  it("names inherited from Object.prototype are not activations (Net, TeacherNet, NetI)", () => {
    for (const name of ["toString", "constructor", "__proto__", "valueOf", "hasOwnProperty", "isPrototypeOf", "__defineGetter__"]) {
      const act = name as ActivationName;
      const make = [
        () =>
          new Net({
            layers: [
              [2, act, true],
              [1, "identity", true],
            ],
            input,
            target,
          }),
        () =>
          new Net({
            layers: [
              [2, [act, "tanh"], true],
              [1, "identity", true],
            ],
            input,
            target,
          }),
        () =>
          new TeacherNet({
            layers: [
              [2, act, true],
              [1, "identity", true],
            ],
            din: 2,
            seed: 1,
          }),
        () => {
          const t = new TeacherNet({
            layers: [
              [2, "tanh", true],
              [1, "identity", true],
            ],
            din: 2,
            seed: 1,
          });
          try {
            return new NetI(t, {
              layers: [
                [2, act, true],
                [1, "identity", true],
              ],
            });
          } finally {
            t.dispose();
          }
        },
      ];
      for (const f of make) {
        let err: unknown;
        try {
          f();
        } catch (e) {
          err = e;
        }
        expect(err, name).toBeInstanceOf(MLPGFError);
        expect((err as MLPGFError).code, name).toBe("ACTIVATION");
        expect((err as MLPGFError).message).toContain(`unknown activation "${name}"`);
      }
    }
  });

  it("ACTIVATIONS lists exactly the names a Net accepts", () => {
    expect(ACTIVATIONS).toContain("softplus");
    expect(ACTIVATIONS).toContain("softmax");
    for (const a of ACTIVATIONS) {
      const out: Activation = a;
      const layers =
        a === "softmax"
          ? ([
              [2, "tanh", true],
              [2, out, true],
            ] as const)
          : ([
              [2, out, true],
              [1, "identity", true],
            ] as const);
      const net = new Net({ layers, input, target: a === "softmax" ? [0, 1] : target });
      expect(net.nparams).toBeGreaterThan(0);
      net.dispose();
    }
  });

  it("activation names are a literal union type", () => {
    const ok: ActivationName = "gelu";
    // @ts-expect-error: "swish" is not an activation name (checked by `tsc` over the tests)
    const bad: ActivationName = "swish";
    expect([ok, bad]).toHaveLength(2);
  });
});
