/**
 * Headless Chromium for the real-browser tests, driven by playwright-core through `executablePath` (no
 * browser download). Which Chromium is decided once per run by vitest.config.ts (see findchromium.ts)
 * and passed in `CHROMIUM_PATH` and `CHROMIUM_LIBRARY_PATH` (libraries the packaged browser brings).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

/** The Chromium found by vitest.config.ts. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "";
/** Folder of the shared libraries the packaged Chromium needs (empty for a system Chromium). */
const CHROMIUM_LIBRARY_PATH = process.env.CHROMIUM_LIBRARY_PATH ?? "";

/** Flags for a closed-network sandbox: no GPU, no background connections, no first-run UI. */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches headless Chromium with a fresh profile; throws a clear error when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (CHROMIUM_PATH === "" || !existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found (${CHROMIUM_PATH || "none"}): run \`npm install\` (Linux x64) or set CHROMIUM_PATH`);
  }
  const env = { ...process.env };
  if (CHROMIUM_LIBRARY_PATH !== "") {
    env.LD_LIBRARY_PATH = [CHROMIUM_LIBRARY_PATH, env.LD_LIBRARY_PATH].filter(Boolean).join(":");
  }
  // playwright-core gives every launch a fresh temporary profile of its own.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, env });
}

/** Records a page's console errors, uncaught exceptions and failed requests in the returned array. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
  return errors;
}

/** Folder for screenshots and other artefacts of the browser tests (git-ignored). */
export const BROWSER_OUTPUT = join(process.cwd(), "test-output", "browser");
