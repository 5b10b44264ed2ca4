// Partial participation with catch-up (spec/optimization.md "Artemis", partial participation):
// the server keeps the compressed updates a worker missed and sends them when it comes back, so
// every active worker holds the same model — here checked bit for bit after each step.
import { describe, expect, it } from "vitest";
import { readEnvelope } from "../../src/algorithms/index.js";
import { algo, drive, heterogeneousLsr, sameBits, useKernel } from "./helpers.js";

useKernel();
const P = heterogeneousLsr(6, 20, 4);
const gamma = 0.3 / P.L;
const rounds = 25;

/** Largest number of sections one downlink carried (≥ 2 means some worker caught up on a missed round). */
function longestCatchUp(t: ReturnType<typeof drive>): number {
  let most = 0;
  for (const m of t.downlinks) for (const b of m.values()) most = Math.max(most, readEnvelope(b).sections.length);
  return most;
}

describe("returning workers catch up", () => {
  // the shared model: the server's own (update broadcast) or the MCM downlink memory H
  for (const [name, config, shared] of [
    ["sgd", {}, "model"],
    ["qsgd", {}, "model"],
    ["diana", {}, "model"],
    ["biqsgd", {}, "model"],
    ["artemis", { serverMemory: "all-workers" }, "model"],
    ["artemis", { serverMemory: "active-workers" }, "model"],
    ["dore", {}, "model"],
    ["double-squeeze", {}, "model"],
    ["ef-sgd", {}, "model"],
    ["mcm", {}, "downMemory"],
  ] as const) {
    it(`${name} ${JSON.stringify(config)}: an active worker's ${shared} equals the server's after catch-up`, () => {
      let checked = 0;
      const t = drive(algo(name, { gamma, participation: 0.4, ...config }), P.workers, P.objective, rounds, 9, {
        batch: 5,
        each: (_k, client, server) => {
          expect(sameBits(client.inspect()[shared]!, server.inspect()[shared]!)).toBe(true);
          checked++;
        },
      });
      expect(longestCatchUp(t)).toBeGreaterThanOrEqual(3); // some worker came back after ≥ 2 missed rounds
      expect(checked).toBeGreaterThan(rounds);               // ≈ 0.4 · 6 · 25 = 60 steps checked
    });
  }

  it("artemis-nd: every active worker holds the same view ŵ (the server keeps its exact model apart)", () => {
    const views: Float64Array[][] = [];
    drive(algo("artemis-nd", { gamma, participation: 0.4 }), P.workers, P.objective, rounds, 9, {
      batch: 5,
      each: (k, client) => { (views[k] ??= []).push(client.model.slice()); },
    });
    for (const vs of views) for (const v of vs ?? []) expect(sameBits(v, vs[0]!)).toBe(true);
  });

  it("rand-mcm needs no catch-up: a returning worker gets only the current view", () => {
    const t = drive(algo("rand-mcm", { gamma, participation: 0.4 }), P.workers, P.objective, rounds, 9, { batch: 5 });
    expect(longestCatchUp(t)).toBe(1);
  });

  it("the server forgets an update once every worker has received it", () => {
    const t = drive(algo("artemis", { gamma, participation: 0.4 }), P.workers, P.objective, rounds, 9);
    const history = (t.server.toJSON().data as { history: { messages: unknown[]; next: [number, number][] } }).history;
    const oldest = Math.min(...history.next.map(([, r]) => r));
    expect(history.messages.length).toBe(rounds - oldest);
  });
});
