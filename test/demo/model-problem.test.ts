// The "mnist-model" problem the demo's CNN uses (src/federation/transport/problem.ts): the same
// digits and label split as "mnist", an injected model, its w0 where both the server and the
// clients start; refused with E_CONFIG without a builder or with a malformed model name.
import { describe, expect, it } from "vitest";
import { mnistDigits } from "../../src/data/mnist-node.js";
import { FedquantError } from "../../src/errors.js";
import { softmax } from "../../src/models/index.js";
import { buildProblem, checkProblemSpec, type ModelBuilder } from "../../src/federation/transport/problem.js";
import { algorithmParticipantFactory, createAlgorithmRoundDriver } from "../../src/federation/transport/algorithm-driver.js";
import { ready } from "../../src/kernel/index.js";

const loadDigits = (count: number, seed: number) => mnistDigits({ count, seed });
/** a stand-in model: softmax on raw pixels (no bias), w0 = 0.01·(j mod 7) so it is not zeros */
const builder: ModelBuilder = async () => {
  const objective = softmax({ p: 784, classes: 10 });
  return { objective, w0: Float64Array.from({ length: objective.dim }, (_, j) => 0.01 * (j % 7)) };
};
const spec = { kind: "mnist-model", model: "cnn", clients: 3, count: 300, labelsPerClient: 4, seed: 5 };

describe("mnist-model problems", () => {
  it("split the digits exactly as the mnist problem does (raw pixels, no bias column)", async () => {
    const a = await buildProblem(spec, loadDigits, builder);
    const b = await buildProblem({ ...spec, kind: "mnist", model: undefined }, loadDigits);
    expect(a.shards.map((s) => s.n)).toEqual(b.shards.map((s) => s.n));
    a.shards.forEach((s, i) => {
      expect(s.p).toBe(784);
      expect(Array.from(s.y)).toEqual(Array.from(b.shards[i]!.y));
      // b has the bias column 1 in front of the same pixels
      expect(s.X[100]).toBe(b.shards[i]!.X[101]);
    });
  });

  it("refuse a missing builder and a malformed model name with E_CONFIG", async () => {
    await expect(buildProblem(spec, loadDigits)).rejects.toMatchObject({ code: "E_CONFIG" });
    expect(() => checkProblemSpec({ ...spec, model: "../x" })).toThrow(FedquantError);
    expect(() => checkProblemSpec({ ...spec, model: undefined })).toThrow(/problem.model/);
  });

  it("start the server and every client at the builder's w0", async () => {
    await ready();
    const session = { algorithm: "sgd", config: { gamma: 0.1 }, problem: spec, seed: 3, rounds: 1 };
    const d = await createAlgorithmRoundDriver(session, { loadDigits, buildModel: builder, evaluate: false });
    const { w0 } = await builder("cnn", 5);
    expect(Array.from(d.server.model)).toEqual(Array.from(w0));
    const client = await algorithmParticipantFactory({ loadDigits, buildModel: builder })(d.session(0), 0);
    // the client's state holds its model as the little-endian float64 bytes, base64 (algorithms' toJSON)
    const b = Buffer.from((client.snapshot() as { data: { w: string } }).data.w, "base64");
    expect(Array.from(new Float64Array(b.buffer, b.byteOffset, b.length / 8))).toEqual(Array.from(w0));
  });
});
