// Without TF.js installed, a CNN session fails up front with E_CONFIG naming the packages to
// install (TF.js is an optional peer dependency). The missing package is simulated by a module
// mock whose factory throws, as a failed resolution does.
import { describe, expect, it, vi } from "vitest";

vi.mock("@tensorflow/tfjs-layers", () => { throw new Error("Cannot find package '@tensorflow/tfjs-layers'"); });

describe("the Node CNN builder without TF.js", () => {
  it("says which packages to install", async () => {
    const { nodeModelBuilder } = await import("../../src/cli/cnn-model.js");
    const err = await nodeModelBuilder("cnn", 1).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: "E_CONFIG" });
    expect((err as Error).message).toMatch(/npm install @tensorflow\/tfjs-core @tensorflow\/tfjs-layers @tensorflow\/tfjs-backend-cpu/);
  });
});
