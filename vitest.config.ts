import { configDefaults, defineConfig } from "vitest/config";
import { findChromium } from "./test/helpers/findchromium.js";

// Every test file runs twice: against the optimised release kernels and against the checked debug
// build (assertions on). test/setup.ts loads the build named by MLPGF_BUILD. The real-browser tests
// (test/browser) load the package in Chromium, the CLI tests (test/cli) spawn dist/cli/main.js, and the
// package tests (test/package) install the packed package, which loads the release kernels: for
// these the build switch has no meaning, so they run in release only.
//
// The browser tests need a Chromium (test/helpers/findchromium.ts: the one shipped in the npm package
// @sparticuz/chromium, or CHROMIUM_PATH, or Debian's). Where there is none they are left out with one
// line saying so — except under CI=true (.ci/run), where they run and fail: CI must run them.
const chromium = findChromium(import.meta.dirname);
const ci = process.env.CI !== undefined && !["", "0", "false"].includes(process.env.CI);
const skipBrowser = !chromium.found && !ci;
// The config is evaluated once per project: say it once.
const said = globalThis as { mlpgfChromiumNote?: boolean };
if (!chromium.found && said.mlpgfChromiumNote !== true) {
  said.mlpgfChromiumNote = true;
  console.warn(
    skipBrowser
      ? `browser tests (test/browser) NOT RUN: no Chromium (${chromium.reason}); see README "Tests"`
      : `browser tests will fail: no Chromium (${chromium.reason}) and CI requires them`,
  );
}
const browserEnv: Record<string, string> = chromium.found
  ? { CHROMIUM_PATH: chromium.path, CHROMIUM_LIBRARY_PATH: chromium.libraryPath ?? "" }
  : { CHROMIUM_PATH: "" };

export default defineConfig({
  test: {
    setupFiles: ["test/setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // `npm run coverage`: the TypeScript sources (the kernels are WebAssembly, outside v8's JS coverage)
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      exclude: ["src/**/*.generated.ts"],
      reporter: ["text-summary", "json-summary", "html"],
      reportsDirectory: "coverage",
      reportOnFailure: true,
    },
    projects: [
      {
        extends: true,
        test: {
          name: "release",
          env: { MLPGF_BUILD: "release", ...browserEnv },
          exclude: skipBrowser ? [...configDefaults.exclude, "test/browser/**"] : configDefaults.exclude,
        },
      },
      {
        extends: true,
        test: {
          name: "debug",
          env: { MLPGF_BUILD: "debug" },
          exclude: [...configDefaults.exclude, "test/browser/**", "test/cli/**", "test/package/**", "test/dts.test.ts"],
        },
      },
    ],
  },
});
