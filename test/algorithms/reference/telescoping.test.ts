// Error-feedback telescoping identities: exact algebraic consequences of the update rules that
// hold for every realisation of the compressors, so they are checked to float64 rounding.
//
// DoubleSqueeze (Tang et al. 2019, Alg. 1): the server sends v̄_t = Q[v_t + δ_{t−1}] and keeps
// δ_t = v_t + δ_{t−1} − v̄_t; the model moves x_t = x_{t−1} − γ v̄_t = x_{t−1} − γ(v_t + δ_{t−1} − δ_t), so
//     x_T − γ δ_T = x_0 − γ Σ_t v_t                       (v_t = (1/N) Σ_i v_t^i, the decoded uplinks)
// and each worker's v_t^i = g_t^i + δ_{t−1}^i − δ_t^i gives Σ_t v_t^i = Σ_t g_t^i − δ_T^i:
//     x_T − γ δ_T − (γ/N) Σ_i δ_T^i = x_0 − γ Σ_t (1/N) Σ_i g_t^i.
// Dist-EF-SGD (Zheng et al. 2019) is the same with γ inside: x_T − e_T − (1/N) Σ_i e_T^i = x_0 − γ Σ_t ḡ_t.
// Dore (Liu et al. 2019, Alg. 1) with η = β = 1: q_t = e_{t−1} − γ ĝ_t, e_t = q_t − q̂_t,
// x_t = x_{t−1} + q̂_t = x_{t−1} + e_{t−1} − γ ĝ_t − e_t, so
//     x_T + e_T = x_0 − γ Σ_t ĝ_t,   ĝ_t = (1/N) Σ_i Δ_t^i + h_t,  h_{t+1} = h_t + α (1/N) Σ_i Δ_t^i,
// and the DIANA memories telescope too: h^i_T = α Σ_t Δ^i_t, h_T = (1/N) Σ_i h^i_T.
// The Artemis authors' "Dore" (artemis-ef) with η = 1: ω_t = C_down(ĝ_t + e_{t−1}), e_t = ĝ_t + e_{t−1} − ω_t,
// w_t = w_{t−1} − γ ω_t = w_{t−1} − γ(ĝ_t + e_{t−1} − e_t), so  w_T − γ e_T = w_0 − γ Σ_t ĝ_t.
// Tolerance: T float64 additions of O(1) numbers, 1e-10 relative (measured ≈ 1e-15); dropping an
// error term or a memory step breaks the identity by O(γ‖v‖) per round.
import { describe, expect, it } from "vitest";
import { createAlgorithm, type AlgorithmConfig, type ClientId } from "../../../src/algorithms/index.js";
import { readEnvelope } from "../../../src/algorithms/envelope.js";
import { heterogeneousLsr, useKernel } from "../helpers.js";
import { lsrGrad } from "./drive.js";

useKernel();
const P = heterogeneousLsr(4, 16, 5, 9);
const N = 4, D = 5, T = 80, seed = 23;
const grad = lsrGrad(P.workers, 4);

interface Run {
  x0: number[];
  server: Record<string, Float64Array>;
  clients: Record<string, Float64Array>[];
  /** Σ_t (1/N) Σ_i g_t^i */
  sumG: number[];
  /** Σ_t (1/N) Σ_i v_t^i (decoded uplinks) */
  sumV: number[];
  /** Σ_t ĝ_t from the decoded uplinks and the memory recursion (α given) */
  sumGhat: number[];
  /** Σ_t Δ_t^i per worker */
  sumDelta: number[][];
}

function run(name: string, config: AlgorithmConfig, alpha = 0): Run {
  const algo = createAlgorithm(name, config);
  const w0 = new Float64Array(D).fill(0.25);
  const server = algo.createServer({ w0, clients: N, seed });
  const clients = P.workers.map((_, i) => algo.createClient({ id: i, w0, seed }));
  const sumG = new Array<number>(D).fill(0), sumV = new Array<number>(D).fill(0), sumGhat = new Array<number>(D).fill(0);
  const sumDelta = Array.from({ length: N }, () => new Array<number>(D).fill(0));
  let h = new Array<number>(D).fill(0);
  for (let k = 0; k < T; k++) {
    const up = new Map<ClientId, Uint8Array>();
    for (const [id, bytes] of server.broadcast(k)) {
      up.set(id, clients[id]!.step(k, bytes, (w, out, ctx) => {
        const g = grad(ctx.client, Array.from(w), k);
        g.forEach((v, t) => { sumG[t] += v / N; });
        out.set(g);
      }));
    }
    const mean = new Array<number>(D).fill(0);
    for (const [id, bytes] of up) {
      const sec = readEnvelope(bytes).sections[0]!;
      const v = algo.up.decode(sec.bytes, D);
      v.forEach((x, t) => { mean[t] += x / N; sumDelta[id]![t] += x; });
    }
    mean.forEach((m, t) => { sumV[t] += m; sumGhat[t] += m + h[t]!; });
    h = h.map((v, t) => v + alpha * mean[t]!);
    server.receive(k, up);
  }
  return { x0: Array.from(w0), server: server.inspect(), clients: clients.map((c) => c.inspect()), sumG, sumV, sumGhat, sumDelta };
}

