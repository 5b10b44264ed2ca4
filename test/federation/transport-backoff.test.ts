// Reconnection back-off with deterministic jitter (issue #10, follow-up): each wait lies in
// [d_k/2, d_k] with d_k = min(cap, base·2^k), the waits of one token are reproducible, and 500
// clients' first waits are spread uniformly over [base/2, base] instead of all equal — so a
// server restart is not met by 500 reconnections in the same instant.
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { Backoff, tokenSeed } from "../../src/federation/transport/backoff.js";
import { joinFederationNode } from "../../src/federation/transport/client-node.js";
import { algorithmParticipantFactory } from "../../src/federation/transport/algorithm-driver.js";

const tokens = Array.from({ length: 500 }, (_, i) => `client-token-${i}-abcdefgh`);

describe("reconnection back-off", () => {
  it("each wait is in [d_k/2, d_k], d_k = min(cap, base·2^k), and reset starts again at base", () => {
    const b = new Backoff("some-token-0123456789", 200, 5000);
    const d = [200, 400, 800, 1600, 3200, 5000, 5000, 5000];
    for (const dk of d) {
      const w = b.next();
      expect(w).toBeGreaterThanOrEqual(dk / 2);
      expect(w).toBeLessThanOrEqual(dk);
    }
    b.reset();
    const w = b.next();
    expect(w).toBeGreaterThanOrEqual(100);
    expect(w).toBeLessThanOrEqual(200);
  });

  it("the same token gives the same waits; different tokens different ones", () => {
    const seq = (t: string) => { const b = new Backoff(t); return Array.from({ length: 6 }, () => b.next()); };
    expect(seq("token-a-0123456789")).toEqual(seq("token-a-0123456789"));
    expect(seq("token-a-0123456789")).not.toEqual(seq("token-b-0123456789"));
    expect(tokenSeed("token-a-0123456789")).not.toBe(tokenSeed("token-b-0123456789"));
  });

  it("500 clients' first waits are spread uniformly over [base/2, base] (chi-square, 10 bins)", () => {
    const first = tokens.map((t) => new Backoff(t, 200, 5000).next());
    // u = (w − 100)/100 should be U(0, 1): 10 equal bins of expected 50 each. χ² with 9 degrees
    // of freedom exceeds 27.88 with probability 0.001; the seeds are fixed, so this is a fixed check.
    const bins = new Array<number>(10).fill(0);
    for (const w of first) bins[Math.min(9, Math.floor((w - 100) / 10))]!++;
    const chi2 = bins.reduce((s, o) => s + (o - 50) ** 2 / 50, 0);
    expect(chi2).toBeLessThan(27.88);
    // and no lock-step: at most a handful share a millisecond (f32 uniforms: 100 ms spans ~1e6 values)
    const perMs = new Map<number, number>();
    for (const w of first) perMs.set(Math.floor(w), (perMs.get(Math.floor(w)) ?? 0) + 1);
    // 500 waits over 100 one-ms slots: Poisson(5) per slot; P(any slot > 16) < 1e-3
    expect(Math.max(...perMs.values())).toBeLessThanOrEqual(16);
  });

  it("consecutive waits of one client are independent of its neighbour's (sample correlation near 0)", () => {
    // u of client i and client i+1, 499 pairs: |r| < 4/√499 ≈ 0.18 unless they are correlated
    const u = tokens.map((t) => (new Backoff(t, 200, 5000).next() - 100) / 100);
    const x = u.slice(0, -1), y = u.slice(1);
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const mx = mean(x), my = mean(y);
    let sxy = 0, sxx = 0, syy = 0;
    for (let i = 0; i < x.length; i++) { sxy += (x[i]! - mx) * (y[i]! - my); sxx += (x[i]! - mx) ** 2; syy += (y[i]! - my) ** 2; }
    expect(Math.abs(sxy / Math.sqrt(sxx * syy))).toBeLessThan(4 / Math.sqrt(x.length));
  });

  it("joinFederation waits exactly the token's back-off sequence between failed attempts", async () => {
    // a port nobody listens on: take a free one and close it
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
    const port = (srv.address() as { port: number }).port;
    await new Promise((r) => srv.close(r));
    const token = "retry-token-0123456789";
    const waits: number[] = [];
    const m = joinFederationNode(`ws://127.0.0.1:${port}`, {
      token, factory: algorithmParticipantFactory(), retries: 4, retryDelayMs: 2, maxRetryDelayMs: 16,
      onRetry: ({ delayMs }) => waits.push(delayMs),
    });
    await expect(m.result).rejects.toThrow(/gave up after 5 failed attempts/);
    const b = new Backoff(token, 2, 16);
    expect(waits).toEqual(Array.from({ length: 4 }, () => b.next()));
  });
});
