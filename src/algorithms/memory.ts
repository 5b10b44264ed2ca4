// The uplink memory of DIANA (Mishchenko et al. 2019) as used by Artemis, MCM and Dore
// (spec/optimization.md "DIANA"): client Δ^i = C_up(g^i − h^i), h^i += αΔ^i; server
// ĝ = c Σ_{i∈S} Δ^i + h with h = u Σ_i h^i (server memory "all-workers"), or
// ĝ = c Σ_{i∈S} (Δ^i + h^i) (Artemis paper's partial-participation form, "active-workers").
// With α = 0 nothing is allocated and ĝ = c Σ Δ^i exactly (the QSGD / SGD arithmetic).
// Also the worker's side of MCM's downlink memory (Philippenko & Dieuleveut 2021), DownlinkView.
import { FedquantError } from "../errors.js";
import type { ClientId, ServerMemory as ServerMemoryMode } from "./types.js";
import { axpy, base64ToVec, perClient, vecToBase64 } from "./vec.js";

export class ClientMemory {
  readonly h: Float64Array | null;

  constructor(readonly alpha: number, dim: number) {
    this.h = alpha > 0 ? new Float64Array(dim) : null;
  }

  /** v ← g − h (v ← g without memory). */
  vector(g: Float64Array, v: Float64Array): void {
    const h = this.h;
    if (h === null) { v.set(g); return; }
    for (let t = 0; t < v.length; t++) v[t] = g[t]! - h[t]!;
  }

  /** h += α Δ, Δ the decoded message this client sent. */
  update(sent: () => Float32Array): void {
    if (this.h !== null) axpy(this.h, this.alpha, sent());
  }

  save(): string | null { return this.h ? vecToBase64(this.h) : null; }
  load(s: unknown, what: string): void {
    if (this.h === null) {
      if (s !== null && s !== undefined) throw new FedquantError("E_STATE", `${what}: this algorithm keeps no uplink memory (α = 0)`);
      return;
    }
    this.h.set(base64ToVec(s, this.h.length, what));
  }
}

export class ServerMemory {
  /** "all-workers": h = u Σ_i h^i */
  readonly h: Float64Array | null;
  /** "active-workers": the server's copy of every h^i */
  readonly hi: Map<ClientId, Float64Array> | null;
  private readonly acc: Float64Array;

  constructor(readonly mode: ServerMemoryMode, readonly alpha: number, private readonly u: number, dim: number, clients: readonly ClientId[]) {
    const on = alpha > 0;
    this.h = on && mode === "all-workers" ? new Float64Array(dim) : null;
    this.hi = on && mode === "active-workers" ? new Map(clients.map((id) => [id, new Float64Array(dim)])) : null;
    this.acc = new Float64Array(dim);
  }

  /** d ← ĝ of the uplinks of `active` (same order), c the round's active-client weight. */
  aggregate(active: readonly ClientId[], uplinks: readonly Float32Array[], d: Float64Array, c: number): void {
    const acc = this.acc, n = acc.length;
    acc.fill(0);
    if (this.hi !== null) {
      for (let j = 0; j < active.length; j++) {
        const x = uplinks[j]!, h = this.hi.get(active[j]!)!;
        for (let t = 0; t < n; t++) acc[t] += x[t]! + h[t]!;
      }
    } else {
      for (const x of uplinks) for (let t = 0; t < n; t++) acc[t] += x[t]!;
    }
    for (let t = 0; t < n; t++) d[t] = c * acc[t]!;
    if (this.h !== null) for (let t = 0; t < n; t++) d[t] += this.h[t]!;
  }

  /** The memory step after aggregate(): h += α u Σ_{i∈S} Δ^i, or h^i += α Δ^i for i ∈ S. */
  update(active: readonly ClientId[], uplinks: readonly Float32Array[]): void {
    if (this.h !== null) {
      // acc still holds Σ_{i∈S} Δ^i (all-workers mode sums the Δ alone)
      const a = this.alpha * this.u, h = this.h, acc = this.acc;
      for (let t = 0; t < h.length; t++) h[t] += a * acc[t]!;
    } else if (this.hi !== null) {
      for (let j = 0; j < active.length; j++) axpy(this.hi.get(active[j]!)!, this.alpha, uplinks[j]!);
    }
  }

  save(): unknown {
    if (this.h) return { h: vecToBase64(this.h) };
    if (this.hi) return { hi: [...this.hi].map(([id, v]) => [id, vecToBase64(v)]) };
    return null;
  }

  load(s: unknown, what: string): void {
    const o = s as { h?: unknown; hi?: unknown } | null;
    if (this.h) {
      if (!o || o.h === undefined) throw new FedquantError("E_STATE", `${what}: missing the server memory h`);
      this.h.set(base64ToVec(o.h, this.h.length, `${what}.h`));
    } else if (this.hi) {
      if (!o || !Array.isArray(o.hi)) throw new FedquantError("E_STATE", `${what}: expected one memory per client`);
      for (const [id, v] of perClient(o.hi, [...this.hi.keys()], what)) this.hi.get(id)!.set(base64ToVec(v, this.acc.length, `${what}.hi[${id}]`));
    } else if (o !== null && o !== undefined) throw new FedquantError("E_STATE", `${what}: this algorithm keeps no uplink memory (α = 0)`);
  }

  /** live views for inspect() */
  views(): Record<string, Float64Array> {
    const out: Record<string, Float64Array> = {};
    if (this.h) out.memory = this.h;
    if (this.hi) for (const [id, v] of this.hi) out[`memory${id}`] = v;
    return out;
  }
}

/**
 * A worker's compressed view of the central model and its downlink memory H (MCM, Rand-MCM;
 * spec/optimization.md "MCM"): on receiving x = C_down(w_k − H_{k−1}),
 * ŵ_k = H_{k−1} + x and H_k = H_{k−1} + α_down x. H_0 = ŵ_0 = w_0.
 */
export class DownlinkView {
  /** ŵ: where the worker computes its gradients */
  readonly view: Float64Array;
  readonly H: Float64Array;

  constructor(w0: Float64Array, private readonly alphaDown: number) {
    this.view = w0.slice();
    this.H = w0.slice();
  }

  apply(x: Float32Array): void {
    const v = this.view, H = this.H;
    for (let t = 0; t < v.length; t++) v[t] = H[t]! + x[t]!;
    axpy(H, this.alphaDown, x);
  }

  /** inspect() entries of a worker that also keeps the uplink memory `mem` */
  views(mem: ClientMemory): Record<string, Float64Array> {
    return mem.h ? { model: this.view, downMemory: this.H, memory: mem.h } : { model: this.view, downMemory: this.H };
  }

  save(): { view: string; H: string } { return { view: vecToBase64(this.view), H: vecToBase64(this.H) }; }
  load(s: Record<string, unknown>): void {
    this.view.set(base64ToVec(s.view, this.view.length, "client model view"));
    this.H.set(base64ToVec(s.H, this.H.length, "client downlink memory"));
  }
}
