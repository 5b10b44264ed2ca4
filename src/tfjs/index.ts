// fedquant/tfjs — the optional TF.js bridge (peer dependencies @tensorflow/tfjs-core and
// @tensorflow/tfjs-layers; the main "fedquant" entry never imports them, tested in test/tfjs/entry.test.ts).
export { WeightLayout, type WeightSpec } from "./layout.js";
export { tfjsObjective, trainableVariables, variablesOracle, type TfjsObjective, type TfjsObjectiveOptions, type TfLossFn } from "./objective.js";
export { useBackend, backendPreference, NODE_DEFAULT_BACKEND, type TfBackend } from "./backend.js";
export { installConvFilterGrad, convFilterGrad } from "./conv-filter-grad.js";
