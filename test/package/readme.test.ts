/**
 * Docs that run: every ```js / ```ts block of README.md is executed, as written, against the packed
 * and installed package (test/helpers/packed.ts), each in a folder of its own (an ES module project).
 * A block that throws or exits non-zero fails its test. Other blocks (shell, JSON, Python, HTML) must
 * say how they are covered, with a marker on the line before the fence:
 *
 * - `<!-- doc-test: not run (why) -->`: not executed (shell commands, Python, a browser page);
 * - `<!-- doc-test: same as PATH -->`: a JSON block equal to the repository file PATH;
 * - `<!-- doc-test: file NAME -->`: written as NAME into the folder of every later block, not run
 *   (e.g. a Web Worker's script);
 * - `<!-- doc-test: web-worker -->`: run with Node stand-ins for `Worker`, `onmessage` and
 *   `postMessage` (test/helpers/webworkershim.mjs), so a page/worker pair runs in Node;
 * - `<!-- doc-test: fails (known bug) -->`: a block that fails today because of a known bug: run,
 *   and the test passes only while it fails (`it.fails`), so the fix turns it red until the marker goes.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { installedProject, REPO } from "../helpers/packed.js";

/** One fenced block of the README. */
interface Block {
  lang: string;
  code: string;
  line: number;
  marker: string | undefined;
}

const MARKER = /^\s*<!--\s*doc-test:\s*(.*?)\s*-->\s*$/;

/** The fenced code blocks of a Markdown text (indented ones inside list items too). */
function codeBlocks(markdown: string): Block[] {
  const lines = markdown.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) end++;
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === "") before--;
    blocks.push({
      lang: open[2]!,
      code:
        lines
          .slice(i + 1, end)
          .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
          .join("\n") + "\n",
      line: i + 1,
      marker: before >= 0 ? MARKER.exec(lines[before]!)?.[1] : undefined,
    });
    i = end;
  }
  return blocks;
}

const RUNNABLE = new Set(["js", "javascript", "mjs", "ts", "typescript"]);
const blocks = codeBlocks(readFileSync(join(REPO, "README.md"), "utf8"));
const TIMEOUT_MS = 120_000; // a guard against a hanging block, not a speed test

let project: string;
beforeAll(async () => {
  project = await installedProject();
  rmSync(join(project, "readme"), { recursive: true, force: true });
});

/** Files that "file NAME" blocks before block `index` define. */
function filesBefore(index: number): [string, string][] {
  return blocks.slice(0, index).flatMap((b) => {
    const m = /^file (\S+)$/.exec(b.marker ?? "");
    return m ? [[m[1]!, b.code] as [string, string]] : [];
  });
}

function run(index: number): string {
  const b = blocks[index]!;
  const dir = join(project, "readme", `line-${b.line}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  for (const [name, code] of filesBefore(index)) writeFileSync(join(dir, name), code);
  const args: string[] = [];
  let file = join(dir, "block.js");
  if (b.lang === "ts" || b.lang === "typescript") {
    file = join(dir, "block.ts");
    writeFileSync(file, b.code);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "nodenext",
          target: "es2022",
          skipLibCheck: true,
          types: ["node"],
          typeRoots: [join(REPO, "node_modules", "@types")],
        },
        files: ["block.ts"],
      }),
    );
    execFileSync(process.execPath, [join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { cwd: dir, encoding: "utf8" });
  } else {
    writeFileSync(file, b.code);
  }
  if (b.marker === "web-worker") {
    copyFileSync(join(REPO, "test", "helpers", "webworkershim.mjs"), join(dir, "webworkershim.mjs"));
    args.push("--import", "./webworkershim.mjs");
  }
  try {
    return execFileSync(process.execPath, [...args, file], {
      cwd: dir,
      encoding: "utf8",
      timeout: TIMEOUT_MS,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `README.md line ${b.line}: the block failed\n--- stderr\n${err.stderr ?? ""}\n--- stdout\n${err.stdout ?? ""}\n${err.message}`,
    );
  }
}

describe("README.md code blocks run as written against the installed package", () => {
  it("has code blocks, and every block that is not run says why", () => {
    expect(blocks.filter((b) => RUNNABLE.has(b.lang)).length).toBeGreaterThan(5);
    const unexplained = blocks
      .filter((b) => !RUNNABLE.has(b.lang) && b.marker === undefined)
      .map((b) => `line ${b.line} (${b.lang || "no language"})`);
    expect(unexplained, "blocks without a <!-- doc-test: … --> marker").toEqual([]);
    const skippedCode = blocks.filter((b) => RUNNABLE.has(b.lang) && b.marker?.startsWith("not run")).map((b) => `line ${b.line}`);
    expect(skippedCode, "JavaScript/TypeScript blocks must run").toEqual([]);
    const unknown = blocks.filter(
      (b) => b.marker !== undefined && !/^(not run \(.+\)|same as \S+|file \S+|web-worker|fails \(.+\))$/.test(b.marker),
    );
    expect(unknown.map((b) => `line ${b.line}: ${b.marker}`)).toEqual([]);
  });

  for (const [index, b] of blocks.entries()) {
    if (b.marker?.startsWith("same as ")) {
      it(`line ${b.line}: the ${b.lang} block equals ${b.marker.slice(8)}`, () => {
        const file = readFileSync(join(REPO, b.marker!.slice(8)), "utf8");
        expect(JSON.parse(b.code)).toEqual(JSON.parse(file));
      });
    } else if (RUNNABLE.has(b.lang) && !b.marker?.startsWith("file ") && !b.marker?.startsWith("not run")) {
      const known = b.marker?.startsWith("fails ");
      (known ? it.fails : it)(
        `line ${b.line}: the ${b.lang} block ${known ? `still fails: ${b.marker}` : "runs"}${b.marker === "web-worker" ? " (page and Web Worker)" : ""}`,
        () => {
          run(index);
        },
        TIMEOUT_MS + 10_000,
      );
    }
  }
});
