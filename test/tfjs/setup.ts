// Shared by the TF.js tests: register the cpu and wasm backends (as an app would) and pick one.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { useBackend, type TfBackend } from "../../src/tfjs/index.js";

export { tf };

export async function backend(name: TfBackend = "cpu"): Promise<typeof tf> {
  await useBackend(name);
  return tf;
}
