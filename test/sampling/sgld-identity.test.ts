// QLSD# with the identity compressor is SGLD (QLSD, Vono et al. 2022: with C = Id the QLSD# update is SGLD's):
// the federated message path (float32 identity encode/decode, compressor headers, stream
// bookkeeping, client-order sums) must reproduce the centralised SGLD loop bit for bit.
import { beforeAll, expect, it } from "vitest";
import { createCompressor } from "../../src/compressors/index.js";
import { ready } from "../../src/kernel/index.js";
import { qlsdSharp, sampleChain, sgld } from "../../src/sampling/index.js";
import { logisticModel } from "./helpers.js";

beforeAll(async () => { await ready(); });

it("QLSD# with the identity compressor yields exactly SGLD's samples (same bytes), prior share and minibatches included", () => {
  const model = logisticModel(5, 40, 11);
  const opts = { samples: 150, burnIn: 20, thin: 2 };
  const theta0 = Float64Array.of(0.3, -0.2);
  const a = [...sampleChain(qlsdSharp(model, { stepSize: 1e-3, batchSize: 7, compressor: createCompressor("identity") }).init({ seed: 5, theta0 }), opts)];
  const b = [...sampleChain(sgld(model, { stepSize: 1e-3, batchSize: 7 }).init({ seed: 5, theta0 }), opts)];
  expect(a.length).toBe(150);
  const bytes = (xs: typeof a) => Buffer.concat(xs.map((s) => Buffer.from(s.theta.buffer)));
  expect(bytes(a).equals(bytes(b))).toBe(true);
  expect(a.map((s) => s.round)).toEqual(b.map((s) => s.round));
});
