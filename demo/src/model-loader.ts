// The "mnist-model" builder the page and the workers inject into the transport's problems: TF.js
// (cnn.ts) is imported only when a session names a model, so the other problems never load it.
import type { ModelBuilder } from "../../src/federation/transport/problem.js";

export const buildModel: ModelBuilder = async (model, seed) => (await import("./cnn.js")).buildModel(model, seed);
