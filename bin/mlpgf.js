#!/usr/bin/env node
// The `mlpgf` command (package "bin"): runs the built CLI in dist/cli/main.js (`npm run build` first).
import { existsSync } from "node:fs";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  console.error("mlpgf: dist/cli/main.js is missing; run `npm run build` first");
  process.exit(2);
}
await import(main.href);
