// DoubleSqueeze (Tang, Yu, Lian, Zhang, Liu 2019, "DoubleSqueeze: Parallel Stochastic Gradient
// Descent with Double-Pass Error-Compensated Compression", ICML, Algorithm 1):
//   worker i: v^i = Q[g^i + δ^i],  δ^i ← g^i + δ^i − v^i,  send v^i
//   server:   v = (1/n) Σ v^i;  v̄ = Q[v + δ],  δ ← v + δ − v̄,  send v̄
//   all:      x ← x − γ v̄.
// Error feedback on both sides (spec/compressors.md "Error feedback"), errors kept in f64.
// Returning workers replay the v̄ they missed; their own δ^i moves only when they send.
// Error feedback needs a contractive compressor (E‖C(x) − x‖² ≤ (1 − δ)‖x‖², δ > 0): with an
// unbiased one of ω ≥ 1 (QSGD s = 1 in any D ≥ 2) the error grows geometrically. Hence the
// default is the paper's 1-bit compression (scaled sign); any compressor can be named.
// Dist-EF-SGD (ef-sgd.ts) is the same machine with γ moved inside the compressed quantities.
// Option eta (η, default 1 = Tang et al.): the error is fed back as η δ — v^i = Q[g^i + η δ^i],
// v̄ = Q[v + η δ]. Then E‖δ_{k+1}‖² = ω E‖g + η δ_k‖², bounded when η²ω < 1. The Artemis/MCM
// authors' code does this with η = γ (GradientDescent.__init__: error_feedback_coef = step size;
// LocalUpdate: delta_i = g_i − h_i + error_i · error_feedback_coef), which is why their
// DoubleSqueeze runs with an unbiased ℓ2 quantizer; docs/experiments.md measures both.
import type { ClientInit } from "./client-base.js";
import { SIGN } from "./config.js";
import type { PartyContext } from "./context.js";
import type { ServerInit } from "./server-base.js";
import { SharedDownlinkClient, SharedDownlinkServer } from "./shared.js";
import type { AlgorithmSpec } from "./spec.js";
import type { ClientId } from "./types.js";
import { axpy, base64ToVec, vecToBase64 } from "./vec.js";

export class DoubleSqueezeServer extends SharedDownlinkServer {
  private readonly x: Float64Array;
  private readonly delta: Float64Array;
  private readonly p: Float64Array;
  /** the checkpoint key of the error δ */
  protected readonly errorKey: string = "delta";

  constructor(ctx: PartyContext, init: ServerInit) {
    super(ctx, init);
    this.x = init.w0.slice();
    this.delta = new Float64Array(ctx.dim);
    this.p = new Float64Array(ctx.dim);
  }

  get model(): Float64Array { return this.x; }

  /** The factor of the model step x ← x − stepSize·v̄: γ, as the uplinks are gradients. */
  protected stepSize(): number { return this.ctx.gamma; }

  protected update(round: number, _active: readonly ClientId[], uplinks: readonly Float32Array[]): void {
    const p = this.weightedSum(this.p, uplinks), delta = this.delta; // v
    const step = this.stepSize(), eta = this.ctx.config.eta ?? 1;
    this.beforeApply(round, p, step);
    for (let t = 0; t < p.length; t++) p[t] += eta * delta[t]!; // v + ηδ
    const sent = this.sendShared(round, p);                      // v̄ = Q[v + δ]
    for (let t = 0; t < p.length; t++) delta[t] = p[t]! - sent[t]!;
    axpy(this.x, -step, sent);
    this.afterApply(round);
  }

  inspect(): Record<string, Float64Array> { return { model: this.x, error: this.delta }; }
  protected saveData(): Record<string, unknown> { return { x: vecToBase64(this.x), [this.errorKey]: vecToBase64(this.delta), history: this.saveHistory() }; }
  protected loadData(s: Record<string, unknown>): void {
    this.x.set(base64ToVec(s.x, this.dim, "server model"));
    this.delta.set(base64ToVec(s[this.errorKey], this.dim, "server error"));
    this.loadHistory(s.history);
  }
}

export class DoubleSqueezeClient extends SharedDownlinkClient {
  private readonly x: Float64Array;
  private readonly delta: Float64Array;
  /** the checkpoint key of the error δ^i */
  protected readonly errorKey: string = "delta";

  constructor(ctx: PartyContext, init: ClientInit) {
    super(ctx, init);
    this.x = init.w0.slice();
    this.delta = new Float64Array(ctx.dim);
  }

  get model(): Float64Array { return this.x; }

  /** The factor of the gradient in the compressed vector (1: the uplink is g + δ). */
  protected gradientScale(): number { return 1; }
  /** The factor of the model step x ← x − stepSize·v̄ (γ). */
  protected stepSize(): number { return this.ctx.gamma; }

  protected applyShared(vbar: Float32Array): void { axpy(this.x, -this.stepSize(), vbar); }
  protected uplinkVector(): void {
    const v = this.v, g = this.grad, d = this.delta, a = this.gradientScale(), eta = this.ctx.config.eta ?? 1;
    for (let t = 0; t < v.length; t++) v[t] = a * g[t]! + eta * d[t]!;
  }
  protected afterSend(_round: number, sent: () => Float32Array): void {
    const s = sent(), v = this.v, d = this.delta;
    for (let t = 0; t < d.length; t++) d[t] = v[t]! - s[t]!;
  }

  inspect(): Record<string, Float64Array> { return { model: this.x, error: this.delta }; }
  protected saveData(): Record<string, unknown> { return { x: vecToBase64(this.x), [this.errorKey]: vecToBase64(this.delta), applied: this.applied }; }
  protected loadData(s: Record<string, unknown>): void {
    this.x.set(base64ToVec(s.x, this.dim, "client model"));
    this.delta.set(base64ToVec(s[this.errorKey], this.dim, "client error"));
    this.loadApplied(s.applied);
  }
}

export const doubleSqueeze: AlgorithmSpec = {
  name: "double-squeeze",
  id: 10,
  summary: "DoubleSqueeze: error-compensated compression on both sides (Tang et al. 2019)",
  rules: { keys: ["up", "down", "eta"], upDefault: SIGN, downDefault: SIGN },
  upMemory: false,
  downMemory: false,
  Server: DoubleSqueezeServer,
  Client: DoubleSqueezeClient,
};
