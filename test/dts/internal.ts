// Must NOT compile (test/dts.test.ts expects one error per line marked "internal"): members tagged
// @internal are stripped from the built declarations.
import type { Net, NetI } from "mlp-gradient-flow";

export function internals(net: Net, student: NetI): unknown[] {
  return [
    net.plans, // internal
    net.loadBlock, // internal
    net.dataset, // internal
    net.withLayers, // internal
    student.plans, // internal
    student.withLayers, // internal
  ];
}
