// Artemis (Philippenko & Dieuleveut 2020, arXiv 2006.14591; spec/optimization.md "Artemis"):
// uplink as DIANA, Δ^i = C_up(g^i − h^i), h^i += αΔ^i; server ĝ = c Σ_{i∈S} Δ^i + h (or the
// paper's c Σ_{i∈S}(Δ^i + h^i), serverMemory "active-workers"); downlink C_down(ĝ); server and
// workers all apply w ← w − γ C_down(ĝ), so every active worker holds the server's model
// (returning workers replay the updates they missed). With α = 0 it is Bi-QSGD; with an
// identity downlink it is DIANA (α ≠ 0) or QSGD (α = 0) — qsgd.ts, diana.ts, biqsgd.ts; with an
// exact server model, Artemis-ND (artemis-nd.ts).
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

export class ArtemisServer extends SharedDownlinkServer {
  private readonly w: Float64Array;
  private readonly mem: ServerMemory;
  private readonly d: Float64Array;

  constructor(ctx: PartyContext, init: ServerInit) {
    super(ctx, init);
    this.w = init.w0.slice();
    this.d = new Float64Array(ctx.dim);
    this.mem = serverMemoryOf(ctx, this.u, init.clients);
  }

  protected override expectsInit(id: ClientId): boolean { return this.mem.expectsInit(id); }
  get model(): Float64Array { return this.w; }

  /** The direction the server's model moves along: C_down(ĝ), the step every worker takes too. */
  protected serverDirection(sent: Float32Array, _exact: Float64Array): ArrayLike<number> { return sent; }

  protected update(round: number, active: readonly ClientId[], uplinks: readonly Float32Array[]): void {
    this.mem.aggregate(active, uplinks, this.d, this.c, this.inits);
    this.beforeApply(round, this.d);
    const sent = this.sendShared(round, this.d);       // C_down(ĝ)
    axpy(this.w, -this.ctx.gamma, this.serverDirection(sent, this.d));
    this.mem.update(active, uplinks, this.inits);
    this.afterApply(round);
  }

  override inspect(): Record<string, Float64Array> { return { model: this.w, ...this.mem.views() }; }
  protected saveData(): Record<string, unknown> { return { w: vecToBase64(this.w), memory: this.mem.save(), history: this.saveHistory() }; }
  protected loadData(d: Record<string, unknown>): void {
    this.w.set(base64ToVec(d.w, this.dim, "server model"));
    this.mem.load(d.memory, "server memory");
    this.loadHistory(d.history);
  }
}

export class ArtemisClient extends SharedDownlinkClient {
  private readonly w: Float64Array;
  private readonly mem: ClientMemory;
  /** the checkpoint key of the model, and what error messages call it */
  protected readonly modelKey: string = "w";
  protected readonly modelName: string = "client model";

  constructor(ctx: PartyContext, init: ClientInit) {
    super(ctx, init);
    this.w = init.w0.slice();
    this.mem = clientMemoryOf(ctx);
  }

  get model(): Float64Array { return this.w; }
  protected applyShared(x: Float32Array): void { axpy(this.w, -this.ctx.gamma, x); }
  protected uplinkVector(): void { this.mem.vector(this.grad, this.v); }
  protected override extraSections(round: number): Section[] { return this.mem.initSections(this.ctx.seed, round, this.id); }
  protected afterSend(_round: number, sent: () => Float32Array): void { this.mem.update(sent); }

  inspect(): Record<string, Float64Array> { return this.mem.h ? { model: this.w, memory: this.mem.h } : { model: this.w }; }
  protected saveData(): Record<string, unknown> { return { [this.modelKey]: vecToBase64(this.w), memory: this.mem.save(), applied: this.applied }; }
  protected loadData(d: Record<string, unknown>): void {
    this.w.set(base64ToVec(d[this.modelKey], this.dim, this.modelName));
    this.mem.load(d.memory, "client memory");
    this.loadApplied(d.applied);
  }
}

export const artemis: AlgorithmSpec = {
  name: "artemis",
  id: 5,
  summary: "Artemis: bidirectional compression, DIANA uplink memory, partial participation (Philippenko & Dieuleveut 2020)",
  rules: { keys: ["up", "down", "alpha", "serverMemory", "memoryInit"], upDefault: QSGD1, downDefault: QSGD1 },
  upMemory: true,
  downMemory: false,
  Server: ArtemisServer,
  Client: ArtemisClient,
};
