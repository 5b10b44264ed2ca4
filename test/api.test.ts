// The package entries: "fedquant" is browser-safe and carries the whole library; "fedquant/node"
// adds the Node-only parts.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";
import * as nodeApi from "../src/node.js";
import { importGraph, NODE_ONLY } from "./helpers/import-graph.js";

describe("public API", () => {
  it("the main entry reaches no node:* module and no `ws` (so browsers can bundle it)", () => {
    const specs = [...importGraph(resolve(import.meta.dirname, "../src/index.ts"))];
    expect(specs.filter(NODE_ONLY)).toEqual([]);
  });

  it("exports every layer from the main entry", () => {
    for (const name of ["ready", "RandomStream", "createCompressor", "messageBits", "createAlgorithm", "simulate",
      "logistic", "syntheticHeterogeneousLogistic", "qlsdPlusPlus", "lineChartSvg", "FedquantError", "transport"]) {
      expect(api, name).toHaveProperty(name);
    }
  });

  it("the node entry adds file loaders, reference data, experiments and the WebSocket server", () => {
    for (const name of ["loadLibsvm", "referenceDataset", "runExperiment", "parseRunConfig", "runToDisk", "transportNode"]) {
      expect(nodeApi, name).toHaveProperty(name);
    }
    expect(nodeApi.transportNode).toHaveProperty("serveFederation");
  });
});
