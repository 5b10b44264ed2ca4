// src/data/browser.ts must stay browser-safe: no node:* import anywhere in its import graph.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { importGraph, NODE_ONLY } from "../helpers/import-graph.js";

describe("browser entry of src/data", () => {
  it("reaches no node:* module (those live only in *-node.ts files)", () => {
    const specs = [...importGraph(resolve(import.meta.dirname, "../../src/data/browser.ts"))];
    expect(specs.filter(NODE_ONLY)).toEqual([]);
  });
});
