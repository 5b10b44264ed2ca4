// MCM, "preserved central model" (Philippenko & Dieuleveut 2021, arXiv 2102.12528;
// spec/optimization.md "MCM"): the server keeps the exact model,
//   w_k = w_{k−1} − γ ĝ_k,  ĝ_k from uplinks computed at ŵ_{k−1} (DIANA memory if α ≠ 0),
// and sends a compressed view through a downlink memory H shared with every worker:
//   Ω_k = w_k − H_{k−1};  ŵ_k = H_{k−1} + C_down(Ω_k);  H_k = H_{k−1} + α_down C_down(Ω_k).
// Only C_down(Ω_k) travels. H_0 = ŵ_0 = w_0 (known to all; the authors' code starts H at the
// initial model in its deep-learning version, at 0 in the convex one — the same when w_0 = 0).
// Under partial participation a returning worker replays the Ω messages it missed, which brings
// its H (and ŵ) to the server's; the authors switch to Rand-MCM instead (rand-mcm.ts).
import type { ClientInit } from "./client-base.js";
import type { Section } from "./envelope.js";
import { QSGD1 } from "./config.js";
import type { PartyContext } from "./context.js";
import { clientMemoryOf, DownlinkView, serverMemoryOf, type ClientMemory, type ServerMemory } from "./memory.js";
import type { ServerInit } from "./server-base.js";
import { SharedDownlinkClient, SharedDownlinkServer } from "./shared.js";
import type { AlgorithmSpec } from "./spec.js";
import type { ClientId } from "./types.js";
import { axpy, base64ToVec, subInto, vecToBase64 } from "./vec.js";

export class McmServer extends SharedDownlinkServer {
  private readonly w: Float64Array;
  private readonly H: Float64Array;
  private readonly mem: ServerMemory;
  private readonly d: Float64Array;
  private readonly omega: Float64Array;

  constructor(ctx: PartyContext, init: ServerInit) {
    super(ctx, init);
    this.w = init.w0.slice();
    this.H = init.w0.slice();
    this.d = new Float64Array(ctx.dim);
    this.omega = new Float64Array(ctx.dim);
    this.mem = serverMemoryOf(ctx, this.u, init.clients);
  }

  protected override expectsInit(id: ClientId): boolean { return this.mem.expectsInit(id); }
  get model(): Float64Array { return this.w; }

  protected update(round: number, active: readonly ClientId[], uplinks: readonly Float32Array[]): void {
    this.mem.aggregate(active, uplinks, this.d, this.c, this.inits);
    this.beforeApply(round, this.d);
    axpy(this.w, -this.ctx.gamma, this.d);              // the central model is never degraded
    subInto(this.omega, this.w, this.H);                 // Ω_k = w_k − H_{k−1}
    const sent = this.sendShared(round, this.omega);     // C_down(Ω_k)
    axpy(this.H, this.ctx.alphaDown, sent);
    this.mem.update(active, uplinks, this.inits);
    this.afterApply(round);
  }

  inspect(): Record<string, Float64Array> { return { model: this.w, downMemory: this.H, ...this.mem.views() }; }
  protected saveData(): Record<string, unknown> {
    return { w: vecToBase64(this.w), H: vecToBase64(this.H), memory: this.mem.save(), history: this.saveHistory() };
  }
  protected loadData(s: Record<string, unknown>): void {
    this.w.set(base64ToVec(s.w, this.dim, "server model"));
    this.H.set(base64ToVec(s.H, this.dim, "server downlink memory"));
    this.mem.load(s.memory, "server memory");
    this.loadHistory(s.history);
  }
}

export class McmClient extends SharedDownlinkClient {
  private readonly down: DownlinkView;
  private readonly mem: ClientMemory;

  constructor(ctx: PartyContext, init: ClientInit) {
    super(ctx, init);
    this.down = new DownlinkView(init.w0, ctx.alphaDown);
    this.mem = clientMemoryOf(ctx);
  }

  get model(): Float64Array { return this.down.view; }

  protected applyShared(x: Float32Array): void { this.down.apply(x); }
  protected uplinkVector(): void { this.mem.vector(this.grad, this.v); }
  protected override extraSections(round: number): Section[] { return this.mem.initSections(this.ctx.seed, round, this.id); }
  protected afterSend(_round: number, sent: () => Float32Array): void { this.mem.update(sent); }

  inspect(): Record<string, Float64Array> { return this.down.views(this.mem); }
  protected saveData(): Record<string, unknown> { return { ...this.down.save(), memory: this.mem.save(), applied: this.applied }; }
  protected loadData(s: Record<string, unknown>): void {
    this.down.load(s);
    this.mem.load(s.memory, "client memory");
    this.loadApplied(s.applied);
  }
}

export const mcm: AlgorithmSpec = {
  name: "mcm",
  id: 7,
  summary: "MCM: exact central model, compressed model view with downlink memory H (Philippenko & Dieuleveut 2021)",
  rules: { keys: ["up", "down", "alpha", "alphaDown", "serverMemory", "memoryInit"], upDefault: QSGD1, downDefault: QSGD1 },
  upMemory: true,
  downMemory: true,
  Server: McmServer,
  Client: McmClient,
};
