// Vite configuration of the browser demo (`npm run demo:browser`). The page imports the package by its
// name; the alias points that name at this repository's ESM build (dist/, made by `npm run build`),
// exactly what an installed copy of the package would provide.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const repo = fileURLToPath(new URL("../..", import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  resolve: { alias: { "mlp-gradient-flow": `${repo}dist/index.js` } },
  // dist/ lies outside the page's folder: let the dev server read it (kernels.wasm included).
  server: { host: "127.0.0.1", fs: { allow: [repo] } },
  // The training worker is an ES module (`new Worker(url, { type: "module" })`).
  worker: { format: "es" },
  // `vite build` (run by test/browser/page.test.ts) writes to the git-ignored test-output/.
  build: { outDir: `${repo}test-output/browser/demo-dist`, emptyOutDir: true, target: "es2022" },
});
