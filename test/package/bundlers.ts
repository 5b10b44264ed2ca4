// Bundles the consumer's tiny browser app with Vite, esbuild and webpack (their JS APIs, the
// versions in fedquant's devDependencies), and serves a folder to a browser. The app imports
// "fedquant" as any user would and reports through window.__result.
import { serveStatic } from "../helpers/static-server.js";
import { cpSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { build as viteBuild, createServer as viteServer, type ViteDevServer } from "vite";
import webpack from "webpack";

/** The app: load the kernel (the default wasm URL unless the page passes one), quantize, decode. */
export const APP_JS = `import { ready, createCompressor, RandomStream } from "fedquant";
async function main() {
  try {
    const k = await ready(globalThis.FEDQUANT_SOURCE ? { source: globalThis.FEDQUANT_SOURCE } : {});
    const x = RandomStream.of(1, "test").normals(1000);
    const q = createCompressor("qsgd", { s: 4 });
    const y = q.decode(q.encode(x, RandomStream.of(2, "compress")), 1000);
    let err = 0, norm = 0;
    for (let i = 0; i < 1000; i++) { err += (y[i] - x[i]) ** 2; norm += x[i] ** 2; }
    window.__result = { ok: true, n: y.length, flavour: k.flavour, relErr: err / norm };
  } catch (e) { window.__result = { ok: false, error: String(e && e.message) }; }
}
main();
`;

export function writeApp(app: string): void {
  writeFileSync(join(app, "src/app.js"), APP_JS);
  writeFileSync(join(app, "index.html"), `<!doctype html><html><body><script type="module" src="./src/app.js"></script></body></html>\n`);
}

const page = (script: string, pre = "") => `<!doctype html><html><body>${pre}<script type="module" src="./${script}"></script></body></html>\n`;

export async function bundleVite(app: string, out: string): Promise<void> {
  await viteBuild({ root: app, configFile: false, logLevel: "error", build: { outDir: out, emptyOutDir: true, minify: false } });
}

/** esbuild does not follow new URL(…, import.meta.url): the app copies the wasm and passes its URL (README). */
export async function bundleEsbuild(app: string, out: string): Promise<void> {
  await esbuild.build({ entryPoints: [join(app, "src/app.js")], bundle: true, platform: "browser", format: "esm", outdir: out, logLevel: "error" });
  for (const f of readdirSync(join(app, "node_modules/fedquant/build"))) cpSync(join(app, "node_modules/fedquant/build", f), join(out, f));
  writeFileSync(join(out, "index.html"), page("app.js", `<script>window.FEDQUANT_SOURCE = { simd: "./fedquant.simd.wasm", scalar: "./fedquant.scalar.wasm" };</script>`));
}

export async function bundleWebpack(app: string, out: string): Promise<void> {
  await new Promise<void>((res, rej) => {
    webpack({
      mode: "production", context: app, entry: "./src/app.js", target: "web",
      output: { path: out, clean: true }, optimization: { minimize: false }, performance: { hints: false },
    }, (err, stats) => {
      if (err) rej(err);
      else if (!stats || stats.hasErrors()) rej(new Error(stats?.toString("errors-only") ?? "webpack: no stats"));
      else res();
    });
  });
  writeFileSync(join(out, "index.html"), page("main.js"));
}

/** The concatenated JavaScript of a bundle folder (to look for Node-only imports). */
export function bundleText(out: string): string {
  return readdirSync(out, { recursive: true }).map(String).filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(out, f), "utf8")).join("\n");
}

/** A static server for a built folder on 127.0.0.1 (confined to the folder). */
export const serveDir = serveStatic;

/** Vite's dev server on the consumer with no configuration at all (dependencies pre-bundled). */
export async function viteDev(app: string): Promise<{ server: ViteDevServer; url: string }> {
  const server = await viteServer({ root: app, configFile: false, logLevel: "error", server: { host: "127.0.0.1", port: 0, strictPort: false } });
  await server.listen();
  return { server, url: server.resolvedUrls!.local[0]! };
}
