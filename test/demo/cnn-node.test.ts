// The demo's CNN (demo/src/cnn.ts) and the one `fedquant serve` / `join` build in Node
// (src/cli/cnn-model.ts) are the same network from the same seed: a browser tab and a Node party
// of one CNN session start from the same w0 and give the same gradient.
import { describe, expect, it } from "vitest";
import { buildModel } from "../../demo/src/cnn.js";
import { nodeModelBuilder } from "../../src/cli/cnn-model.js";
import { RandomStream } from "../../src/random/index.js";

describe("the demo's CNN and the Node CLI's", () => {
  it("have the same 5,386 initial weights and the same gradient on a few digits", { timeout: 120_000 }, async () => {
    const page = await buildModel("cnn", 3), node = await nodeModelBuilder("cnn", 3);
    expect(page.w0.length).toBe(5386);
    expect(Array.from(node.w0)).toEqual(Array.from(page.w0));
    const n = 4, rng = RandomStream.of(5, "test");
    const data = { n, p: 784, X: Float64Array.from(rng.uniforms(n * 784)), y: Float64Array.from([0, 3, 7, 9]) };
    const g1 = new Float64Array(5386), g2 = new Float64Array(5386);
    page.objective.grad(page.w0, data, g1);
    node.objective.grad(node.w0, data, g2);
    expect(g1.some((v) => v !== 0)).toBe(true);
    expect(Array.from(g2)).toEqual(Array.from(g1));
  });
});
