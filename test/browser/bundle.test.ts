import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { expect, test } from "vitest";

const dist = fileURLToPath(new URL("../../dist/index.js", import.meta.url));

test("a Vite page importing the package (result codecs and trainMany) bundles for the browser, with the trainMany and evaluation-thread workers as their own assets", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mlpgf-vite-"));
  writeFileSync(join(dir, "index.html"), '<script type="module" src="./main.js"></script>');
  writeFileSync(
    join(dir, "main.js"),
    `import { init, trainMany, resultToNpz, resultFromJSON } from ${JSON.stringify(dist)};\nconsole.log(init, trainMany, resultToNpz, resultFromJSON);\n`,
  );
  await build({ root: dir, logLevel: "silent", build: { outDir: join(dir, "out") } });
  const assets = readdirSync(join(dir, "out/assets"));
  expect(assets.some((f) => /^worker-.*\.js$/.test(f))).toBe(true);
  expect(assets.some((f) => f.endsWith(".wasm"))).toBe(true);
  const worker = readFileSync(join(dir, "out/assets", assets.find((f) => f.startsWith("worker-"))!), "utf8");
  expect(worker).not.toMatch(/from\s*["']node:/);
  // the Web Worker of init's threads option (src/engine/webpool.ts), bundled with what it imports
  const slice = assets.find((f) => /^websliceworker-.*\.js$/.test(f));
  expect(slice).toBeDefined();
  const sliceCode = readFileSync(join(dir, "out/assets", slice!), "utf8");
  expect(sliceCode).not.toMatch(/from\s*["']node:/);
  expect(sliceCode).not.toMatch(/^import /m); // one self-contained file: no import of another chunk
});