function expectVec(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  for (let t = 0; t < b.length; t++) expect(Math.abs(a[t]! - b[t]!), `${what}[${t}]: ${a[t]} vs ${b[t]}`).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(b[t]!)));
}

const gamma = 0.2 / P.L;

describe("error-feedback telescoping identities", () => {
  for (const [up, down] of [["sign", "sign"], [{ name: "topk", params: { k: 2 } }, { name: "qsgd", params: { s: 4 } }]] as const) {
    it(`DoubleSqueeze (${JSON.stringify(up)} / ${JSON.stringify(down)}): x_T − γδ_T = x_0 − γ Σ_t v_t and x_T − γδ_T − (γ/N) Σ_i δ^i_T = x_0 − γ Σ_t ḡ_t`, () => {
      const r = run("double-squeeze", { gamma, up, down });
      const x = r.server.model!, delta = r.server.error!;
      expect(Math.max(...Array.from(delta, Math.abs)), "the server error is not trivially 0").toBeGreaterThan(1e-3);
      expectVec(Array.from(x, (v, t) => v - gamma * delta[t]!), r.x0.map((v, t) => v - gamma * r.sumV[t]!), "x_T − γδ_T");
      const lhs = Array.from(x, (v, t) => v - gamma * delta[t]! - (gamma / N) * r.clients.reduce((s, c) => s + c.error![t]!, 0));
      expectVec(lhs, r.x0.map((v, t) => v - gamma * r.sumG[t]!), "x_T − γδ_T − (γ/N)Σδ^i_T");
    });
  }

  it("Dist-EF-SGD: x_T − e_T − (1/N) Σ_i e^i_T = x_0 − γ Σ_t ḡ_t", () => {
    const r = run("ef-sgd", { gamma });
    const x = r.server.model!, e = r.server.error!;
    expect(Math.max(...Array.from(e, Math.abs))).toBeGreaterThan(1e-4);
    expectVec(Array.from(x, (v, t) => v - e[t]!), r.x0.map((v, t) => v - r.sumV[t]!), "x_T − e_T");
    const lhs = Array.from(x, (v, t) => v - e[t]! - r.clients.reduce((s, c) => s + c.error![t]!, 0) / N);
    expectVec(lhs, r.x0.map((v, t) => v - gamma * r.sumG[t]!), "x_T − e_T − (1/N)Σe^i_T");
  });

  it("artemis-ef (the authors' \"Dore\") with η = 1: w_T − γ e_T = w_0 − γ Σ_t ĝ_t", () => {
    const alpha = 0.2;
    const r = run("artemis-ef", { gamma, up: { name: "qsgd", params: { s: 2 } }, down: { name: "topk", params: { k: 2 } }, alpha, eta: 1 }, alpha);
    const w = r.server.model!, e = r.server.error!;
    expect(Math.max(...Array.from(e, Math.abs)), "the server error is not trivially 0").toBeGreaterThan(1e-3);
    expectVec(Array.from(w, (v, t) => v - gamma * e[t]!), r.x0.map((v, t) => v - gamma * r.sumGhat[t]!), "w_T − γe_T");
  });

  it("Dore with η = β = 1: x_T + e_T = x_0 − γ Σ_t ĝ_t, and the memories telescope", () => {
    const alpha = 0.2;
    const r = run("dore", { gamma, up: { name: "qsgd", params: { s: 2 } }, down: { name: "qsgd", params: { s: 4 } }, alpha, eta: 1, beta: 1 }, alpha);
    const x = r.server.model!, e = r.server.error!;
    expect(Math.max(...Array.from(e, Math.abs)), "the server error is not trivially 0").toBeGreaterThan(1e-3);
    expectVec(Array.from(x, (v, t) => v + e[t]!), r.x0.map((v, t) => v - gamma * r.sumGhat[t]!), "x_T + e_T");
    r.clients.forEach((c, i) => expectVec(c.memory!, r.sumDelta[i]!.map((s) => alpha * s), `h^${i}_T = α Σ_t Δ^${i}_t`));
    expectVec(r.server.memory!, Array.from({ length: D }, (_, t) => r.clients.reduce((s, c) => s + c.memory![t]!, 0) / N), "h_T = (1/N) Σ_i h^i_T");
  });
});
