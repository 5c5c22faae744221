// The package in a plain `<script type="module">` page, no bundler: examples/plain/index.html (an
// import map names dist/index.js) and a variant importing dist/index.js by relative path, served by a
// small static server; Chromium computes loss, gradient and Hessian spectrum, compared with Node (within
// 1e-14 relative: Chromium loads the relaxed-SIMD build).
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Net, hessianSpectrum, params } from "../../src/index.js";
import { collectErrors, launchChromium } from "../helpers/chromium.js";
import { serveStatic, type StaticServer } from "../helpers/staticserver.js";

interface PageResult {
  loss: number;
  gradient: number[];
  eigenvalues: number[];
}

/** The same computation as the page's script, in Node. */
function computeInNode(): PageResult {
  const input = [
    [0.1, 0.2],
    [0.3, -0.4],
    [1.0, 0.5],
    [-0.7, 0.8],
    [0.25, -1.5],
  ];
  const target = [[1.0], [0.0], [0.5], [-0.25], [2.0]];
  const net = new Net({
    layers: [
      [3, "tanh", true],
      [1, "identity", true],
    ],
    input,
    target,
  });
  const W1 = [
    [0.5, -0.25],
    [1.5, 0.75],
    [-1.0, 0.125],
  ];
  const x = params([
    [W1, [0.1, -0.2, 0.3]],
    [[[1.25, -0.5, 0.75]], [0.05]],
  ]);
  const result = { loss: net.loss(x), gradient: Array.from(net.gradient(x)), eigenvalues: Array.from(hessianSpectrum(net, x).values) };
  net.dispose();
  return result;
}

/** The example page with its import map replaced by a relative import of dist/index.js. */
function relativeVariant(html: string): string {
  const withoutMap = html.replace(/<script type="importmap">[\s\S]*?<\/script>/, "");
  return withoutMap.replace('from "mlp-gradient-flow"', 'from "../../dist/index.js"');
}

let server: StaticServer;
let browser: Browser;
let html: string;

beforeAll(async () => {
  html = await readFile("examples/plain/index.html", "utf8");
  // Served from the repository root, so that ../../dist/ from examples/plain/ is the package build.
  server = await serveStatic(".", { "/examples/plain/relative.html": relativeVariant(html) });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function runPage(path: string): Promise<{ result: PageResult; errors: string[] }> {
  const page: Page = await browser.newPage();
  const errors = collectErrors(page);
  try {
    await page.goto(server.url + path);
    await page.waitForSelector("#out[data-state]", { timeout: 20_000 });
    const text = (await page.textContent("#out")) ?? "";
    expect(await page.getAttribute("#out", "data-state"), text).toBe("done");
    return { result: JSON.parse(text) as PageResult, errors };
  } finally {
    await page.close();
  }
}

describe("plain <script type=module> page (no bundler)", () => {
  it.each([
    ["import map", "examples/plain/"],
    ["relative path to dist/index.js", "examples/plain/relative.html"],
  ])("with %s: Chromium computes the same loss, gradient and spectrum as Node", async (_name, path) => {
    const { result, errors } = await runPage(path);
    const node = computeInNode();
    expect(errors).toEqual([]);
    expect(node.loss).toBeGreaterThan(0.1); // a non-trivial loss (the parameters do not fit the targets)
    // Chromium runs relaxed SIMD, so init() loads the fused-multiply-add build there (Node 20: SIMD128):
    // the same numbers within 1e-14 relative (identical when both run the same build).
    expect(Math.abs(result.loss - node.loss)).toBeLessThanOrEqual(1e-14 * node.loss);
    const close = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / Math.max(...b.map(Math.abs));
    expect(close(result.gradient, node.gradient)).toBeLessThanOrEqual(1e-14);
    expect(close(result.eigenvalues, node.eigenvalues)).toBeLessThanOrEqual(1e-14);
    expect(result.gradient).toHaveLength(13);
  });
});
