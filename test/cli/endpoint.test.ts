import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Net, TeacherNet, train } from "../../src/index.js";
import { analyseEndpoint, endpointVerdict } from "../../src/cli/endpoint.js";
import { inputs } from "../landscape/helpers.js";
import { runCli, tempDir, writeConfig } from "../helpers/cli.js";

const TEACHER = [1.2, -0.7, 0.4, 1.1, 0.3, -0.2, 1.0, -1.5, 0.1];
const LAYERS = [
  [2, "softplus", true],
  [1, "identity", true],
] as const;

describe("CLI verdicts from the endpoint analysis", () => {
  it("says 'teacher found' only when a known teacher is matched neuron by neuron; tolerances are stated", async () => {
    const input = inputs(200, 2, 7);
    const teacher = new TeacherNet({ layers: LAYERS, din: 2, params: TEACHER });
    const net = new Net({ layers: LAYERS, input, target: teacher.forward(input) });
    const r = await train(net, [1, -0.5, 0.5, 1, 0, 0, 0.8, -1, 0], {
      maxiterationsOde: 2000,
      maxiterationsOptim: 200,
      maxtimeOde: 600,
      maxtimeOptim: 600,
    });
    const withTeacher = analyseEndpoint(net, r.x, r.trajectory, teacher).record;
    expect(withTeacher.kind).toBe("minimum");
    expect(withTeacher.teacher?.found).toBe(true);
    const v = endpointVerdict(withTeacher, r.gnorm);
    expect(v).toMatch(/the teacher was found/);
    expect(v).toMatch(/^a minimum: no Hessian eigenvalue below −1e-10·\|λ\|max = −/);
    expect(v).toMatch(/cosine ≥ 1 − 1e-6/);
    // the same point without a known teacher: a minimum, no teacher claim
    const noTeacher = analyseEndpoint(net, r.x, r.trajectory).record;
    expect(endpointVerdict(noTeacher, r.gnorm)).not.toMatch(/teacher/);
    // a wider student at the same function is not "the teacher" neuron by neuron
    const wide = new Net({
      layers: [
        [3, "softplus", true],
        [1, "identity", true],
      ],
      input,
      target: teacher.forward(input),
    });
    const d = net.paramsToDict(r.x);
    const xw = wide.paramsFromDict({ w1: [...d.w1, [0.3, 0.2, 0.1]], w2: [[...d.w2[0].slice(0, 2), 0, d.w2[0][2]]] });
    const e = analyseEndpoint(wide, xw, [], teacher).record;
    expect(e.teacher?.found).toBe(false);
    expect(endpointVerdict(e, 0)).toMatch(/not the teacher neuron by neuron: the student's hidden widths are \[3\], the teacher's \[2\]/);
    for (const n of [net, wide, teacher]) n.dispose();
  });

  it("a saddle, a moving point and a missing analysis are worded with their tolerances", () => {
    const eigen = { min: -0.1, max: 4, negative: 1, zero: 2, positive: 5, tolerance: 1e-8, threshold: 4e-8 };
    expect(endpointVerdict({ kind: "saddle", gradient: { relative: 1e-16, tolerance: 1e-8 }, eigen, channels: [] }, 0)).toBe(
      "a saddle: 1 Hessian eigenvalue below −1e-8·|λ|max = −4.0e-8",
    );
    expect(endpointVerdict({ kind: "not-critical", gradient: { relative: 3e-5, tolerance: 1e-8 }, eigen, channels: [] }, 0)).toMatch(
      /^not yet at a critical point: ‖∇L‖∞ is 3\.0e-5 of its scale .*tolerance 1e-8/,
    );
    expect(endpointVerdict(undefined, 2e-3)).toMatch(/not classified/);
  });

  it("mlpgf train on a 3-row CSV without teacher: no teacher claim, tolerances printed", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "three.csv"), "x,y\n-1,0.5\n0,-0.2\n1,0.7\n");
    const config = writeConfig(dir, {
      layers: [
        [3, "tanh", true],
        [1, "identity", true],
      ],
      data: { kind: "file", path: "three.csv", input: ["x"], target: "y" },
      student: { seed: 1 },
      train: { maxiterationsOde: 3000, maxiterationsOptim: 300, maxtimeOde: 600, maxtimeOptim: 600 },
    });
    const run = await runCli(["train", config, "-o", join(dir, "r.json")]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/teacher/);
    expect(run.stdout).toMatch(
      /a minimum: no Hessian eigenvalue below −1e-10·\|λ\|max = −[\d.]+e-\d+ \(\d+ within ±[\d.]+e-\d+: flat directions\)/,
    );
    // the report states the same verdict and counts the eigenvalues with the same tolerance
    const rep = await runCli(["report", join(dir, "r.json"), "-o", join(dir, "r.html")]);
    expect(rep.code).toBe(0);
    const html = readFileSync(join(dir, "r.html"), "utf8");
    expect(html).toMatch(/<th>verdict<\/th><td>a minimum: no Hessian eigenvalue below −1e-10·\|λ\|max/);
    expect(html).toMatch(/10 eigenvalues, 0 negative, [1-9]\d* zero \(\|λ\| ≤ [\d.]+e-\d+\), \d+ positive/);
    expect(html).not.toMatch(/teacher/);
  });
});
