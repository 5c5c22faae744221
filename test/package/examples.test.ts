/**
 * Every script in examples/ runs, as shipped, from the installed package
 * (node_modules/mlp-gradient-flow/examples, test/helpers/packed.ts) and prints what its header promises.
 * examples/channels.js is run by test/analysis/example.test.ts.
 */
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { installedProject, REPO, runNode } from "../helpers/packed.js";

/** What each example must print (a line per check); every script in examples/ must be listed here. */
const CHECKS: Record<string, RegExp[]> = {
  "teacher-student.js": [
    /student with 2 neurons .*loss .* → /,
    /student with 3 neurons .*; (minimum|saddle|channel|not-critical) /,
    /student with 5 neurons/,
  ],
  "neti-copy-average.js": [
    /2-neuron student: loss \S+, .*minimum/,
    /copy with γ = 0\.5: loss .* \(same\).*saddle/,
    /merged back: max \|Δx\| = 0\.0e\+0/,
  ],
  "landscape-slice.js": [/loss on the plane:/, /loss minimised over the complement:/, /^ +0\.00 .* 0\.0e\+0 /m],
  "train-many.js": [/seed {2}loss/, /^ {3}6 {2}\S+ {2}\S+ {2}\S+/m],
  "python-interop.js": [/wrote out\.npz: 9 parameters/, /read back: bitwise equal/],
};
/** Scripts run elsewhere: the demo (see above) and channels.js (test/analysis/example.test.ts checks its numbers). */
const NOT_RUN = new Set(["channels.js"]);

let project: string;
beforeAll(async () => {
  project = await installedProject();
});

describe("examples/*.js run from the installed package", () => {
  it("every example script has a check", () => {
    const scripts = readdirSync(join(REPO, "examples")).filter((f) => f.endsWith(".js") && !NOT_RUN.has(f));
    expect(scripts.sort()).toEqual(Object.keys(CHECKS).sort());
  });

  for (const [script, patterns] of Object.entries(CHECKS)) {
    it(script, () => {
      const cwd = join(project, "examples-run", script.replace(/\.js$/, ""));
      mkdirSync(cwd, { recursive: true });
      const file = join(project, "node_modules", "mlp-gradient-flow", "examples", script);
      const out = runNode(file, cwd, script === "python-interop.js" ? ["out.npz"] : []);
      for (const p of patterns) expect(out).toMatch(p);
    });
  }
});
