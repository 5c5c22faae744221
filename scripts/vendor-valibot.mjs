// Replaces dist/vendor/valibot.js (tsc's `export * from "valibot"`) by valibot's self-contained ES module,
// so that dist/ imports no package by name (see src/vendor/valibot.ts). Run by `npm run build:ts`.
import { copyFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const dist = dirname(createRequire(import.meta.url).resolve("valibot")); // valibot's dist/
copyFileSync(join(dist, "index.min.mjs"), new URL("../dist/vendor/valibot.js", import.meta.url));
