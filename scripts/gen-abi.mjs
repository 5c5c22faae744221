#!/usr/bin/env node
// Generates the kernel ABI from the AssemblyScript sources (one source for both sides):
//   src/engine/abi.generated.ts   typed exports of kernels.wasm, descriptor layout constants, activation ids, ABI_VERSION
//   assembly/abi.generated.ts     abiVersion(): the same ABI_VERSION, exported by kernels.wasm and checked by init()
// The exports are the functions that assembly/index.ts re-exports (new kernels are picked up without edits here);
// the constants are the `export const NAME: i32 = <integer>` lines of assembly/layout.ts and assembly/activation.ts.
// ABI_VERSION is a 31-bit hash of the export signatures (AssemblyScript types) and the constants.
//
//   node scripts/gen-abi.mjs            write both files
//   node scripts/gen-abi.mjs --check    exit 1 when a file differs from what the sources give (drift)
//   --root DIR                          work on a copy of the repository (the drift test uses it)
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const SCRIPT = "scripts/gen-abi.mjs";
const ENTRY = "assembly/index.ts";
const CONSTANT_SOURCES = ["assembly/layout.ts", "assembly/activation.ts"];
const TS_OUT = "src/engine/abi.generated.ts";
const AS_OUT = "assembly/abi.generated.ts";

/** JavaScript type of a parameter / result of each AssemblyScript value type at the wasm boundary. */
const PARAM_TYPES = {
  i8: "number",
  u8: "number",
  i16: "number",
  u16: "number",
  i32: "number",
  u32: "number",
  isize: "number",
  usize: "number",
  f32: "number",
  f64: "number",
  i64: "bigint",
  u64: "bigint",
  bool: "boolean | number",
  void: "void",
};
const RESULT_TYPES = { ...PARAM_TYPES, bool: "number" }; // a returned bool arrives as the i32 0 or 1

