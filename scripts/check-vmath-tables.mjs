#!/usr/bin/env node
// Drift check of assembly/vmath.tables.generated.ts without Python: scripts/vmath_tables.py (mpmath) writes the
// SHA-256 of itself and of the tables into the file's header. Exit 1 when the script changed since the tables were
// generated (rerun `npm run gen:vmath`) or the tables were edited by hand.
//   node scripts/check-vmath-tables.mjs [--root DIR]
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const GENERATOR = "scripts/vmath_tables.py";
const TABLES = "assembly/vmath.tables.generated.ts";
const sha256 = (text) => createHash("sha256").update(text).digest("hex");

/** The problems found under `root` (empty when the tables are what the generator wrote). */
export function checkVmathTables(root) {
  const text = readFileSync(join(root, TABLES), "utf8");
  const m = /^(?:\/\/[^\n]*\n)*?\/\/ generator sha256: ([0-9a-f]{64})\n\/\/ tables sha256: ([0-9a-f]{64})\n\n/.exec(text);
  if (!m) return [`${TABLES}: no generator/tables hash header; regenerate with \`npm run gen:vmath\``];
  const problems = [];
  if (sha256(readFileSync(join(root, GENERATOR))) !== m[1])
    problems.push(`${GENERATOR} changed since ${TABLES} was generated: run \`npm run gen:vmath\``);
  if (sha256(text.slice(m[0].length)) !== m[2])
    problems.push(`${TABLES} was edited by hand: its tables differ from what ${GENERATOR} wrote`);
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = process.argv.indexOf("--root");
  const root = resolve(r >= 0 ? process.argv[r + 1] : join(dirname(fileURLToPath(import.meta.url)), ".."));
  const problems = checkVmathTables(root);
  for (const p of problems) console.error(p);
  process.exitCode = problems.length ? 1 : 0;
}
