import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { BROWSER_OUTPUT, launchChromium } from "../helpers/chromium.js";
import { runCli, smallConfig, tempDir, writeConfig } from "../helpers/cli.js";

test("mlpgf report: a self-contained HTML file whose five SVG plots all render non-empty in Chromium, no console errors, no network", async () => {
  const dir = tempDir();
  const result = join(dir, "run.npz");
  const html = join(dir, "report.html");
  const trained = await runCli(["train", writeConfig(dir, smallConfig({ maxtimeOde: 1, maxtimeOptim: 1 })), "-o", result]);
  expect(trained.code).toBe(0);
  const made = await runCli(["report", result, "-o", html]);
  expect(made.stderr).toBe("");
  expect(made.code).toBe(0);
  const text = readFileSync(html, "utf8");
  expect(text).not.toMatch(/<script|<link|<img|src=|href=|@import|url\(/i); // nothing to fetch, nothing to run
  expect(text.length).toBeLessThan(200_000);

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => r.url().startsWith("file://") || requests.push(r.url()));
    await page.goto(`file://${html}`);
    const plots = await page.$$eval("svg.plot", (svgs) =>
      svgs.map((svg) => {
        const series = [...svg.querySelectorAll("path.series")].map((p) => {
          const b = (p as SVGPathElement).getBBox();
          return { w: b.width, h: b.height, n: ((p.getAttribute("d") ?? "").match(/[ML]/g) ?? []).length };
        });
        const r = svg.getBoundingClientRect();
        return {
          title: svg.querySelector(".title")?.textContent ?? "",
          width: r.width,
          height: r.height,
          series,
          empty: !!svg.querySelector(".empty"),
        };
      }),
    );
    expect(plots.map((p) => p.title)).toEqual([
      "Loss over gradient-flow time",
      "Loss over wall-clock time",
      "Gradient norm ‖∇L‖∞ along the trajectory",
      "Hessian spectrum at the result",
      "Parameter trajectory (principal directions)",
    ]);
    for (const p of plots) {
      expect(p.empty, p.title).toBe(false);
      expect(p.width * p.height, p.title).toBeGreaterThan(100_000);
      expect(p.series.length, p.title).toBeGreaterThan(0);
      // the main series of every plot spans an area with several points
      expect(p.series[0].n, p.title).toBeGreaterThan(5);
      expect(p.series[0].w * p.series[0].h, p.title).toBeGreaterThan(100);
    }
    expect(await page.$$eval("table tr", (rows) => rows.length)).toBeGreaterThan(8);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    mkdirSync(BROWSER_OUTPUT, { recursive: true });
    await page.screenshot({ path: join(BROWSER_OUTPUT, "report.png"), fullPage: true });
  } finally {
    await browser.close();
  }
});