function parse(root, file) {
  const path = join(root, file);
  if (!existsSync(path)) throw new Error(`${file}: not found`);
  return ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

const isExported = (node) => (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** The exported names of the entry and the function each one is: [exported name, local name, file]. */
function entryExports(root) {
  const out = [];
  const entry = parse(root, ENTRY);
  for (const st of entry.statements) {
    if (ts.isExportDeclaration(st)) {
      if (!st.moduleSpecifier || !st.exportClause || !ts.isNamedExports(st.exportClause)) {
        throw new Error(`${ENTRY}: only \`export { a, b } from "./file"\` and \`export function\` are supported (${st.getText()})`);
      }
      const file = `${join(dirname(ENTRY), st.moduleSpecifier.text)}.ts`;
      for (const el of st.exportClause.elements) out.push([el.name.text, (el.propertyName ?? el.name).text, file]);
    } else if (ts.isFunctionDeclaration(st) && isExported(st)) {
      out.push([st.name.text, st.name.text, ENTRY]);
    }
  }
  return out;
}

function asType(node, where) {
  const t = node?.getText() ?? "void";
  if (!(t in PARAM_TYPES))
    throw new Error(`${where}: type ${t} cannot cross the wasm boundary (expected ${Object.keys(PARAM_TYPES).join(", ")})`);
  return t;
}

/** Signature of the exported function `name` of `file`: parameter names and types, result type, doc comment. */
function signature(root, exported, name, file) {
  const src = parse(root, file);
  const fn = src.statements.find((s) => ts.isFunctionDeclaration(s) && s.name?.text === name && isExported(s));
  if (!fn) throw new Error(`${file}: no exported function ${name} (re-exported by ${ENTRY} as ${exported})`);
  const params = fn.parameters.map((p) => ({ name: p.name.getText(), type: asType(p.type, `${file}: ${name}(${p.name.getText()})`) }));
  const doc = ts
    .getJSDocCommentsAndTags(fn)
    .map((d) => (typeof d.comment === "string" ? d.comment : ""))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
  return { name: exported, params, result: asType(fn.type, `${file}: ${name}() result`), file, doc };
}

/** `export const NAME: i32 = <integer>` declarations of a file, in source order. */
function constants(root, file) {
  const out = [];
  for (const st of parse(root, file).statements) {
    if (!ts.isVariableStatement(st) || !isExported(st)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer;
      const negative = init && ts.isPrefixUnaryExpression(init) && init.operator === ts.SyntaxKind.MinusToken;
      const lit = negative ? init.operand : init;
      if (d.type?.getText() !== "i32" || !lit || !ts.isNumericLiteral(lit)) continue;
      const text = st.getSourceFile().text;
      const trailing = ts.getTrailingCommentRanges(text, st.end) ?? [];
      const doc = trailing.map((c) => text.slice(c.pos + 2, c.end).trim()).join(" ");
      out.push({ name: d.name.getText(), value: (negative ? -1 : 1) * Number(lit.text), file, doc });
    }
  }
  return out;
}

/** The ABI read from the sources under `root`. */
export function readAbi(root) {
  const fns = entryExports(root)
    .filter(([exported]) => exported !== "abiVersion")
    .map(([exported, name, file]) => signature(root, exported, name, file));
  const consts = CONSTANT_SOURCES.flatMap((f) => constants(root, f));
  const seen = new Set();
  for (const c of consts) {
    if (seen.has(c.name)) throw new Error(`constant ${c.name} is defined twice (${CONSTANT_SOURCES.join(", ")})`);
    seen.add(c.name);
  }
  const canonical = JSON.stringify({
    exports: [...fns].sort((a, b) => (a.name < b.name ? -1 : 1)).map((f) => [f.name, f.params.map((p) => p.type), f.result]),
    constants: [...consts].sort((a, b) => (a.name < b.name ? -1 : 1)).map((c) => [c.name, c.value]),
  });
  const version = Number.parseInt(createHash("sha256").update(canonical).digest("hex").slice(0, 8), 16) & 0x7fffffff;
  return { fns, consts, version };
}

const hex = (v) => `0x${v.toString(16).padStart(8, "0")}`;

function header(comment) {
  return [
    `${comment} GENERATED by ${SCRIPT} from ${ENTRY} and ${CONSTANT_SOURCES.join(", ")}: do not edit.`,
    `${comment} Regenerate with \`npm run gen\` (after a merge conflict too); \`npm run check:gen\` fails on drift.`,
  ];
}

function tsModule({ fns, consts, version }) {
  const L = [...header("//"), ""];
  L.push(
    "/** Version of the kernel ABI: a hash of the export signatures and constants below; `kernels.wasm` exports it as `abiVersion()`. */",
    `export const ABI_VERSION = ${hex(version)};`,
    "",
    "/** The exports of `kernels.wasm`: pointers (byte addresses into `memory`) and scalars only. */",
    "export interface KernelExports {",
    "  readonly memory: WebAssembly.Memory;",
    "  /** The ABI version compiled into the module (see {@link ABI_VERSION}). */",
    "  abiVersion(): number;",
  );
  for (const f of fns) {
    const asSig = `${f.name}(${f.params.map((p) => `${p.name}: ${p.type}`).join(", ")}): ${f.result}`;
    L.push(`  /** ${f.doc ? `${f.doc.replace(/\*\//g, "*\\/")} ` : ""}\`${asSig}\` (${f.file}) */`);
    L.push(`  ${f.name}(${f.params.map((p) => `${p.name}: ${PARAM_TYPES[p.type]}`).join(", ")}): ${RESULT_TYPES[f.result]};`);
  }
  L.push("}", "", "/** Names of the function exports of {@link KernelExports} (init() checks that the module has them all). */");
  L.push(
    `export const KERNEL_FUNCTIONS: readonly (keyof KernelExports)[] = [${["abiVersion", ...fns.map((f) => f.name)].map((n) => `"${n}"`).join(", ")}];`,
  );
  let file = "";
  for (const c of consts) {
    if (c.file !== file) L.push("", `// ${c.file}`);
    file = c.file;
    if (c.doc) L.push(`/** ${c.doc.replace(/\*\//g, "*\\/")} */`);
    L.push(`export const ${c.name} = ${c.value};`);
  }
  // Constants sharing a prefix (H_LAYERS, H_NSAMPLES, …) also form one object: H.LAYERS, H.NSAMPLES, …
  const groups = new Map();
  for (const c of consts) {
    const m = /^([A-Z0-9]+)_(\w+)$/.exec(c.name);
    if (m) groups.set(m[1], [...(groups.get(m[1]) ?? []), [m[2], c.name]]);
  }
  for (const [prefix, members] of groups) {
    if (members.length < 2) continue;
    L.push("", `/** The \`${prefix}_*\` constants by their suffix. */`, `export const ${prefix} = {`);
    for (const [key, name] of members) L.push(`  ${key}: ${name},`);
    L.push("} as const;");
  }
  return `${L.join("\n")}\n`;
}

function asModule({ version }) {
  return [
    ...header("//"),
    "",
    "/** Version of the kernel ABI (a hash of the export signatures and constants); `init()` compares it with its own. */",
    `export function abiVersion(): i32 {`,
    `  return ${hex(version)};`,
    "}",
    "",
  ].join("\n");
}

/** Both generated files as [path relative to the root, text]. */
export function generate(root) {
  const abi = readAbi(root);
  return [
    [TS_OUT, tsModule(abi)],
    [AS_OUT, asModule(abi)],
  ];
}

function main(argv) {
  const check = argv.includes("--check");
  const r = argv.indexOf("--root");
  const root = resolve(r >= 0 ? argv[r + 1] : join(dirname(fileURLToPath(import.meta.url)), ".."));
  let drift = 0;
  for (const [file, text] of generate(root)) {
    const path = join(root, file);
    const old = existsSync(path) ? readFileSync(path, "utf8") : null;
    if (old === text) continue;
    if (check) {
      console.error(
        `${relative(process.cwd(), path) || path}: differs from what ${SCRIPT} generates from the AssemblyScript sources; run \`npm run gen\``,
      );
      drift++;
    } else {
      writeFileSync(path, text);
      console.log(`wrote ${file}`);
    }
  }
  return drift ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`${SCRIPT}: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
  }
}
