// Channels to infinity on the toy problem of Martinelli et al. (NeurIPS 2025), `node examples/channels.js`:
// a teacher σ(5x + 2.5) + σ(5x − 2.5) with σ(z) = erf(z/√2) ("sigmoid2") on one Gaussian input, and a
// 2-neuron student without biases trained on infinite data (NetI). Gradient flow runs into a channel:
// the two student neurons merge (ε → 0) while their outgoing weights diverge with opposite signs, and
// the pair becomes the gated linear unit c·σ(wx) + a·Δ·x·σ′(wx). Jumps ε ← ε/2 (plus a short relaxation)
// move along the channel without integrating for hours; the loss approaches its limit like ε² and the
// largest Hessian eigenvalue grows like 1/ε². Every stop is an ODE-time limit: same numbers everywhere.
import { NetI, TeacherNet, channelCoordinates, classifyEndpoint, hessianSpectrum, init, jumpAlongChannel, train } from "mlp-gradient-flow";

await init();
const teacher = new TeacherNet({
  layers: [
    [2, "sigmoid2", true],
    [1, "identity", false],
  ],
  din: 1,
  params: [5, 5, 2.5, -2.5, 1, 1],
});
const net = new NetI(teacher, {
  layers: [
    [2, "sigmoid2", false],
    [1, "identity", false],
  ],
});

const r = await train(net, [4, 1, 1, 1], { maxT: 1e5, maxiterationsOptim: 0 });
const end = classifyEndpoint(net, r.x, { channels: { trajectory: r.trajectory } });
console.log(`after gradient flow to t = 1e5: ${end.kind}, loss ${end.loss.toPrecision(6)}, ‖∇L‖∞ ${end.gnorm.toExponential(2)}`);
if (end.kind !== "channel") throw new Error("expected a channel");
const pair = end.channels[0];
console.log(
  `neurons ${pair.i} and ${pair.j}: ε = ${pair.eps.toPrecision(3)}, cosine distance ${pair.cosineDistance}, |a_i| + |a_j| = ${pair.outSum.toPrecision(4)}, share of the late update ${pair.lateShare.toFixed(3)}\n`,
);

console.log("     ε          w          c          a·Δ        loss          λ_max");
const rows = [];
let x = r.x;
for (let k = 0; k < 8; k++) {
  x = jumpAlongChannel(net, x, pair, 0.5); // ε ← ε/2, c, a, w, Δ kept
  x = (await train(net, x, { maxT: 1e3, maxiterationsOptim: 0 })).x; // relax c, a, w at the new ε
  const { eps, w, c, a, delta } = channelCoordinates(net, x, pair);
  const values = hessianSpectrum(net, x).values;
  const row = { eps, loss: net.loss(x), lmax: values[values.length - 1] };
  rows.push(row);
  console.log(
    `  ${eps.toExponential(3)}  ${w[0].toFixed(6)}  ${c[0].toFixed(6)}  ${(a[0] * delta[0]).toFixed(5)}  ${row.loss.toPrecision(8)}  ${row.lmax.toExponential(3)}`,
  );
}
// slopes of log(λ_max) and of log(loss(ε) − loss(ε/2)) over log ε: the loss excess ∝ ε² has differences ∝ ε² too
const slope = (xs, ys) => {
  const lx = xs.map(Math.log),
    ly = ys.map(Math.log);
  const mx = lx.reduce((s, v) => s + v) / lx.length,
    my = ly.reduce((s, v) => s + v) / ly.length;
  return lx.reduce((s, v, k) => s + (v - mx) * (ly[k] - my), 0) / lx.reduce((s, v) => s + (v - mx) ** 2, 0);
};
const d = rows.slice(0, 5);
console.log(
  `\nlog-log slopes over the jumps: loss differences ${slope(
    d.slice(0, -1).map((p) => p.eps),
    d.slice(0, -1).map((p, k) => p.loss - d[k + 1].loss),
  ).toFixed(3)} (ε²), λ_max ${slope(
    rows.map((p) => p.eps),
    rows.map((p) => p.lmax),
  ).toFixed(3)} (ε⁻²)`,
);
console.log("limit (independent 1-D computation): w ≈ 3.15043, c ≈ 2.0178, a·Δ ≈ −6.5111, loss ≈ 0.00077333");
net.dispose();
teacher.dispose();
