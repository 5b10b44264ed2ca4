// Rand-MCM's workers get independent compressions (Philippenko & Dieuleveut 2021, "Rand-MCM":
// ŵ_k^i = H_{k−1}^i + C_down^i(w_k − H_{k−1}^i) with independent randomness per worker; spec
// /optimization.md). The view error ε_k^i = ŵ_k^i − w_{k−1} has E[ε_k^i | past] = 0 (C unbiased),
// and for i ≠ j, ε_k^i and ε_k^j are independent given the past, so the products ⟨ε_k^i, ε_k^j⟩,
// divided by the predictable scales s_k^i = ‖w_{k−1} − H_{k−1}^i‖ (known before round k; without
// them the first rounds, where the views are far from w, would dominate), are martingale
// differences: with e_k^i = ε_k^i / s_k^i the self-normalised sum
//     z_ij = Σ_k ⟨e_k^i, e_k^j⟩ / √(Σ_k ⟨e_k^i, e_k^j⟩²)
// is approximately N(0, 1) (martingale CLT). We accept |z_ij| ≤ 4.5 for every pair (false alarm
// < 1e-5 per pair). If the workers shared one compression stream, their errors would coincide or
// move together and z would be of order √K; MCM (one shared compression by design) is the control
// showing the statistic sees that.
import { describe, expect, it } from "vitest";
import { createAlgorithm, type ClientId } from "../../../src/algorithms/index.js";
import { heterogeneousLsr, useKernel } from "../helpers.js";
import { lsrGrad } from "./drive.js";

useKernel();
const P = heterogeneousLsr(4, 16, 6, 13);
const N = 4, D = 6, K = 150;
const grad = lsrGrad(P.workers, 4);

/** e_k^i = ε_k^i / s_k^i for k = 1 … K−1 (k = 0: every view is w_0, nothing was compressed). */
function viewErrors(name: string): number[][][] {
  const algo = createAlgorithm(name, { gamma: 0.2 / P.L, up: { name: "qsgd", params: { s: 2 } }, down: { name: "qsgd", params: { s: 1 } }, alpha: 0.1, alphaDown: 0.1 });
  const w0 = new Float64Array(D);
  const server = algo.createServer({ w0, clients: N, seed: 31 });
  const clients = P.workers.map((_, i) => algo.createClient({ id: i, w0, seed: 31 }));
  const errors: number[][][] = [];
  for (let k = 0; k < K; k++) {
    const before = Array.from(server.model), up = new Map<ClientId, Uint8Array>(), eps: number[][] = [];
    const scale = clients.map((c) => Math.hypot(...before.map((v, t) => v - c.inspect().downMemory![t]!)));
    for (const [id, bytes] of server.broadcast(k)) {
      up.set(id, clients[id]!.step(k, bytes, (w, out, ctx) => {
        eps[ctx.client] = Array.from(w, (v, t) => (v - before[t]!) / scale[ctx.client]!);
        out.set(grad(ctx.client, Array.from(w), k));
      }));
    }
    server.receive(k, up);
    if (k > 0) errors.push(eps);
  }
  return errors;
}

function z(errors: number[][][], i: number, j: number): number {
  let s = 0, v = 0;
  for (const e of errors) {
    const p = e[i]!.reduce((a, x, t) => a + x * e[j]![t]!, 0);
    s += p; v += p * p;
  }
  return s / Math.sqrt(v);
}

describe("Rand-MCM: the workers' compressed views are decorrelated", () => {
  it("the view errors are non-zero and differ between workers", () => {
    const e = viewErrors("rand-mcm");
    for (const round of e) for (let i = 1; i < N; i++) expect(round[i]).not.toEqual(round[0]);
    expect(e.every((round) => round.every((x) => x.some((v) => v !== 0)))).toBe(true);
  });

  it(`|z_ij| ≤ 4.5 for every pair of workers over ${K - 1} rounds`, () => {
    const e = viewErrors("rand-mcm");
    for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) expect(Math.abs(z(e, i, j)), `workers ${i}, ${j}`).toBeLessThanOrEqual(4.5);
  });

  it("control: under MCM (one compression for all) the same statistic is of order √K", () => {
    const e = viewErrors("mcm");
    for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) expect(z(e, i, j)).toBeGreaterThan(10);
  });
});
