// init() in Node from every kind of source: the default location next to the package entry, a file
// path, a file: URL, and http: URLs (streamed when served as application/wasm, compiled from the bytes
// otherwise), on fresh copies of the built package (dist/), each computing the same loss.
import { copyFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serveStatic, type StaticServer } from "./helpers/staticserver.js";

type Package = typeof import("../dist/index.js");

const WASM = resolve("dist/kernels.wasm");
const OTHER_TYPE = join("test-output", "init", "kernels.bin");

let server: StaticServer;
beforeAll(async () => {
  mkdirSync(join("test-output", "init"), { recursive: true });
  copyFileSync(WASM, OTHER_TYPE);
  server = await serveStatic(".");
});
afterAll(async () => {
  await server?.close();
});

/** A fresh, uninitialised copy of the built package. */
async function freshPackage(): Promise<Package> {
  vi.resetModules();
  return import("../dist/index.js");
}

function someLoss(pkg: Package): number {
  const net = new pkg.Net({
    layers: [
      [2, "tanh", true],
      [1, "identity", true],
    ],
    input: [
      [1, -2],
      [0.5, 3],
    ],
    target: [[1], [0]],
  });
  const loss = net.loss(
    pkg.params([
      [
        [
          [0.5, -1],
          [2, 0.25],
        ],
        [0.1, -0.1],
      ],
      [[[1, -1]], [0.5]],
    ]),
  );
  net.dispose();
  return loss;
}

describe("init() sources in Node", () => {
  const losses: number[] = [];
  it.each([
    ["no argument (kernels.wasm next to dist/index.js)", () => undefined, false],
    ["a file path", () => WASM, false],
    ["a file: URL object", () => pathToFileURL(WASM), false],
    ["a file: URL string", () => pathToFileURL(WASM).href, false],
    ["an http: URL served as application/wasm", () => new URL("dist/kernels.wasm", server.url), true],
    ["an http: URL string served as application/octet-stream", () => `${server.url}${OTHER_TYPE}`, false],
  ])("%s", async (_name, source, streamed) => {
    const pkg = await freshPackage();
    expect(pkg.isInitialized()).toBe(false);
    const streaming = vi.spyOn(WebAssembly, "instantiateStreaming");
    try {
      await pkg.init(source());
      expect(streaming).toHaveBeenCalledTimes(streamed ? 1 : 0);
    } finally {
      streaming.mockRestore();
    }
    expect(pkg.isInitialized()).toBe(true);
    losses.push(someLoss(pkg));
    expect(losses[0]).toBeGreaterThan(0.1);
    expect(losses.at(-1)).toBe(losses[0]);
  });

  it("an http: URL that answers 404 rejects with NOT_INITIALIZED, and a later init() still works", async () => {
    const pkg = await freshPackage();
    await expect(pkg.init(`${server.url}dist/missing.wasm`)).rejects.toMatchObject({
      code: "NOT_INITIALIZED",
      message: expect.stringMatching(/HTTP 404/),
    });
    expect(pkg.isInitialized()).toBe(false);
    await pkg.init();
    expect(pkg.isInitialized()).toBe(true);
  });
});
