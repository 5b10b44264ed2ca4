// The uplink memory of DIANA (Mishchenko et al. 2019) as used by Artemis, MCM and Dore
// (spec/optimization.md "DIANA"): client Δ^i = C_up(g^i − h^i), h^i += αΔ^i; server
// ĝ = c Σ_{i∈S} Δ^i + h with h = u Σ_i h^i (server memory "all-workers"), or
// ĝ = c Σ_{i∈S} (Δ^i + h^i) (Artemis paper's partial-participation form, "active-workers").
// With α = 0 nothing is allocated and ĝ = c Σ Δ^i exactly (the QSGD / SGD arithmetic).
// Also the worker's side of MCM's downlink memory (Philippenko & Dieuleveut 2021), DownlinkView.
//
// memoryInit "first-gradient" (the Artemis/MCM authors' "smart initialisation",
// artemis-bidirectional-compression LocalUpdate.compute_local_gradient and
// GradientUpdateMethod.receive_all_delta): the first time worker i computes a gradient g^i it sets
// h^i = g^i (rounded to f32, the value it sends) and sends it uncompressed beside Δ^i = C_up(g^i − h^i)
// (uplink section slot 1, identity compressor: 32·D payload bits, counted; the authors' server reads
// h^i from the worker object for free). The server then uses
//   ĝ = c Σ_{i∈S} (Δ^i + ι^i) + h,   h += u Σ_{i∈S} (α Δ^i + ι^i)   ("all-workers"),
// ι^i = h^i_0 for a worker initialising this round and 0 otherwise; with "active-workers" its copy
// of h^i becomes h^i_0 before ĝ = c Σ_{i∈S} (Δ^i + h^i). Under full participation (c = u = 1/N)
// both are the authors' ĝ = (1/N) Σ_i (Δ^i + h^i); under Bernoulli participation ĝ stays unbiased
// (E c Σ_{i∈S} ι^i = (1/N) Σ_{new i} g^i), which the authors' code does not attempt ("TODO: There is
// issue with PP"): it initialises only with full participation.
import { createCompressor } from "../compressors/index.js";
import { FedquantError } from "../errors.js";
import type { PartyContext } from "./context.js";
import type { Section } from "./envelope.js";
import { uplinkStream } from "./streams.js";
import type { ClientId, MemoryInit, ServerMemory as ServerMemoryMode } from "./types.js";
import { axpy, base64ToVec, perClient, sumInto, vecToBase64 } from "./vec.js";

/** The uplink section slot that carries a worker's initial memory h^i_0. */
export const INIT_SLOT = 1;
let identity: ReturnType<typeof createCompressor> | null = null;
/** The uncompressed f32 coder of h^i_0 (built on first use: the registry fills at module load). */
export function initCoder(): ReturnType<typeof createCompressor> { return (identity ??= createCompressor("identity", {})); }

/** A server's uplink memory as its algorithm's config asks (serverMemory, memoryInit). */
export function serverMemoryOf(ctx: PartyContext, u: number, clients: readonly ClientId[]): ServerMemory {
  return new ServerMemory(ctx.config.serverMemory ?? "all-workers", ctx.alpha, u, ctx.dim, clients, ctx.config.memoryInit ?? "zero");
}

/** A worker's uplink memory as its algorithm's config asks (memoryInit). */
export function clientMemoryOf(ctx: PartyContext): ClientMemory {
  return new ClientMemory(ctx.alpha, ctx.dim, ctx.config.memoryInit ?? "zero");
}

export class ClientMemory {
  readonly h: Float64Array | null;
  /** false until h^i holds the first gradient (memoryInit "first-gradient"); always true with "zero" */
  private started: boolean;
  /** h^i_0 in f32, to be sent with the uplink of the step that set it */
  private pending: Float32Array | null = null;

  constructor(readonly alpha: number, dim: number, readonly init: MemoryInit = "zero") {
    this.h = alpha > 0 ? new Float64Array(dim) : null;
    this.started = this.h === null || init === "zero";
  }

  /** v ← g − h (v ← g without memory); the first call under "first-gradient" sets h = f32(g) first. */
  vector(g: Float64Array, v: Float64Array): void {
    const h = this.h;
    if (h === null) { v.set(g); return; }
    if (!this.started) {
      // h^i_0 is what the server will decode: the f32 rounding of g, so both sides hold the same h^i
      this.pending = Float32Array.from(g);
      h.set(this.pending);
      this.started = true;
    }
    for (let t = 0; t < v.length; t++) v[t] = g[t]! - h[t]!;
  }

  /** The extra uplink section of this step: h^i_0 uncompressed, once; none otherwise. */
  initSections(seed: bigint, round: number, id: ClientId): Section[] {
    const x = this.pending;
    if (x === null) return [];
    this.pending = null;
    return [{ round, slot: INIT_SLOT, bytes: initCoder().encode(x, uplinkStream(seed, round, id, INIT_SLOT)) }];
  }

  /** h += α Δ, Δ the decoded message this client sent. */
  update(sent: () => Float32Array): void {
    if (this.h !== null) axpy(this.h, this.alpha, sent());
  }

