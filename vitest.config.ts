import { configDefaults, defineConfig } from "vitest/config";

// Every test file runs twice: against the optimised release kernels and against the checked debug
// build (assertions on). test/setup.ts loads the build named by MLPGF_BUILD. The real-browser tests
// (test/browser) load the package in Chromium, and the CLI tests (test/cli) spawn dist/cli/main.js, which
// loads the release kernels: for both the build switch has no meaning, so they run in release only.
export default defineConfig({
  test: {
    setupFiles: ["test/setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: "release", env: { MLPGF_BUILD: "release" } } },
      {
        extends: true,
        test: {
          name: "debug",
          env: { MLPGF_BUILD: "debug" },
          exclude: [...configDefaults.exclude, "test/browser/**", "test/cli/**"],
        },
      },
    ],
  },
});
