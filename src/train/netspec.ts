import { MLPGFError } from "../errors.js";
import type { NormalizedLayer } from "../api/layers.js";
import { matrix } from "../api/matrix.js";
import { Net } from "../api/net.js";
import { NetI } from "../api/neti.js";
import { TeacherNet } from "../api/teacher.js";
import type { TwiceDifferentiableModel } from "../model.js";

/**
 * A network as plain, structured-cloneable data, from which a worker rebuilds it: the layers and
 * data of a `Net` (row-major input and target, sample weights), or the teacher and student layers of
 * a `NetI`.
 */
export type NetSpec =
  | {
      kind: "net";
      layers: NormalizedLayer[];
      din: number;
      n: number;
      input: Float64Array;
      target: Float64Array;
      dout: number;
      weights: Float64Array | null;
    }
  | {
      kind: "neti";
      teacher: { layers: NormalizedLayer[]; din: number; params: Float64Array };
      layers: NormalizedLayer[];
      quadratureOrder: number | undefined;
    };

/** The description of `net` (copies of its arrays). @throws MLPGFError `VALUE` for networks that cannot be described, `DISPOSED` for a disposed one. */
export function describeNet(net: TwiceDifferentiableModel): NetSpec {
  if ((net as { disposed?: unknown } | null)?.disposed === true)
    throw new MLPGFError("DISPOSED", "trainMany: the network was disposed: create a new one");
  if (net instanceof Net) {
    const d = net.dataset;
    if (!d) throw new MLPGFError("SHAPE", "trainMany: the network has no data: construct it with input and target");
    return {
      kind: "net",
      layers: clone(net.layers),
      din: net.din,
      n: d.n,
      input: d.input.slice(),
      target: d.target.slice(),
      dout: net.dout,
      weights: d.weights?.slice() ?? null,
    };
  }
  if (net instanceof NetI) {
    const t = net.teacher;
    return {
      kind: "neti",
      teacher: { layers: clone(t.layers), din: t.din, params: t.params.slice() },
      layers: clone(net.layers),
      quadratureOrder: net.quadratureOrder,
    };
  }
  throw new MLPGFError("VALUE", "trainMany: the network must be a Net or a NetI (others cannot be rebuilt in a worker)");
}

/** Rebuilds a network from {@link describeNet}'s description (the engine must be loaded). Dispose it after use. */
export function buildNet(s: NetSpec): { net: TwiceDifferentiableModel; dispose(): void } {
  if (s.kind === "net") {
    const net = new Net({
      layers: s.layers,
      input: matrix(s.n, s.din, s.input),
      target: matrix(s.n, s.dout, s.target),
      weights: s.weights ?? undefined,
    });
    return { net, dispose: () => net.dispose() };
  }
  const teacher = new TeacherNet({ layers: s.teacher.layers, din: s.teacher.din, params: s.teacher.params });
  const net = new NetI(teacher, { layers: s.layers, quadratureOrder: s.quadratureOrder });
  return {
    net,
    dispose: () => {
      net.dispose();
      teacher.dispose();
    },
  };
}

function clone(layers: readonly NormalizedLayer[]): NormalizedLayer[] {
  return layers.map(([k, a, b]) => [k, Array.isArray(a) ? [...a] : a, b] as NormalizedLayer);
}
