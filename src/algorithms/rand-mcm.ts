// Rand-MCM (Philippenko & Dieuleveut 2021, arXiv 2102.12528; spec/optimization.md "Rand-MCM"):
// MCM where every worker i has its own downlink memory H^i and its own compression,
//   ŵ_k^i = H_{k−1}^i + C_down^i(w_k − H_{k−1}^i),  H_k^i = H_{k−1}^i + α_down C_down^i(·),
// with independent randomness per worker (private downlink streams, streams.ts). The server
// compresses for a worker only when it is active (as the authors' code does), so H^i moves only
// when worker i receives something and a returning worker needs no catch-up: it gets the
// current model's view. H_0^i = ŵ_0^i = w_0.
import { FedquantError } from "../errors.js";
import { ClientBase, type ClientInit } from "./client-base.js";
import { QSGD1 } from "./config.js";
import type { PartyContext } from "./context.js";
import type { Section } from "./envelope.js";
import { clientMemoryOf, DownlinkView, serverMemoryOf, type ClientMemory, type ServerMemory } from "./memory.js";
import { ServerBase, type DownlinkPlan, type ServerInit } from "./server-base.js";
import type { AlgorithmSpec } from "./spec.js";
import { privateDownlinkStream } from "./streams.js";
import type { ClientId } from "./types.js";
import { axpy, base64ToVec, perClient, toF32, vecToBase64 } from "./vec.js";

export class RandMcmServer extends ServerBase {
  private readonly w: Float64Array;
  private readonly Hi: Map<ClientId, Float64Array>;
  private readonly mem: ServerMemory;
  private readonly d: Float64Array;
  private readonly omega: Float64Array;

  constructor(ctx: PartyContext, init: ServerInit) {
    super(ctx, init);
    this.w = init.w0.slice();
    this.Hi = new Map(init.clients.map((id) => [id, init.w0.slice()]));
    this.d = new Float64Array(ctx.dim);
    this.omega = new Float64Array(ctx.dim);
    this.mem = serverMemoryOf(ctx, this.u, init.clients);
  }

  protected override expectsInit(id: ClientId): boolean { return this.mem.expectsInit(id); }
  get model(): Float64Array { return this.w; }

  protected downlink(round: number, active: readonly ClientId[]): DownlinkPlan {
    const sections = new Map<ClientId, Section[]>();
    const moves = new Map<ClientId, Float32Array>();
    if (round > 0) {
      for (const id of active) {
        const H = this.Hi.get(id)!;
        for (let t = 0; t < H.length; t++) this.omega[t] = this.w[t]! - H[t]!;
        const msg = this.ctx.down.encode(toF32(this.omega, this.f32), privateDownlinkStream(this.ctx.seed, round - 1, id));
        sections.set(id, [{ round: round - 1, slot: 0, bytes: msg }]);
        moves.set(id, this.ctx.down.decode(msg, this.ctx.dim));
      }
    }
    // H^i moves only for a client that answered: an absent one rewinds its step, H^i included
    return { sections, commit: (answered) => { for (const id of answered) { const x = moves.get(id); if (x) axpy(this.Hi.get(id)!, this.ctx.alphaDown, x); } } };
  }

  protected update(round: number, active: readonly ClientId[], uplinks: readonly Float32Array[]): void {
    this.mem.aggregate(active, uplinks, this.d, this.c, this.inits);
    this.beforeApply(round, this.d);
    axpy(this.w, -this.ctx.gamma, this.d);
    this.mem.update(active, uplinks, this.inits);
    this.afterApply(round);
  }

  inspect(): Record<string, Float64Array> {
    const out: Record<string, Float64Array> = { model: this.w, ...this.mem.views() };
    for (const [id, H] of this.Hi) out[`downMemory${id}`] = H;
    return out;
  }
  protected saveData(): Record<string, unknown> {
    return { w: vecToBase64(this.w), Hi: [...this.Hi].map(([id, H]) => [id, vecToBase64(H)]), memory: this.mem.save() };
  }
  protected loadData(s: Record<string, unknown>): void {
    this.w.set(base64ToVec(s.w, this.dim, "server model"));
    if (!Array.isArray(s.Hi)) throw new FedquantError("E_STATE", "checkpoint Hi must hold one downlink memory per client");
    for (const [id, v] of perClient(s.Hi, [...this.Hi.keys()], "checkpoint Hi")) this.Hi.get(id)!.set(base64ToVec(v, this.dim, `downlink memory of client ${id}`));
    this.mem.load(s.memory, "server memory");
  }
}

export class RandMcmClient extends ClientBase {
  private readonly down: DownlinkView;
  private readonly mem: ClientMemory;

  constructor(ctx: PartyContext, init: ClientInit) {
    super(ctx, init);
    this.down = new DownlinkView(init.w0, ctx.alphaDown);
    this.mem = clientMemoryOf(ctx);
  }

  get model(): Float64Array { return this.down.view; }

  protected prepareDownlink(round: number, sections: readonly Section[]): () => void {
    const want = round === 0 ? 0 : 1;
    if (sections.length !== want || (want === 1 && (sections[0]!.round !== round - 1 || sections[0]!.slot !== 0))) {
      throw new FedquantError("E_PROTOCOL", `client ${this.id}: a Rand-MCM downlink of round ${round} carries exactly the view of round ${round - 1}`);
    }
    if (want === 0) return () => {};
    const x = this.ctx.down.decode(sections[0]!.bytes, this.ctx.dim, privateDownlinkStream(this.ctx.seed, round - 1, this.id));
    return () => { this.down.apply(x); };
  }

  protected uplinkVector(): void { this.mem.vector(this.grad, this.v); }
  protected override extraSections(round: number): Section[] { return this.mem.initSections(this.ctx.seed, round, this.id); }
  protected afterSend(_round: number, sent: () => Float32Array): void { this.mem.update(sent); }

  inspect(): Record<string, Float64Array> { return this.down.views(this.mem); }
  protected saveData(): Record<string, unknown> { return { ...this.down.save(), memory: this.mem.save() }; }
  protected loadData(s: Record<string, unknown>): void {
    this.down.load(s);
    this.mem.load(s.memory, "client memory");
  }
}

export const randMcm: AlgorithmSpec = {
  name: "rand-mcm",
  id: 8,
  summary: "Rand-MCM: MCM with a downlink memory and independent compression per worker (Philippenko & Dieuleveut 2021)",
  rules: { keys: ["up", "down", "alpha", "alphaDown", "serverMemory", "memoryInit"], upDefault: QSGD1, downDefault: QSGD1 },
  upMemory: true,
  downMemory: true,
  Server: RandMcmServer,
  Client: RandMcmClient,
};
