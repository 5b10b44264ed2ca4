// The sampler's state machines (spec/langevin.md): parameter validation, memory bookkeeping,
// message validation, participation.
import { beforeAll, describe, expect, it } from "vitest";
import { createCompressor } from "../../src/compressors/index.js";
import { ready } from "../../src/kernel/index.js";
import { envelopeBits, readEnvelope } from "../../src/algorithms/index.js";
import {
  createSamplerClient, createSamplerServer, federatedSampler, qlsdPlusPlus, qlsdStar, resolveParams, clientPotential,
  decodeState, encodeState, chainSeed, simulateRound,
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
    const alg = qlsdPlusPlus(model, { stepSize: 1e-3, batchSize: 4, compressor: createCompressor("qsgd", { s: 2 }), participation: 3, refresh: 5 });
    const seed = chainSeed(2, 0), theta0 = new Float64Array(4);
    const server = createSamplerServer(alg.params, seed, theta0);
    const clients = model.clients.map((_, i) => createSamplerClient(alg.params, seed, theta0, i, clientPotential(model, i)));
    for (let k = 0; k < 23; k++) simulateRound(server, clients);
    const sum = new Float64Array(4);
    for (const c of clients) { const m = c.client.inspect().memory!; for (let j = 0; j < 4; j++) sum[j] += m[j]!; }
    const eta = server.inspect().memory!;
    for (let j = 0; j < 4; j++) expect(eta[j]).toBeCloseTo(sum[j]!, 6);
    expect(clients.every((c) => c.client.round >= 0)).toBe(true); // every client took part at least once
  });
});

describe("QLSD*", () => {
  it("compresses exactly zero at θ = θ* with a full batch (the control variate cancels the gradient)", () => {
    const { toy, model } = toyModel(3, 4, 20, 8);
    const alg = qlsdStar(model, { stepSize: 1e-3, compressor: createCompressor("qsgd", { s: 2 }), thetaStar: toy.posteriorMean });
    const seed = chainSeed(1, 0);
    const server = createSamplerServer(alg.params, seed, toy.posteriorMean);
    const c = createSamplerClient(alg.params, seed, toy.posteriorMean, 0, clientPotential(model, 0));
    const up = c.client.step(0, server.broadcast(0).get(0)!, c.oracle.oracle);
    expect(envelopeBits(up).payloadBits).toBe(32 + 4 * 3); // the norm and four zero levels
    const g = alg.params.compressor.decode(readEnvelope(up).sections[0]!.bytes, 4);
    expect(Array.from(g)).toEqual([0, 0, 0, 0]);
  });
});

describe("messages", () => {
  const { model } = toyModel(3, 4, 20, 8);
  const alg = federatedSampler(model, { algorithm: "qlsd#", stepSize: 1e-3, batchSize: 4 });
  const seed = chainSeed(1, 0), theta0 = new Float64Array(4);
  const parties = () => ({
    server: createSamplerServer(alg.params, seed, theta0),
    clients: model.clients.map((_, i) => createSamplerClient(alg.params, seed, theta0, i, clientPotential(model, i))),
  });

  it("the server rejects an uplink replayed from another client (E_PROTOCOL: the envelope names the sender)", () => {
    const { server, clients } = parties();
    const down = server.broadcast(0);
    const ups = new Map([...down].map(([i, b]) => [i, clients[i]!.client.step(0, b, clients[i]!.oracle.oracle)]));
    ups.set(2, ups.get(1)!);
    expect(() => server.receive(0, ups)).toThrow(/E_PROTOCOL|E_DECODE/);
  });

  it("counts the exact encoded bits: identity uplinks carry 32 d payload bits each", () => {
    const chain = alg.init({ seed: 1 });
    chain.step(); chain.step();
    expect(chain.bits.messages).toBe(6);
    expect(chain.bits.upPayload).toBe(6 * 32 * 4);
    expect(chain.bits.upTotal).toBeGreaterThan(chain.bits.upPayload);
    expect(chain.bits.down).toBeGreaterThan(0);
  });

  it("restores a saved chain that then continues bit for bit", () => {
    const a = alg.init({ seed: 3 }), b = alg.init({ seed: 3 });
    for (let k = 0; k < 5; k++) a.step();
    const saved = decodeState(encodeState(a.save()));
    for (let k = 0; k < 5; k++) a.step();
    b.load(saved);
    for (let k = 0; k < 5; k++) b.step();
    expect(b.round).toBe(10);
    expect(Array.from(b.theta)).toEqual(Array.from(a.theta));
    expect(b.bits).toEqual(a.bits);
  });

  it("refuses a saved chain whose server state is not JSON with E_STATE", () => {
    const a = alg.init({ seed: 3 });
    a.step();
    expect(() => alg.init({ seed: 3 }).load({ ...a.save(), server: "{not json" })).toThrow(expect.objectContaining({ code: "E_STATE", message: expect.stringMatching(/server state is not valid JSON/) }));
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
