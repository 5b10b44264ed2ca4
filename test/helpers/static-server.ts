// A static file server on 127.0.0.1 for a built page (the demo, a test page, a consumer app),
// confined to its folder: a path that leaves the root, or a missing file, is a 404.
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const MIME: Record<string, string> = {
  ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm",
  ".bin": "application/octet-stream", ".json": "application/json",
};

/** Serves `root` on a free port; `base` is the origin without a trailing slash, `url` with one. */
export function serveStatic(root: string): Promise<{ server: Server; base: string; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = normalize(join(root, path === "/" ? "index.html" : path));
    if (!file.startsWith(root + sep) || !existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "Content-Type": MIME[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((r) => server.listen(0, "127.0.0.1", () => {
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    r({ server, base, url: `${base}/` });
  }));
}
