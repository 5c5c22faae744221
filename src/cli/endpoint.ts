import type { Net } from "../api/net.js";
import type { NetI } from "../api/neti.js";
import type { TeacherNet } from "../api/teacher.js";
import { alignNeurons } from "../analysis/alignneurons.js";
import { classifyEndpoint, type EndpointKind } from "../analysis/classifyendpoint.js";

/** Incoming-weight cosine a student neuron needs with its matched teacher neuron for "teacher found". */
export const TEACHER_COSINE = 1 - 1e-6;

/**
 * Where a CLI run ended (stored in the result file as `endpoint`): the class of `classifyEndpoint`
 * with the tolerances it used, the channel pairs and, when the data came from a teacher, whether the
 * student matches it neuron by neuron.
 */
export interface EndpointRecord {
  kind: EndpointKind;
  gradient: { relative: number; tolerance: number };
  eigen: { min: number; max: number; negative: number; zero: number; positive: number; tolerance: number; threshold: number };
  channels: { layer: number; i: number; j: number; eps: number; outSum: number }[];
  /** Present when the data has a teacher. */
  teacher?: {
    /** True when the run ended at a minimum and every neuron copies its own teacher neuron (cosine ≥ `cosine`). */
    found: boolean;
    /** Why not, when not found. */
    reason?: string;
    /** Smallest cosine of the Hungarian matching (NaN when the widths differ). */
    minCosine: number;
    /** The cosine threshold. */
    cosine: number;
  };
}

/**
 * Classifies the endpoint x of a run (and compares it with the teacher when there is one). Returns
 * the record to store and the ascending Hessian eigenvalues (computed once for both).
 */
export function analyseEndpoint(
  net: Net | NetI,
  x: Float64Array,
  trajectory: readonly { x: ArrayLike<number> }[],
  teacher?: TeacherNet,
): { record: EndpointRecord; values: Float64Array } {
  const c = classifyEndpoint(net, x, { channels: { trajectory } });
  const record: EndpointRecord = {
    kind: c.kind,
    gradient: { relative: c.gradient.relative, tolerance: c.gradient.tolerance },
    eigen: c.eigen,
    channels: c.channels.map(({ layer, i, j, eps, outSum }) => ({ layer, i, j, eps, outSum })),
  };
  if (teacher) record.teacher = teacherCheck(net, x, teacher, c.kind);
  return { record, values: c.values };
}

/** Is the teacher found neuron by neuron? (Same hidden widths; Hungarian matching layer by layer.) */
function teacherCheck(net: Net | NetI, x: Float64Array, teacher: TeacherNet, kind: EndpointKind): NonNullable<EndpointRecord["teacher"]> {
  const out = (found: boolean, minCosine: number, reason?: string) => ({
    found,
    minCosine,
    cosine: TEACHER_COSINE,
    ...(reason ? { reason } : {}),
  });
  const widths = (layers: readonly (readonly [number, ...unknown[]])[]) =>
    layers
      .slice(0, -1)
      .map((l) => l[0])
      .join(", ");
  if (widths(net.layers) !== widths(teacher.layers))
    return out(false, NaN, `the student's hidden widths are [${widths(net.layers)}], the teacher's [${widths(teacher.layers)}]`);
  let minCosine = Infinity;
  for (let layer = 0; layer < net.layers.length - 1; layer++) {
    const al = alignNeurons(net, x, teacher, teacher.params, { layer, copyCosine: TEACHER_COSINE });
    minCosine = Math.min(minCosine, ...al.cosine);
  }
  if (!(minCosine >= TEACHER_COSINE))
    return out(
      false,
      minCosine,
      `the worst-matched student neuron has incoming-weight cosine ${minCosine.toPrecision(6)} with its teacher neuron (needs ≥ 1 − ${(1 - TEACHER_COSINE).toExponential(0)})`,
    );
  if (kind !== "minimum") return out(false, minCosine, "the neurons match, but the run did not end at a minimum");
  return out(true, minCosine);
}

/** The verdict sentence of a run: the endpoint class with the tolerances used, and the teacher check. */
export function endpointVerdict(e: EndpointRecord | undefined, gnorm: number): string {
  if (!e) return `not classified (no Hessian spectrum); ‖∇L‖∞ = ${gnorm.toExponential(2)}`;
  const below = `below −${e.eigen.tolerance.toExponential(0)}·|λ|max = −${e.eigen.threshold.toExponential(1)}`;
  switch (e.kind) {
    case "channel": {
      const p = e.channels[0];
      return `a channel to infinity: neurons ${p.i} and ${p.j} of hidden layer ${p.layer} merge (ε = ${p.eps.toExponential(2)}) while their outgoing weights diverge (‖a_i‖ + ‖a_j‖ = ${p.outSum.toPrecision(3)}); the loss keeps decreasing slowly along it`;
    }
    case "not-critical":
      return `not yet at a critical point: ‖∇L‖∞ is ${e.gradient.relative.toExponential(1)} of its scale |λ|max·max(1, ‖x‖∞) (tolerance ${e.gradient.tolerance.toExponential(0)}); the flow is still moving (give it more time)`;
    case "saddle":
      return `a saddle: ${e.eigen.negative} Hessian eigenvalue${e.eigen.negative === 1 ? "" : "s"} ${below}`;
    case "minimum": {
      const flat = e.eigen.zero > 0 ? ` (${e.eigen.zero} within ±${e.eigen.threshold.toExponential(1)}: flat directions)` : "";
      const base = `a minimum: no Hessian eigenvalue ${below}${flat}`;
      if (!e.teacher) return base;
      if (e.teacher.found)
        return `${base}; the teacher was found: every student neuron copies its own teacher neuron (incoming-weight cosine ≥ 1 − ${(1 - e.teacher.cosine).toExponential(0)})`;
      return `${base}; not the teacher neuron by neuron: ${e.teacher.reason}`;
    }
  }
}
