/**
 * Headless Chromium for the real-browser tests: Debian's `chromium` (installed by `.ci/run` when missing)
 * driven by playwright-core through `executablePath`; no browser download.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

/** Where Debian installs Chromium; `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

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
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium)`);
  }
  // playwright-core gives every launch a fresh temporary profile of its own.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS });
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
