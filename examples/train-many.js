// Many starts at once: 6 random starts of one teacher–student problem trained in worker threads with
// trainMany (2 workers), then a table of where each run ended. The results equal sequential `train`
// runs; every run stops on iteration limits.
//
//   node examples/train-many.js
import { classifyEndpoint, gaussianInput, init, Net, TeacherNet, trainMany } from "mlp-gradient-flow";

await init();

const input = gaussianInput(500, 2, { seed: 1 });
const teacher = new TeacherNet({
  layers: [
    [3, "softplus", true],
    [1, "identity", true],
  ],
  din: 2,
  seed: 7,
});
const net = new Net({
  layers: [
    [3, "softplus", true],
    [1, "identity", true],
  ],
  input,
  target: teacher.forward(input),
});
const seeds = [1, 2, 3, 4, 5, 6];
const starts = seeds.map((seed) => net.randomParams({ seed }));
const results = await trainMany(net, starts, { maxiterationsOde: 500, maxiterationsOptim: 200 }, { workers: 2 });

console.log("seed  loss        ‖∇‖∞      endpoint");
results.forEach((r, i) => {
  const kind = r.error ? `error ${r.error.code}` : classifyEndpoint(net, r.x).kind;
  console.log(`${String(seeds[i]).padStart(4)}  ${r.loss.toExponential(3)}  ${r.gnorm.toExponential(2)}  ${kind}`);
});
net.dispose();
teacher.dispose();
