// The sampler's state machines (spec/langevin.md): parameter validation, memory bookkeeping,
// message validation, participation.
import { beforeAll, describe, expect, it } from "vitest";
import { createCompressor } from "../../src/compressors/index.js";
import { ready } from "../../src/kernel/index.js";
import {
  createSamplerClient, createSamplerServer, federatedSampler, qlsdPlusPlus, qlsdStar, resolveParams, clientPotential,
  decodeState, encodeState, chainSeed,
} from "../../src/sampling/index.js";
import { logisticModel, toyModel } from "./helpers.js";

beforeAll(async () => { await ready(); });

describe("parameter validation (E_CONFIG)", () => {
  const model = logisticModel(3, 20, 1);
  const qsgd = createCompressor("qsgd", { s: 4 });
  it.each([
    [{ algorithm: "qlsd#", stepSize: 0 }, /stepSize must be a finite number > 0/],
    [{ algorithm: "lsd", stepSize: 1, batchSize: 5 }, /lsd uses full local gradients/],
    [{ algorithm: "sgld", stepSize: 1 }, /sgld needs a batchSize/],
    [{ algorithm: "qlsd#", stepSize: 1, batchSize: 21 }, /batchSize must be an integer in 1\.\.20/],
    [{ algorithm: "qlsd*", stepSize: 1 }, /qlsd\* needs thetaStar/],
    [{ algorithm: "qlsd++", stepSize: 1, alpha: 0.9, compressor: qsgd }, /alpha must be in \(0, 1\/\(1\+ω\)\]/],
    [{ algorithm: "qlsd#", stepSize: 1, refresh: 5 }, /refresh \(ℓ\) applies to qlsd\+\+ only/],
    [{ algorithm: "qlsd#", stepSize: 1, compressor: createCompressor("topk", { k: 1 }) }, /biased/],
    [{ algorithm: "qlsd++", stepSize: 1, participation: 4 }, /participation \(m\) must be an integer in 1\.\.3/],
    [{ algorithm: "nope", stepSize: 1 }, /unknown sampler algorithm "nope"/],
  ])("rejects %o", (p, re) => {
    expect(() => resolveParams(model, p as never)).toThrow(re);
  });

  it("defaults QLSD++'s memory step to α = 1/(1+ω) and ℓ to 100", () => {
    const r = resolveParams(model, { algorithm: "qlsd++", stepSize: 1, compressor: qsgd });
    expect(r.alpha).toBe(1 / (1 + qsgd.omega(2)));
    expect(r.refresh).toBe(100);
    expect(resolveParams(model, { algorithm: "qlsd++", stepSize: 1, memory: false }).alpha).toBe(0);
  });
});

describe("QLSD++ memory bookkeeping", () => {
  it("keeps the server's η equal to Σ_i η^i under partial participation (memories of absent clients still count)", () => {
    const { model } = toyModel(6, 4, 20, 8);
    const chain = qlsdPlusPlus(model, { stepSize: 1e-3, batchSize: 4, compressor: createCompressor("qsgd", { s: 2 }), participation: 3, refresh: 5 }).init({ seed: 2 });
    for (let k = 0; k < 23; k++) chain.step();
    const st = chain.save() as { server: { eta: Float64Array }; clients: { eta: Float64Array }[] };
    const sum = new Float64Array(4);
    for (const c of st.clients) for (let j = 0; j < 4; j++) sum[j] += c.eta[j]!;
    for (let j = 0; j < 4; j++) expect(st.server.eta[j]).toBeCloseTo(sum[j]!, 6);
    expect(st.clients.some((c) => c.eta.every((v) => v === 0))).toBe(false); // every client took part at least once
  });
});

describe("QLSD*", () => {
  it("compresses exactly zero at θ = θ* with a full batch (the control variate cancels the gradient)", () => {
    const { toy, model } = toyModel(3, 4, 20, 8);
    const alg = qlsdStar(model, { stepSize: 1e-3, compressor: createCompressor("qsgd", { s: 2 }), thetaStar: toy.posteriorMean });
    const seed = chainSeed(1, 0);
    const server = createSamplerServer(alg.params, seed, toy.posteriorMean);
    const client = createSamplerClient(0, alg.params, seed);
    const up = client.step(0, server.broadcast(0), clientPotential(model, 0));
    const g = alg.params.compressor.decode(up, 4);
    // θ_0 travels as float32, so the difference is the f32 rounding of θ* times N_i, not more
    for (const v of g) expect(Math.abs(v)).toBeLessThan(20 * 1e-6);
  });
});

describe("messages", () => {
  const { model } = toyModel(3, 4, 20, 8);
  const alg = federatedSampler(model, { algorithm: "qlsd#", stepSize: 1e-3, batchSize: 4 });
  const seed = chainSeed(1, 0);

  it("a client rejects a downlink of another round (E_DECODE)", () => {
    const server = createSamplerServer(alg.params, seed, new Float64Array(4));
    const down = server.broadcast(0);
    expect(() => createSamplerClient(0, alg.params, seed).step(1, down, clientPotential(model, 0))).toThrow(/E_DECODE.*round 0.*round 1/);
  });

  it("the server rejects an uplink replayed from another client (E_DECODE: its stream names the sender)", () => {
    const server = createSamplerServer(alg.params, seed, new Float64Array(4));
    const down = server.broadcast(0);
    const ups = [0, 1, 2].map((i) => ({ client: i, bytes: createSamplerClient(i, alg.params, seed).step(0, down, clientPotential(model, i)) }));
    ups[2] = { client: 2, bytes: ups[1]!.bytes };
    expect(() => server.receive(0, ups)).toThrow(/E_DECODE/);
  });

  it("the server rejects a missing uplink (E_PROTOCOL)", () => {
    const server = createSamplerServer(alg.params, seed, new Float64Array(4));
    const down = server.broadcast(0);
    const ups = [0, 1].map((i) => ({ client: i, bytes: createSamplerClient(i, alg.params, seed).step(0, down, clientPotential(model, i)) }));
    expect(() => server.receive(0, ups)).toThrow(/E_PROTOCOL/);
  });

  it("counts the exact encoded bits: identity uplinks carry 32 d payload bits each", () => {
    const chain = alg.init({ seed: 1 });
    chain.step(); chain.step();
    expect(chain.bits.messages).toBe(6);
    expect(chain.bits.upPayload).toBe(6 * 32 * 4);
    expect(chain.bits.upTotal).toBeGreaterThan(chain.bits.upPayload);
  });
});

describe("state codec", () => {
  it("round-trips nested state with Float64Arrays and non-finite numbers bit for bit", () => {
    const a = Float64Array.of(1 / 3, -0, 1e-310, Math.PI);
    const st = { x: a, n: [1, { y: Float64Array.of(2) }], nan: NaN, inf: -Infinity, s: "k", none: null };
    const back = decodeState(encodeState(st));
    expect(Buffer.from((back.x as Float64Array).buffer).equals(Buffer.from(a.buffer))).toBe(true);
    expect(back.nan).toBeNaN();
    expect(back.inf).toBe(-Infinity);
    expect(((back.n as unknown[])[1] as { y: Float64Array }).y[0]).toBe(2);
    expect(back.s).toBe("k");
  });

  it("rejects bytes that are not a saved state (E_DECODE)", () => {
    expect(() => decodeState(new Uint8Array(20))).toThrow(/E_DECODE/);
  });
});
