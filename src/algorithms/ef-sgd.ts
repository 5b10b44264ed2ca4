// Dist-EF-SGD (Zheng, Huang, Kwok 2019, "Communication-Efficient Distributed Blockwise Momentum
// SGD with Error-Feedback", NeurIPS, Algorithm 1 without momentum; the error feedback of
// Karimireddy et al. 2019, "Error Feedback Fixes SignSGD and other Gradient Compression Schemes"):
//   worker i: p^i = γ g^i + e^i,  Δ^i = C(p^i),  e^i ← p^i − Δ^i,  send Δ^i
//   server:   p̃ = (1/M) Σ Δ^i + ẽ,  Δ̃ = C(p̃),  ẽ ← p̃ − Δ̃,  send Δ̃
//   all:      x ← x − Δ̃.
// The compressed quantities are steps (γ inside), so the default is the paper's scaled sign
// (biased, 1 bit per coordinate; its `bucket` is their blockwise variant). The server hook
// sees the aggregated step (gamma = 1).
import type { ClientInit } from "./client-base.js";
import type { CompressorRef } from "./types.js";
import type { PartyContext } from "./context.js";
import type { ServerInit } from "./server-base.js";
import { SharedDownlinkClient, SharedDownlinkServer } from "./shared.js";
import type { AlgorithmSpec } from "./spec.js";
import type { ClientId } from "./types.js";
import { axpy, base64ToVec, vecToBase64 } from "./vec.js";

const SIGN: CompressorRef = { name: "sign", params: { bucket: 0 } };

export class EfSgdServer extends SharedDownlinkServer {
  private readonly x: Float64Array;
  private readonly e: Float64Array;
  private readonly p: Float64Array;

  constructor(ctx: PartyContext, init: ServerInit) {
    super(ctx, init);
    this.x = init.w0.slice();
    this.e = new Float64Array(ctx.dim);
    this.p = new Float64Array(ctx.dim);
  }

  get model(): Float64Array { return this.x; }

  protected update(round: number, _active: readonly ClientId[], uplinks: readonly Float32Array[]): void {
    const p = this.sumActive(this.p, uplinks), c = this.c, e = this.e;
    for (let t = 0; t < p.length; t++) p[t] = c * p[t]!;
    this.beforeApply(round, p, 1);
    for (let t = 0; t < p.length; t++) p[t] += e[t]!;           // p̃
    const sent = this.sendShared(round, p);                      // Δ̃
    for (let t = 0; t < p.length; t++) e[t] = p[t]! - sent[t]!;
    axpy(this.x, -1, sent);
    this.afterApply(round);
  }

  inspect(): Record<string, Float64Array> { return { model: this.x, error: this.e }; }
  protected saveData(): Record<string, unknown> { return { x: vecToBase64(this.x), e: vecToBase64(this.e), history: this.saveHistory() }; }
  protected loadData(s: Record<string, unknown>): void {
    this.x.set(base64ToVec(s.x, this.dim, "server model"));
    this.e.set(base64ToVec(s.e, this.dim, "server error"));
    this.loadHistory(s.history);
  }
}

export class EfSgdClient extends SharedDownlinkClient {
  private readonly x: Float64Array;
  private readonly e: Float64Array;

  constructor(ctx: PartyContext, init: ClientInit) {
    super(ctx, init);
    this.x = init.w0.slice();
    this.e = new Float64Array(ctx.dim);
  }

  get model(): Float64Array { return this.x; }
  protected applyShared(step: Float32Array): void { axpy(this.x, -1, step); }
  protected uplinkVector(): void {
    const v = this.v, g = this.grad, e = this.e, gamma = this.ctx.gamma;
    for (let t = 0; t < v.length; t++) v[t] = gamma * g[t]! + e[t]!;
  }
  protected afterSend(_round: number, sent: () => Float32Array): void {
    const s = sent(), v = this.v, e = this.e;
    for (let t = 0; t < e.length; t++) e[t] = v[t]! - s[t]!;
  }

  inspect(): Record<string, Float64Array> { return { model: this.x, error: this.e }; }
  protected saveData(): Record<string, unknown> { return { x: vecToBase64(this.x), e: vecToBase64(this.e), applied: this.applied }; }
  protected loadData(s: Record<string, unknown>): void {
    this.x.set(base64ToVec(s.x, this.dim, "client model"));
    this.e.set(base64ToVec(s.e, this.dim, "client error"));
    this.loadApplied(s.applied);
  }
}

export const efSgd: AlgorithmSpec = {
  name: "ef-sgd",
  id: 11,
  summary: "Dist-EF-SGD: error feedback both ways on γ-scaled steps, scaled sign by default (Zheng et al. 2019; Karimireddy et al. 2019)",
  rules: { keys: ["up", "down"], upDefault: SIGN, downDefault: SIGN },
  upMemory: false,
  downMemory: false,
  Server: EfSgdServer,
  Client: EfSgdClient,
};
