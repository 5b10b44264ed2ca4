// The page of the browser backend test: load fedquant's kernel and TF.js (cpu, webgl, wasm), let
// useBackend("auto") choose by availability (webgl → wasm → cpu; "?no-webgl" removes webgl first,
// to exercise the fallback), run the rounds of rounds.ts there, then on cpu, and report both.
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { ready } from "../../../src/index.js";
import { useBackend } from "../../../src/tfjs/index.js";
import { federatedRounds } from "./rounds.js";

async function main(): Promise<void> {
  const w = window as unknown as { __result: unknown };
  try {
    await ready({ source: { simd: "./fedquant.simd.wasm", scalar: "./fedquant.scalar.wasm", relaxed: "./fedquant.relaxed.wasm" } });
    setWasmPaths("./");
    if (location.search.includes("no-webgl")) tf.removeBackend("webgl");
    // whether this browser can make a WebGL context at all (what "available" means for webgl)
    const canvas = document.createElement("canvas");
    const webglAvailable = !!(canvas.getContext("webgl2") ?? canvas.getContext("webgl"));
    const chosen = await useBackend("auto");
    const flags = chosen === "webgl"
      ? { version: tf.env().getNumber("WEBGL_VERSION"), float32: tf.env().getBool("WEBGL_RENDER_FLOAT32_ENABLED") }
      : undefined;
    const onChosen = federatedRounds(tf);
    await useBackend("cpu");
    const onCpu = federatedRounds(tf);
    w.__result = { ok: true, chosen, webglAvailable, webgl: flags, onChosen, onCpu };
  } catch (e) {
    w.__result = { ok: false, error: String((e as Error)?.stack ?? e) };
  }
}
void main();
