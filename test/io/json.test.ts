import { describe, expect, it } from "vitest";
import { MLPGFError, RESULT_FORMAT, resultFromJSON, resultToJSON } from "../../src/index.js";
import { awkwardResult, bitwise } from "./sample.js";

describe("result JSON", () => {
  it("round-trips a result bitwise: Float64Arrays, NaN, ±Infinity, −0, strings, layers and unknown extra fields", async () => {
    const r = await awkwardResult();
    const text = resultToJSON(r);
    const back = resultFromJSON(text);
    expect(bitwise(back)).toEqual(bitwise(r));
    expect(back.x).toBeInstanceOf(Float64Array);
    expect(back.trajectory[0].x).toBeInstanceOf(Float64Array);
    expect(Object.is(back.odeX[2], -0)).toBe(true);
    expect(back.odeLoss).toBeNaN();
    expect((back as unknown as { $weird: unknown }).$weird).toEqual({ $f64: "not an array" });
    expect((back.trajectory[3] as unknown as { wallTime: number }).wallTime).toBe(3 / 7);
    const doc = JSON.parse(text);
    expect(doc.format).toBe(RESULT_FORMAT);
    expect(doc.version).toBe(2);
    const body = doc.result.$obj; // wrapped: the result has a "$weird" key
    expect(body.odeStop).toEqual(r.odeStop);
    expect(body.evaluations).toEqual(r.evaluations);
    expect(r.evaluations.gradient).toBeGreaterThan(50);
  });

  it("rejects text that is not a result file of a known version, with a clear error", async () => {
    const r = await awkwardResult();
    delete (r as unknown as { $weird?: unknown }).$weird; // else the result is wrapped in { $obj }
    const good = JSON.parse(resultToJSON(r));
    const cases: [string, RegExp][] = [
      ["{not json", /not valid JSON/],
      [JSON.stringify({ ...good, format: "other" }), /not a result file/],
      [JSON.stringify({ ...good, version: 3 }), /version 3 is not supported/],
      [
        JSON.stringify({ ...good, result: { ...good.result, odeStop: { kind: "bored", message: "x" } } }),
        /"odeStop" must be null or \{ kind: one of minloss/,
      ],
      [JSON.stringify({ ...good, result: { ...good.result, evaluations: { loss: 1 } } }), /"evaluations" must be/],
      [JSON.stringify({ ...good, result: { ...good.result, x: [1, 2] } }), /"x" must be a Float64Array/],
      [JSON.stringify({ ...good, result: { ...good.result, trajectory: [{ t: 0 }] } }), /trajectory\[0\]/],
      [JSON.stringify({ ...good, result: { ...good.result, x: { $f64: ["nan"] } } }), /expected a number or "NaN"/],
    ];
    for (const [text, msg] of cases) {
      const e = (() => {
        try {
          resultFromJSON(text);
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(MLPGFError);
      expect((e as MLPGFError).message).toMatch(msg);
    }
  });
});
