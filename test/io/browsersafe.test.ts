import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const NODE = new Set(builtinModules);

/** Static import/export specifiers of an ES module (dynamic import() calls are not matched). */
function staticImports(code: string): string[] {
  const re = /^\s*(?:import|export)\s(?:[^"';]*?\sfrom\s)?["']([^"']+)["']/gm;
  return [...code.matchAll(re)].map((m) => m[1]);
}

/** Every file statically reachable from `entry`, and the bare package specifiers met on the way. */
function graph(entry: string): { files: Map<string, string[]>; packages: Set<string> } {
  const files = new Map<string, string[]>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop()!;
    if (files.has(f)) continue;
    const specs = staticImports(readFileSync(f, "utf8"));
    files.set(f, specs);
    for (const s of specs) {
      if (s.startsWith(".")) todo.push(resolve(dirname(f), s));
      else packages.add(s);
    }
  }
  return { files, packages };
}

describe("browser safety of the package entry", () => {
  it("dist/index.js, the trainMany worker script and everything they import statically have no node: or Node built-in imports, and no other package", () => {
    const main = graph(join(root, "dist/index.js"));
    const worker = graph(join(root, "dist/train/worker.js"));
    const files = new Map([...main.files, ...worker.files]);
    const packages = new Set([...main.packages, ...worker.packages]);
    expect(files.size).toBeGreaterThan(20);
    expect([...files.keys()].some((f) => f.endsWith("io/file.js"))).toBe(true);
    const nodeImports = [...files].flatMap(([f, specs]) =>
      specs.filter((s) => s.startsWith("node:") || NODE.has(s)).map((s) => `${f}: ${s}`),
    );
    expect(nodeImports).toEqual([]);
    // no bare specifier: a plain <script type="module"> page loads the package without an import map entry
    // for a dependency; fflate (for .npz) is imported on first use, and its browser entry (the "import"
    // condition bundlers use) is Node-free too
    expect([...packages]).toEqual([]);
    expect(readFileSync(join(root, "dist/io/npz.js"), "utf8")).toMatch(/import\("fflate"\)/);
    const pkg = JSON.parse(readFileSync(join(root, "node_modules/fflate/package.json"), "utf8"));
    const browserEntry = join(root, "node_modules/fflate", pkg.exports["."].import.default);
    const fflate = graph(browserEntry);
    expect([...fflate.packages].filter((s) => s.startsWith("node:") || NODE.has(s))).toEqual([]);
  });

  it("the matcher sees static imports and ignores dynamic ones", () => {
    expect(
      staticImports(`import { a } from "./a.js";\nexport { b } from 'node:fs';\nimport "x";\nconst m = await import("node:os");`),
    ).toEqual(["./a.js", "node:fs", "x"]);
  });
});
