// Artemis-ND, "non-degraded" (Philippenko & Dieuleveut 2021, arXiv 2102.12528, the variant the
// MCM paper compares with; spec/optimization.md): Artemis where the server also keeps the exact
// model, w_k = w_{k−1} − γ ĝ_k, while it sends C_down(ĝ_k) as Artemis does and each worker
// moves its own view ŵ_k = ŵ_{k−1} − γ C_down(ĝ_k), where it computes its gradients (the
// authors' non_degraded flag). Returning workers replay the updates they missed.
import type { ClientInit } from "./client-base.js";
import { QSGD1 } from "./config.js";
import type { PartyContext } from "./context.js";
import { ClientMemory, ServerMemory } from "./memory.js";
import type { ServerInit } from "./server-base.js";
import { SharedDownlinkClient, SharedDownlinkServer } from "./shared.js";
import type { AlgorithmSpec } from "./spec.js";
import type { ClientId } from "./types.js";
import { axpy, base64ToVec, vecToBase64 } from "./vec.js";

export class ArtemisNdServer extends SharedDownlinkServer {
  private readonly w: Float64Array;
  private readonly mem: ServerMemory;
  private readonly d: Float64Array;

  constructor(ctx: PartyContext, init: ServerInit) {
    super(ctx, init);
    this.w = init.w0.slice();
    this.d = new Float64Array(ctx.dim);
    this.mem = new ServerMemory(ctx.config.serverMemory ?? "all-workers", ctx.alpha, this.c, this.u, ctx.dim, init.clients);
  }

  get model(): Float64Array { return this.w; }

  protected update(round: number, active: readonly ClientId[], uplinks: readonly Float32Array[]): void {
    this.mem.aggregate(active, uplinks, this.d);
    this.beforeApply(round, this.d);
    this.sendShared(round, this.d);                  // the workers get C_down(ĝ)
    axpy(this.w, -this.ctx.gamma, this.d);           // the server moves by the exact ĝ
    this.mem.update(active, uplinks);
    this.afterApply(round);
  }

  inspect(): Record<string, Float64Array> { return { model: this.w, ...this.mem.views() }; }
  protected saveData(): Record<string, unknown> { return { w: vecToBase64(this.w), memory: this.mem.save(), history: this.saveHistory() }; }
  protected loadData(s: Record<string, unknown>): void {
    this.w.set(base64ToVec(s.w, this.dim, "server model"));
    this.mem.load(s.memory, "server memory");
    this.loadHistory(s.history);
  }
}

export class ArtemisNdClient extends SharedDownlinkClient {
  private readonly view: Float64Array;
  private readonly mem: ClientMemory;

  constructor(ctx: PartyContext, init: ClientInit) {
    super(ctx, init);
    this.view = init.w0.slice();
    this.mem = new ClientMemory(ctx.alpha, ctx.dim);
  }

  get model(): Float64Array { return this.view; }
  protected applyShared(x: Float32Array): void { axpy(this.view, -this.ctx.gamma, x); }
  protected uplinkVector(): void { this.mem.vector(this.grad, this.v); }
  protected afterSend(_round: number, sent: () => Float32Array): void { this.mem.update(sent); }

  inspect(): Record<string, Float64Array> { return this.mem.h ? { model: this.view, memory: this.mem.h } : { model: this.view }; }
  protected saveData(): Record<string, unknown> { return { view: vecToBase64(this.view), memory: this.mem.save(), applied: this.applied }; }
  protected loadData(s: Record<string, unknown>): void {
    this.view.set(base64ToVec(s.view, this.dim, "client model view"));
    this.mem.load(s.memory, "client memory");
    this.loadApplied(s.applied);
  }
}

export const artemisNd: AlgorithmSpec = {
  name: "artemis-nd",
  id: 6,
  summary: "Artemis-ND: Artemis with an exact (non-degraded) central model (Philippenko & Dieuleveut 2021)",
  rules: { keys: ["up", "down", "alpha", "serverMemory"], upDefault: QSGD1, downDefault: QSGD1 },
  upMemory: true,
  downMemory: false,
  Server: ArtemisNdServer,
  Client: ArtemisNdClient,
};
