/**
 * A minimal static file server for the real-browser tests: serves a folder over HTTP on 127.0.0.1
 * (a free port), with the MIME types browsers need for ES modules and `application/wasm`.
 */
import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".wasm": "application/wasm",
};

/** A running server: its base URL (ending in "/") and how to stop it. */
export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the files under `root` (a folder's `index.html` for the folder); `pages` adds in-memory
 * files by path (e.g. `{ "/extra.html": "<!doctype html>…" }`, typed by their extension, HTML when it
 * has none); `headers` are sent with every response (e.g. those of cross-origin isolation).
 */
export async function serveStatic(
  root: string,
  pages: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<StaticServer> {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    if (path in pages) {
      res.writeHead(200, { ...headers, "content-type": TYPES[extname(path)] ?? TYPES[".html"] });
      res.end(pages[path]);
      return;
    }
    let file = resolve(base, `.${path}`);
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403, headers).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { ...headers, "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404, headers).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((ok, fail) => {
        server.closeAllConnections();
        server.close((err) => (err ? fail(err) : ok()));
      }),
  };
}
