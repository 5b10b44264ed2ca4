// The in-browser federated demo (docs/network.md "The demo"): `vite demo` serves it, `vite build
// demo` builds it into demo/dist. The MNIST digits are generated from the `mnist` package at
// startup / build time (mnist-asset.ts) and served as one binary asset.
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { DIGITS_ASSET, mnistAssetBytes } from "./mnist-asset.js";

function mnistDigitsAsset(): Plugin {
  let bytes: Uint8Array | undefined;
  const get = (): Uint8Array => (bytes ??= mnistAssetBytes());
  return {
    name: "fedquant-mnist-digits",
    configureServer(server) {
      server.middlewares.use(`/${DIGITS_ASSET}`, (_req, res) => {
        res.setHeader("Content-Type", "application/octet-stream");
        res.end(Buffer.from(get()));
      });
    },
    generateBundle() {
      this.emitFile({ type: "asset", fileName: DIGITS_ASSET, source: get() });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  plugins: [mnistDigitsAsset()],
  worker: { format: "es" },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 2000 },
  server: { host: "127.0.0.1", port: 5173, fs: { allow: [fileURLToPath(new URL("..", import.meta.url))] } },
  preview: { host: "127.0.0.1", port: 4173 },
});
