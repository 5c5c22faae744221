// Compiled against the built declarations (dist/*.d.ts, stripInternal) with skipLibCheck off by
// test/dts.test.ts: the public API type-checks as a user would write it, and internals are not visible.
import {
  type DifferentiableModel,
  type Matrix,
  MLPGFError,
  Net,
  NetI,
  TeacherNet,
  type TwiceDifferentiableModel,
  hessianSpectrum,
  init,
  isMLPGFError,
  train,
} from "mlp-gradient-flow";

export async function consumer(): Promise<number> {
  await init();
  const net = new Net({
    layers: [
      [2, "tanh", true],
      [1, "identity", true],
    ],
    input: [[1, 2]],
    target: [[1]],
  });
  const teacher = new TeacherNet({
    layers: [
      [2, "relu", false],
      [1, "identity", false],
    ],
    din: 2,
    seed: 1,
  });
  const student = new NetI(teacher, {
    layers: [
      [2, "relu", false],
      [1, "identity", false],
    ],
  });
  const models: DifferentiableModel[] = [net, student];
  const quadratic: TwiceDifferentiableModel = {
    nparams: 1,
    loss: (x) => x[0] ** 2,
    gradient: (x) => Float64Array.of(2 * x[0]),
    lossAndGradient: (x) => ({ loss: x[0] ** 2, gradient: Float64Array.of(2 * x[0]) }),
    hessian: (): Matrix => ({ rows: 1, cols: 1, data: Float64Array.of(2) }),
  };
  const r = await train(quadratic, [1]);
  const s = hessianSpectrum(net, net.randomParams());
  net[Symbol.dispose]();
  student.dispose();
  teacher.dispose();
  try {
    net.loss([0]);
  } catch (e) {
    if (isMLPGFError(e, "DISPOSED") && e instanceof MLPGFError) return models.length + r.loss + s.values[0];
  }
  return 0;
}
