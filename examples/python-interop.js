// Python interop: train, write the result as .npz (NPY arrays in a zip) that numpy reads directly,
// and read it back. Python (numpy only):
//
//   import json, numpy as np
//   z = np.load("teacher-student.npz")
//   x, traj, t = z["x"], z["trajectory_x"], z["trajectory_t"]   # float64: parameters, points × P, ODE times
//   meta = json.loads(z["meta.json"])["result"]                  # loss, gnorm, stop reasons, layers, ...
//   print(meta["loss"], meta["odeStoppedBy"], traj.shape)
//
// The other way round, loadResult reads files written by np.savez / np.savez_compressed with the same
// array names (and meta.json, e.g. as np.frombuffer(json.dumps(meta).encode(), np.uint8)).
//
//   node examples/python-interop.js [output.npz]
import { gaussianInput, init, loadResult, Net, saveResult, TeacherNet, train } from "mlp-gradient-flow";

await init();

const file = process.argv[2] ?? "teacher-student.npz";
const input = gaussianInput(500, 2, { seed: 1 });
const teacher = new TeacherNet({
  layers: [
    [2, "softplus", true],
    [1, "identity", true],
  ],
  din: 2,
  seed: 7,
});
const net = new Net({
  layers: [
    [2, "softplus", true],
    [1, "identity", true],
  ],
  input,
  target: teacher.forward(input),
});
const result = await train(net, net.randomParams({ seed: 2 }), { maxiterationsOde: 500, maxiterationsOptim: 100 });
await saveResult(file, result);

const back = await loadResult(file);
const same = back.x.every((v, i) => Object.is(v, result.x[i])) && back.loss === result.loss;
console.log(
  `wrote ${file}: ${result.x.length} parameters, ${result.trajectory.length} trajectory points, loss ${result.loss.toExponential(3)}`,
);
console.log(`read back: ${same ? "bitwise equal" : "DIFFERENT"}`);
if (!same) process.exitCode = 1;
net.dispose();
teacher.dispose();
