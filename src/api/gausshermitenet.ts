import { MLPGFError } from "../errors.js";
import { GH_ORDER, GH_THRESHOLD, gaussHermiteRule } from "../engine/gaussian.js";
import { getEngine } from "../engine/kernels.js";
import { show } from "../util/show.js";
import type { LayerSpec } from "./layers.js";
import { describe } from "./matrix.js";
import { Net } from "./net.js";
import type { TeacherNet } from "./teacher.js";
import { parseOptions } from "../options/parse.js";
import { GaussHermiteOptionsSchema, StudentLayersSchema } from "../options/network.js";

/** Options of {@link gaussHermiteNet}. */
export interface GaussHermiteOptions {
  /** Points of the 1-D rule before pruning (default 600). */
  order?: number;
  /** 1-D nodes with weight below this are dropped (default 1e-18). */
  threshold?: number;
}

/** Largest input dimension accepted (the node count grows like 136^D). */
const MAX_DIN = 3;

/**
 * A `Net` whose samples are the tensor-product Gauss–Hermite nodes of N(0, I_D), with sample weights
 * such that its (mean) loss equals the Gaussian expectation E[(student − teacher)²]. Nodes whose
 * product weight is below max(threshold, min(w)·max(w)^(D−1)) are pruned (as the original): ≈136 nodes for D = 1,
 * ≈13,400 for D = 2; D = 3 (≈10⁶ nodes) works with a warning; larger D is refused.
 */
export function gaussHermiteNet(teacher: TeacherNet, opts: { layers: readonly LayerSpec[] }, gh: GaussHermiteOptions = {}): Net {
  if (!teacher || typeof teacher.forward !== "function" || !Number.isInteger(teacher.din))
    throw new MLPGFError("VALUE", `gaussHermiteNet: the first argument must be a TeacherNet, got ${describe(teacher)}`);
  if (!opts || typeof opts !== "object")
    throw new MLPGFError(
      "VALUE",
      `gaussHermiteNet: expected (teacher, { layers }, { order?, threshold }?), got ${describe(opts)} as the second argument`,
    );
  if (!gh || typeof gh !== "object")
    throw new MLPGFError("VALUE", `gaussHermiteNet: the options { order?, threshold? } must be an object, got ${describe(gh)}`);
  const student = parseOptions(StudentLayersSchema, opts, "gaussHermiteNet (student)");
  const ghOpts = parseOptions(GaussHermiteOptionsSchema, gh, "gaussHermiteNet") as GaussHermiteOptions;
  const D = teacher.din;
  if (D > MAX_DIN)
    throw new MLPGFError(
      "SHAPE",
      `gaussHermiteNet: input dimension ${D} > ${MAX_DIN} needs too many nodes (≈136^D); use NetI or sampled data`,
    );
  const order = ghOpts.order ?? GH_ORDER;
  if (!Number.isInteger(order) || order < 2 || order > 4000)
    throw new MLPGFError("VALUE", `gaussHermiteNet: order must be an integer in 2..4000, got ${show(order)}`);
  const threshold = ghOpts.threshold ?? GH_THRESHOLD;
  if (typeof threshold !== "number" || !(threshold >= 0 && threshold < 1))
    throw new MLPGFError("VALUE", `gaussHermiteNet: threshold must be a number in [0, 1), got ${show(threshold)}`);
  const { x, w } = gaussHermiteRule(getEngine(), order, threshold);
  let wmax = 0;
  let wmin = Infinity;
  for (const v of w) {
    wmax = Math.max(wmax, v);
    wmin = Math.min(wmin, v);
  }
  const cut = Math.max(threshold, wmin * wmax ** (D - 1));
  const input: number[][] = [];
  const weights: number[] = [];
  const walk = (prefix: number[], pw: number): void => {
    if (prefix.length === D) {
      if (pw >= cut) {
        input.push(prefix);
        weights.push(pw);
      }
      return;
    }
    for (let i = 0; i < x.length; i++) {
      const q = pw * w[i];
      if (q * wmax ** (D - prefix.length - 1) >= cut) walk([...prefix, x[i]], q);
    }
  };
  walk([], 1);
  if (D === 3) console.warn(`gaussHermiteNet: ${input.length} nodes in 3 dimensions; expect slow evaluations`);
  const n = input.length;
  return new Net({ layers: student.layers as LayerSpec[], input, target: teacher.forward(input), weights: weights.map((v) => v * n) });
}
