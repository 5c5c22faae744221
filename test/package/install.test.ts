/**
 * The packed package installed into a clean project (test/helpers/packed.ts) and used as a user would:
 * from an ES module, from CommonJS (`require` of the ES package, Node ≥ 20.19), from a strict
 * `nodenext` TypeScript project (typechecked by the repository's tsc, then run), and through its `bin`.
 * Every program computes the loss of a network whose value is known by hand: identity layers, one
 * sample x = 2, target 1, weights 3 and 0.5 → output 0.5·3·2 = 3, loss (3 − 1)² = 4.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { installedProject, REPO, runNode } from "../helpers/packed.js";

/** The program every consumer runs, in its module system's words. */
const BODY = `
  await init();
  const net = new Net({ layers: [[1, "identity", false], [1, "identity", false]], input: [[2]], target: [[1]] });
  console.log(JSON.stringify({ loss: net.loss(params([[[[3]], false], [[[0.5]], false]])), nparams: net.nparams }));
  net.dispose();
`;
const EXPECTED = { loss: 4, nparams: 2 };

let project: string;
let dir: string;
beforeAll(async () => {
  project = await installedProject();
  dir = join(project, "install-test");
  mkdirSync(dir, { recursive: true });
});

describe("the packed package, installed into a clean project", () => {
  it("ships the release kernels, the example config, LICENSE and CHANGELOG, and not the debug kernels", () => {
    const pkg = join(project, "node_modules", "mlp-gradient-flow");
    for (const f of [
      "dist/index.js",
      "dist/index.d.ts",
      "dist/kernels.wasm",
      "dist/kernels.relaxed.wasm",
      "examples/teacher-student.json",
      "LICENSE",
      "CHANGELOG.md",
      "README.md",
    ]) {
      expect(existsSync(join(pkg, f)), f).toBe(true);
    }
    expect(existsSync(join(pkg, "dist/kernels.debug.wasm"))).toBe(false);
    expect(existsSync(join(pkg, "dist/kernels.debug.wasm.map"))).toBe(false);
    expect(readFileSync(join(pkg, "LICENSE"), "utf8")).toMatch(/^MIT License/);
    expect(JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).license).toBe("MIT");
  });

  it("works from an ES module", () => {
    const file = join(dir, "esm.mjs");
    writeFileSync(file, `import { init, Net, params } from "mlp-gradient-flow";\n${BODY}`);
    expect(JSON.parse(runNode(file, dir))).toEqual(EXPECTED);
  });

  it("works from CommonJS with require() (Node ≥ 20.19 loads the ES package)", () => {
    const file = join(dir, "cjs.cjs");
    writeFileSync(file, `const { init, Net, params } = require("mlp-gradient-flow");\n(async () => {${BODY}})();`);
    expect(JSON.parse(runNode(file, dir))).toEqual(EXPECTED);
  });

  it("typechecks in a strict nodenext TypeScript project (ESM and CommonJS files) and runs", () => {
    const ts = join(dir, "ts");
    mkdirSync(ts, { recursive: true });
    writeFileSync(
      join(ts, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          outDir: "out",
          skipLibCheck: false,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          verbatimModuleSyntax: true,
          // The package's own .d.ts files are checked (skipLibCheck false) against the standard and DOM
          // libraries alone: a consumer needs no @types/node for them, only `Symbol.dispose` (the
          // networks are Disposable), from "esnext.disposable" as the README says (or @types/node).
          // (Checking TypeScript's own lib files is skipped: that is TypeScript's business, and slow.)
          lib: ["es2022", "dom", "esnext.disposable"],
          types: [],
          skipDefaultLibCheck: true,
        },
        files: ["main.mts", "main.cts"],
      }),
    );
    // Types used by name, so that a missing or renamed export fails the typecheck.
    const typed = `
  const layers: LayerSpec[] = [[1, "identity", false], [1, "identity", false]];
  const err: unknown = new MLPGFError("VALUE", "x");
  if (!(err instanceof MLPGFError)) throw new Error("MLPGFError");`;
    writeFileSync(
      join(ts, "main.mts"),
      `import { init, Net, params, MLPGFError, type LayerSpec } from "mlp-gradient-flow";\n${typed}\n${BODY}`,
    );
    writeFileSync(
      join(ts, "main.cts"),
      `import mlpgf = require("mlp-gradient-flow");\nconst { init, Net, params, MLPGFError } = mlpgf;\ntype LayerSpec = mlpgf.LayerSpec;\n(async () => {${typed}\n${BODY}})();`,
    );
    try {
      execFileSync(process.execPath, [join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", ts], { cwd: ts, encoding: "utf8" });
    } catch (e) {
      throw new Error(`tsc found errors:\n${(e as { stdout: string }).stdout}`);
    }
    expect(JSON.parse(runNode(join(ts, "out", "main.mjs"), ts))).toEqual(EXPECTED);
    expect(JSON.parse(runNode(join(ts, "out", "main.cjs"), ts))).toEqual(EXPECTED);
  });

  it("installs the mlpgf command: --version, and train --help names a config the package ships", () => {
    const bin = join(project, "node_modules", ".bin", "mlpgf");
    const version = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version as string;
    expect(execFileSync(bin, ["--version"], { cwd: project, encoding: "utf8" }).trim()).toBe(version);
    const help = execFileSync(bin, ["train", "--help"], { cwd: project, encoding: "utf8" });
    const named = /examples\/[\w-]+\.json/.exec(help)?.[0];
    expect(named).toBeDefined();
    expect(existsSync(join(project, "node_modules", "mlp-gradient-flow", named!))).toBe(true);
  });
});