  save(): unknown {
    if (!this.h) return null;
    return this.init === "zero" ? vecToBase64(this.h) : { h: vecToBase64(this.h), started: this.started };
  }
  load(s: unknown, what: string): void {
    if (this.h === null) {
      if (s !== null && s !== undefined) throw new FedquantError("E_STATE", `${what}: this algorithm keeps no uplink memory (α = 0)`);
      return;
    }
    if (this.init === "zero") { this.h.set(base64ToVec(s, this.h.length, what)); return; }
    const o = s as { h?: unknown; started?: unknown } | null;
    if (o === null || typeof o !== "object" || typeof o.started !== "boolean") throw new FedquantError("E_STATE", `${what}: expected { h, started } (memoryInit "first-gradient")`);
    this.h.set(base64ToVec(o.h, this.h.length, what));
    this.started = o.started;
    this.pending = null;
  }
}

export class ServerMemory {
  /** "all-workers": h = u Σ_i h^i */
  readonly h: Float64Array | null;
  /** "active-workers": the server's copy of every h^i */
  readonly hi: Map<ClientId, Float64Array> | null;
  private readonly acc: Float64Array;
  /** Σ_{i∈S} ι^i of the round (all-workers mode, memoryInit "first-gradient") */
  private readonly accInit: Float64Array | null;
  /** the workers whose h^i_0 has arrived (memoryInit "first-gradient"), null with "zero" */
  private readonly started: Set<ClientId> | null;

  constructor(readonly mode: ServerMemoryMode, readonly alpha: number, private readonly u: number, dim: number, clients: readonly ClientId[], init: MemoryInit = "zero") {
    const on = alpha > 0;
    this.h = on && mode === "all-workers" ? new Float64Array(dim) : null;
    this.hi = on && mode === "active-workers" ? new Map(clients.map((id) => [id, new Float64Array(dim)])) : null;
    this.acc = new Float64Array(dim);
    this.started = on && init === "first-gradient" ? new Set() : null;
    this.accInit = this.started && this.h ? new Float64Array(dim) : null;
  }

  /** Does the uplink of `id` this round carry h^i_0 (its first under memoryInit "first-gradient")? */
  expectsInit(id: ClientId): boolean { return this.started !== null && !this.started.has(id); }

  /**
   * d ← ĝ of the uplinks of `active` (same order), c the round's active-client weight; `inits`
   * holds the h^i_0 that arrived this round (memoryInit "first-gradient").
   */
  aggregate(active: readonly ClientId[], uplinks: readonly Float32Array[], d: Float64Array, c: number, inits?: ReadonlyMap<ClientId, Float32Array>): void {
    const acc = this.acc, n = acc.length;
    acc.fill(0);
    if (this.hi !== null) {
      for (let j = 0; j < active.length; j++) {
        const x = uplinks[j]!, h = inits?.get(active[j]!) ?? this.hi.get(active[j]!)!;
        for (let t = 0; t < n; t++) acc[t] += x[t]! + h[t]!;
      }
    } else {
      sumInto(acc, uplinks);
    }
    for (let t = 0; t < n; t++) d[t] = c * acc[t]!;
    const ai = this.accInit;
    if (ai !== null) {
      ai.fill(0);
      for (const id of active) { const x = inits?.get(id); if (x) for (let t = 0; t < n; t++) ai[t] += x[t]!; }
      for (let t = 0; t < n; t++) d[t] += c * ai[t]!;
    }
    if (this.h !== null) for (let t = 0; t < n; t++) d[t] += this.h[t]!;
  }

  /** The memory step after aggregate(): h += u Σ_{i∈S} (α Δ^i + ι^i), or h^i (= h^i_0 if it arrived) += α Δ^i for i ∈ S. */
  update(active: readonly ClientId[], uplinks: readonly Float32Array[], inits?: ReadonlyMap<ClientId, Float32Array>): void {
    if (this.h !== null) {
      // acc still holds Σ_{i∈S} Δ^i (all-workers mode sums the Δ alone), accInit Σ_{i∈S} ι^i
      const a = this.alpha * this.u, u = this.u, h = this.h, acc = this.acc, ai = this.accInit;
      for (let t = 0; t < h.length; t++) h[t] += a * acc[t]!;
      if (ai !== null) for (let t = 0; t < h.length; t++) h[t] += u * ai[t]!;
    } else if (this.hi !== null) {
      for (let j = 0; j < active.length; j++) {
        const hi = this.hi.get(active[j]!)!, x0 = inits?.get(active[j]!);
        if (x0) hi.set(x0);
        axpy(hi, this.alpha, uplinks[j]!);
      }
    }
    if (this.started !== null && inits) for (const id of active) if (inits.has(id)) this.started.add(id);
  }

  save(): unknown {
    const started = this.started ? { started: [...this.started] } : {};
    if (this.h) return { h: vecToBase64(this.h), ...started };
    if (this.hi) return { hi: [...this.hi].map(([id, v]) => [id, vecToBase64(v)]), ...started };
    return null;
  }

  load(s: unknown, what: string): void {
    const o = s as { h?: unknown; hi?: unknown; started?: unknown } | null;
    if (this.started !== null) {
      const ids = o?.started;
      if (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id))) throw new FedquantError("E_STATE", `${what}: expected the list of workers whose first gradient arrived (memoryInit "first-gradient")`);
      this.started.clear();
      for (const id of ids as number[]) this.started.add(id);
    }
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
