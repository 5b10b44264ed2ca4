// Who takes part in round k (spec/optimization.md "Partial participation": each worker active
// independently with probability p; langevin.md: m of b without replacement), drawn by the
// server from its own stream, and the weight c that makes c·Σ_{i∈S_k} x_i unbiased.
import { FedquantError } from "../errors.js";
import { participationStream } from "./streams.js";
import type { Aggregate, ClientId, Participation } from "./types.js";

/** The active clients of round k, in the order of `clients` (ascending ids). */
export function sampleActive(spec: Participation, clients: readonly ClientId[], seed: bigint, round: number): ClientId[] {
  if (spec.kind === "bernoulli") {
    if (spec.p === 1) return clients.slice();
    const stream = participationStream(seed, round);
    let u = stream.uniforms(clients.length);
    // redrawEmpty: the next draws of the same round's stream until one client is in (P(empty) =
    // (1 − p)^N per draw, so the loop ends; clients.length = 0 has nothing to redraw)
    if (spec.redrawEmpty === true && clients.length > 0) while (!u.some((v) => v < spec.p)) u = stream.uniforms(clients.length);
    return clients.filter((_, j) => u[j]! < spec.p);
  }
  if (spec.m === clients.length) return clients.slice();
  const idx = participationStream(seed, round).sampleWithoutReplacement(clients.length, spec.m);
  return Array.from(idx, (j) => clients[j]!);
}

/**
 * c with E[c Σ_{i∈S} x_i] = (1/N) Σ_i x_i ("mean") or Σ_i x_i ("sum"): each client is in S with
 * probability p (Bernoulli) or m/N (fixed size), so c = 1/(pN) or 1/m, times N for "sum".
 */
export function activeWeight(spec: Participation, n: number, aggregate: Aggregate): number {
  // given S ≠ ∅ (redrawEmpty) a client is in S with probability p / (1 − (1 − p)^N); the authors'
  // code keeps 1/(pN), which differs by the factor 1 − (1 − p)^N (1 − 9.5e-7 at N = 20, p = 0.5)
  const inclusion = spec.kind === "bernoulli" ? (spec.redrawEmpty === true && spec.p < 1 ? spec.p / -Math.expm1(n * Math.log1p(-spec.p)) : spec.p) : spec.m / n;
  return aggregate === "sum" ? 1 / inclusion : 1 / (inclusion * n);
}

/**
 * c for a round closed with `answered` of the `drawn` clients (receive with allowAbsent): the
 * weight of a round in which the absent clients had not been drawn.
 * - Bernoulli: inclusions are independent, so for a set A of clients able to answer (independent
 *   of the draw) S_k ∩ A is itself a Bernoulli(p) sample of A, and E[c Σ_{i∈S∩A} x_i | A] =
 *   (1/N) Σ_{i∈A} x_i with the same c = 1/(pN). Keeping c also keeps h = u Σ_i h^i exact, so with a
 *   memory the absent clients are represented by their last h^i (ĝ is unbiased for
 *   (1/N)(Σ_{i∈A} g^i + Σ_{i∉A} h^i)). Renormalising by |answered| would make c random and bias ĝ.
 * - Fixed m: the round becomes a draw of m' = |answered| clients; if who fails is independent of
 *   who it is, the responders are a uniform m'-subset, and c = 1/m' (b/m' for "sum") is unbiased
 *   conditionally on m'. m' = 0: c = 0 (nothing to weigh, ĝ = h).
 */
export function responderWeight(spec: Participation, n: number, aggregate: Aggregate, drawn: number, answered: number): number {
  if (answered === drawn || spec.kind === "bernoulli") return activeWeight(spec, n, aggregate);
  if (answered === 0) return 0;
  return activeWeight({ kind: "fixed", m: answered }, n, aggregate);
}

/** u with h = u Σ_i h^i: the server memory estimates the same quantity as the aggregate. */
export function memoryWeight(n: number, aggregate: Aggregate): number {
  return aggregate === "sum" ? 1 : 1 / n;
}

export function checkParticipation(spec: Participation, n: number): void {
  if (spec.kind === "fixed" && spec.m > n) throw new FedquantError("E_CONFIG", `participation: m = ${spec.m} clients per round, but there are only ${n}`);
}
