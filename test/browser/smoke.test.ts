import { expect, test } from "vitest";
import { launchChromium } from "../helpers/chromium.js";

test("headless Chromium runs a page's script", async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent("<p id=x></p><script>document.getElementById('x').textContent = String(6 * 7)</script>");
    expect(await page.textContent("#x")).toBe("42");
  } finally {
    await browser.close();
  }
});
