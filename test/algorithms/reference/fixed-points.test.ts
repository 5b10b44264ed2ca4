// Memory fixed points (spec/optimization.md; Artemis, Philippenko & Dieuleveut 2020, Thm 1 and
// its discussion; MCM 2021, Thm 2; DORE, Liu et al. 2019): with full-batch gradients (σ = 0),
// unbiased compressors and the memory on, each algorithm converges linearly to a point where
// nothing is left to compress, and that point is determined by the equations alone:
//   w = w*                (the minimiser of F = (1/N) Σ F_i, from the normal equations)
//   h^i = ∇F_i(w*)        (Δ^i = C(∇F_i(w) − h^i) → 0 forces it; ≠ 0: the workers are heterogeneous)
//   h = (1/N) Σ_i h^i = ∇F(w*) = 0
//   MCM: H = ŵ = w*;  Rand-MCM: H^i = ŵ^i = w* for every i;  Dore: x̂ = w*, e = 0.
// Tolerance: messages are float32, so the limit is reached to about 2^-24 relative; after the
// rounds below the measured distance is far smaller than 1e-4 relative, while a memory that
// drifts (wrong α, wrong sign, no update) leaves it O(1) away.
import { describe, expect, it } from "vitest";
import { createAlgorithm, type AlgorithmConfig, type ClientId } from "../../../src/algorithms/index.js";
import { heterogeneousLsr, useKernel } from "../helpers.js";
import { lsrGrad } from "./drive.js";

useKernel();
const P = heterogeneousLsr(4, 24, 4, 5);
const N = 4, D = 4;
const grad = lsrGrad(P.workers, 1000);
const wStar = Array.from(P.wStar);
const gStar = P.workers.map((_, i) => grad(i, wStar, 0));
const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => norm(Array.from(a, (x, t) => x - b[t]!));

function run(name: string, config: AlgorithmConfig, rounds: number) {
  const algo = createAlgorithm(name, config);
  const w0 = new Float64Array(D);
  const server = algo.createServer({ w0, clients: N, seed: 17 });
  const clients = P.workers.map((_, i) => algo.createClient({ id: i, w0, seed: 17 }));
  for (let k = 0; k < rounds; k++) {
    const up = new Map<ClientId, Uint8Array>();
    for (const [id, bytes] of server.broadcast(k)) up.set(id, clients[id]!.step(k, bytes, (w, out, ctx) => out.set(grad(ctx.client, Array.from(w), k))));
    server.receive(k, up);
  }
  return { server: server.inspect(), clients: clients.map((c) => c.inspect()) };
}

describe("sanity of the problem", () => {
  it("the workers are heterogeneous (∇F_i(w*) far from 0) and Σ_i ∇F_i(w*) = 0", () => {
    for (const g of gStar) expect(norm(g)).toBeGreaterThan(0.5);
    const s = Array.from({ length: D }, (_, t) => gStar.reduce((a, g) => a + g[t]!, 0));
    expect(norm(s)).toBeLessThan(1e-10);
  });
});

const L = P.L, Q = { name: "qsgd", params: { s: 2 } };
const close = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => expect(dist(a, b), what).toBeLessThanOrEqual(1e-9 * (1 + norm(b)));

describe("memory fixed points (full gradients, compression both ways)", () => {
  for (const [name, config, rounds] of [
    ["artemis", { gamma: 0.5 / L, up: Q, down: Q, alpha: 0.2 }, 200],
    ["artemis", { gamma: 0.4 / L, up: Q, down: Q, alpha: 0.2, participation: 0.5 }, 300],
    ["mcm", { gamma: 0.5 / L, up: Q, down: Q, alpha: 0.2, alphaDown: 0.2 }, 200],
    ["rand-mcm", { gamma: 0.5 / L, up: Q, down: Q, alpha: 0.2, alphaDown: 0.2 }, 200],
    ["rand-mcm", { gamma: 0.4 / L, up: Q, down: Q, alpha: 0.2, alphaDown: 0.2, participation: 0.5 }, 300],
    ["dore", { gamma: 0.5 / L, up: Q, down: Q, alpha: 0.2 }, 200],
  ] as const) {
    it(`${name} ${JSON.stringify({ ...config, gamma: undefined, up: undefined, down: undefined })}: w → w*, h^i → ∇F_i(w*), h → 0${name.includes("mcm") ? ", downlink memories → w*" : name === "dore" ? ", e → 0" : ""}`, () => {
      const r = run(name, config as unknown as AlgorithmConfig, rounds);
      close(r.server.model!, wStar, "server model");
      close(r.server.memory!, new Array(D).fill(0), "server memory h = (1/N) Σ h^i");
      r.clients.forEach((c, i) => {
        close(c.memory!, gStar[i]!, `h^${i}`);
        close(c.model!, wStar, `worker ${i}'s model`);
      });
      if (name === "mcm") close(r.server.downMemory!, wStar, "H");
      if (name === "mcm" || name === "rand-mcm") r.clients.forEach((c, i) => close(c.downMemory!, wStar, `worker ${i}'s H`));
      if (name === "rand-mcm") for (let i = 0; i < N; i++) close(r.server[`downMemory${i}`]!, wStar, `server's H^${i}`);
      if (name === "dore") close(r.server.error!, new Array(D).fill(0), "e");
    });
  }
});
