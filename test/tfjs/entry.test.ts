// The TF.js bridge is optional: neither "fedquant" nor "fedquant/node" reaches @tensorflow, and
// "fedquant/tfjs" itself is browser-safe (no node:* module) and needs only the two peer packages.
import { resolve } from "node:path";
import { expect, it } from "vitest";
import { importGraph, NODE_ONLY } from "../helpers/import-graph.js";

const src = (f: string) => resolve(import.meta.dirname, "../../src", f);

it("the main and node entries import nothing of @tensorflow", () => {
  for (const entry of ["index.ts", "node.ts"]) {
    expect([...importGraph(src(entry))].filter((s) => s.startsWith("@tensorflow"))).toEqual([]);
  }
});

it("fedquant/tfjs reaches no node:* module and only the peer packages of @tensorflow", () => {
  const specs = [...importGraph(src("tfjs/index.ts"))];
  expect(specs.filter(NODE_ONLY)).toEqual([]);
  const peers = ["@tensorflow/tfjs-core", "@tensorflow/tfjs-layers"];
  expect(specs.filter((s) => s.startsWith("@tensorflow") && !peers.includes(s))).toEqual([]);
  expect(specs).toContain("@tensorflow/tfjs-core");
});
