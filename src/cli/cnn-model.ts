// The Node model builder of "mnist-model" sessions (fedquant serve / join): model "cnn" is E5's
// small CNN (src/experiments/e5-model.ts buildCnn, 5,386 weights — the browser demo's
// demo/src/cnn.ts, same layers and Glorot seeds seed·16 + k), an Objective through fedquant/tfjs
// on TF.js's cpu backend: the arithmetic the demo's workers use, so Node and browser parties of
// one session start from the same w0 and compute the same gradients. TF.js is an optional peer
// dependency, loaded only when a session names a model.
import { FedquantError } from "../errors.js";
import type { ModelBuilder } from "../federation/transport/problem.js";

/** What to install for a "cnn" session (optional peers of fedquant). */
export const TFJS_PACKAGES = ["@tensorflow/tfjs-core", "@tensorflow/tfjs-layers", "@tensorflow/tfjs-backend-cpu"] as const;

/** The models a Node party can build. */
export const NODE_MODELS = ["cnn"] as const;

export const nodeModelBuilder: ModelBuilder = async (model, seed) => {
  if (!(NODE_MODELS as readonly string[]).includes(model)) {
    throw new FedquantError("E_CONFIG", `problem.model must be one of ${NODE_MODELS.map((m) => `"${m}"`).join(", ")} in fedquant serve / join, got ${JSON.stringify(model)}`);
  }
  let tfl: typeof import("@tensorflow/tfjs-layers");
  try {
    tfl = await import("@tensorflow/tfjs-layers");
    await import("@tensorflow/tfjs-backend-cpu");
  } catch (e) {
    throw new FedquantError("E_CONFIG", `the "${model}" model needs TF.js, which is not installed: npm install ${TFJS_PACKAGES.join(" ")} (${(e as Error).message})`, { cause: e });
  }
  const [{ buildCnn }, { tfjsObjective, useBackend }] = await Promise.all([import("../experiments/e5-model.js"), import("../tfjs/index.js")]);
  await useBackend("cpu");
  const objective = tfjsObjective(buildCnn(tfl, seed));
  return { objective, w0: objective.weights() };
};
