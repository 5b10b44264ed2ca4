// DORE, double residual compression (Liu, Li, Tang, Yan 2019, "A Double Residual Compression
// Algorithm for Efficient Distributed Learning", arXiv 1910.07561, Algorithm 1), without the
// proximal term (R = 0):
//   worker: Δ^i = Q(g^i − h^i), h^i += αΔ^i                          (gradient residual)
//   master: ĝ = h + (1/n) Σ Δ^i, h += α (1/n) Σ Δ^i
//           x^{k+1} = x̂^k − γ ĝ;  q^k = x^{k+1} − x̂^k + η e^k        (model residual)
//           q̂^k = Q(q^k), e^{k+1} = q^k − q̂^k, x̂^{k+1} = x̂^k + β q̂^k, broadcast q̂^k
//   worker: x̂^{k+1} = x̂^k + β q̂^k.
// q is computed as η e − γ ĝ, the same number without the cancellation of x^{k+1} − x̂^k.
// Everyone holds x̂ (the model reported and where gradients are computed); returning workers
// replay the q̂ they missed. Defaults: α = 1/(2(ω_up+1)) (the spec's α; DORE asks α ≤ 1/(ω+1)),
// β = 1, and η = 1/(ω_down+1) for an unbiased C_down (1 for a contractive one): the error obeys
// E‖e^{k+1}‖² = ω_down E‖η e^k − γĝ^k‖², so it only stays bounded when η²ω_down < 1, and
// 1/(ω+1) gives η²ω ≤ 1/4 (with η = 1 and QSGD s = 1, ω = √D > 1, it diverges — tested).
// Partial participation uses the same c weight and server memory as Artemis.
import type { ClientInit } from "./client-base.js";
import type { Section } from "./envelope.js";
import { QSGD1 } from "./config.js";
import type { PartyContext } from "./context.js";
import { clientMemoryOf, serverMemoryOf, type ClientMemory, type ServerMemory } from "./memory.js";
import type { ServerInit } from "./server-base.js";
import { SharedDownlinkClient, SharedDownlinkServer } from "./shared.js";
import type { AlgorithmSpec } from "./spec.js";
import type { ClientId } from "./types.js";
import { axpy, base64ToVec, vecToBase64 } from "./vec.js";

/** η: the configured one, else 1/(ω_down(D) + 1) for an unbiased C_down, 1 for a biased (contractive) one. */
export function doreEta(ctx: PartyContext): number {
  if (ctx.config.eta !== undefined) return ctx.config.eta;
  return ctx.down.unbiased ? 1 / (ctx.down.omega(ctx.dim) + 1) : 1;
}

export class DoreServer extends SharedDownlinkServer {
  private readonly x: Float64Array;
  private readonly e: Float64Array;
  private readonly q: Float64Array;
  private readonly mem: ServerMemory;
  private readonly d: Float64Array;

  constructor(ctx: PartyContext, init: ServerInit) {
    super(ctx, init);
    this.x = init.w0.slice();
    this.e = new Float64Array(ctx.dim);
    this.q = new Float64Array(ctx.dim);
    this.d = new Float64Array(ctx.dim);
    this.mem = serverMemoryOf(ctx, this.u, init.clients);
  }

  protected override expectsInit(id: ClientId): boolean { return this.mem.expectsInit(id); }
  get model(): Float64Array { return this.x; }

  protected update(round: number, active: readonly ClientId[], uplinks: readonly Float32Array[]): void {
    const { gamma } = this.ctx, eta = doreEta(this.ctx), beta = this.ctx.config.beta ?? 1;
    this.mem.aggregate(active, uplinks, this.d, this.c, this.inits);
    this.beforeApply(round, this.d);
    const q = this.q, e = this.e, d = this.d;
    for (let t = 0; t < q.length; t++) q[t] = eta * e[t]! - gamma * d[t]!;
    const sent = this.sendShared(round, q);          // q̂
    for (let t = 0; t < q.length; t++) e[t] = q[t]! - sent[t]!;
    axpy(this.x, beta, sent);
    this.mem.update(active, uplinks, this.inits);
    this.afterApply(round);
  }

  inspect(): Record<string, Float64Array> { return { model: this.x, error: this.e, ...this.mem.views() }; }
  protected saveData(): Record<string, unknown> {
    return { x: vecToBase64(this.x), e: vecToBase64(this.e), memory: this.mem.save(), history: this.saveHistory() };
  }
  protected loadData(s: Record<string, unknown>): void {
    this.x.set(base64ToVec(s.x, this.dim, "server model"));
    this.e.set(base64ToVec(s.e, this.dim, "server error"));
    this.mem.load(s.memory, "server memory");
    this.loadHistory(s.history);
  }
}

export class DoreClient extends SharedDownlinkClient {
  private readonly x: Float64Array;
  private readonly mem: ClientMemory;

  constructor(ctx: PartyContext, init: ClientInit) {
    super(ctx, init);
    this.x = init.w0.slice();
    this.mem = clientMemoryOf(ctx);
  }

  get model(): Float64Array { return this.x; }
  protected applyShared(qhat: Float32Array): void { axpy(this.x, this.ctx.config.beta ?? 1, qhat); }
  protected uplinkVector(): void { this.mem.vector(this.grad, this.v); }
  protected override extraSections(round: number): Section[] { return this.mem.initSections(this.ctx.seed, round, this.id); }
  protected afterSend(_round: number, sent: () => Float32Array): void { this.mem.update(sent); }

  inspect(): Record<string, Float64Array> { return this.mem.h ? { model: this.x, memory: this.mem.h } : { model: this.x }; }
  protected saveData(): Record<string, unknown> { return { x: vecToBase64(this.x), memory: this.mem.save(), applied: this.applied }; }
  protected loadData(s: Record<string, unknown>): void {
    this.x.set(base64ToVec(s.x, this.dim, "client model"));
    this.mem.load(s.memory, "client memory");
    this.loadApplied(s.applied);
  }
}

export const dore: AlgorithmSpec = {
  name: "dore",
  id: 9,
  summary: "DORE: gradient-residual uplink memory + error-compensated model-residual downlink (Liu et al. 2019)",
  rules: { keys: ["up", "down", "alpha", "beta", "eta", "serverMemory", "memoryInit"], upDefault: QSGD1, downDefault: QSGD1 },
  upMemory: true,
  downMemory: false,
  Server: DoreServer,
  Client: DoreClient,
};
