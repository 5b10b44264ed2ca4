// Federated SGD, the uncompressed baseline (spec/optimization.md "SGD"):
// w_k = w_{k−1} − γ (1/N) Σ_i g_k^i. The wire is f32: clients send f32(g^i); the server sends
// either the f32 update f32(ĝ) that server and clients all apply (broadcast "update", default:
// clients hold the server's f64 model exactly, like Artemis), or the f32 model f32(w) (broadcast
// "model": the classic parameter server, and what MCM's preserved central model reduces to).
// Written on its own, not as a preset, so that the identity-compressor equivalences compare two
// independent implementations.
import { FedquantError } from "../errors.js";
import { ClientBase, type ClientInit } from "./client-base.js";
import { IDENTITY } from "./config.js";
import type { PartyContext } from "./context.js";
import type { Section } from "./envelope.js";
import { DownlinkHistory, expectContiguous } from "./history.js";
import { ServerBase, type DownlinkPlan, type ServerInit } from "./server-base.js";
import type { AlgorithmSpec } from "./spec.js";
import { downlinkStream } from "./streams.js";
import type { ClientId } from "./types.js";
import { axpy, base64ToBytes, base64ToVec, bytesToBase64, toF32, vecToBase64 } from "./vec.js";

export class SgdServer extends ServerBase {
  private readonly w: Float64Array;
  private readonly d: Float64Array;
  private readonly byModel: boolean;
  /** "update": every round's f32(ĝ) until all clients have it; "model": only the latest f32(w) */
  private readonly history: DownlinkHistory;
  private latest: Uint8Array | null = null;

  constructor(ctx: PartyContext, init: ServerInit) {
    super(ctx, init);
    this.w = init.w0.slice();
    this.d = new Float64Array(ctx.dim);
    this.byModel = ctx.config.broadcast === "model";
    this.history = new DownlinkHistory(init.clients);
  }

  get model(): Float64Array { return this.w; }

  protected downlink(round: number, active: readonly ClientId[]): DownlinkPlan {
    const sections = new Map<ClientId, Section[]>();
    if (this.byModel) {
      // the current model replaces whatever a client held: nothing to catch up
      for (const id of active) sections.set(id, round === 0 ? [] : [{ round: round - 1, slot: 0, bytes: this.latest! }]);
      return { sections, commit: () => {} };
    }
    for (const id of active) sections.set(id, this.history.sectionsFor(id, round));
    return { sections, commit: (answered) => { for (const id of answered) this.history.delivered(id, round); this.history.prune(); } };
  }

  protected update(round: number, _active: readonly ClientId[], uplinks: readonly Float32Array[]): void {
    const d = this.weightedSum(this.d, uplinks);
    this.beforeApply(round, d);
    if (this.byModel) {
      axpy(this.w, -this.ctx.gamma, d);
      this.latest = this.ctx.down.encode(toF32(this.w, this.f32), downlinkStream(this.ctx.seed, round));
    } else {
      const msg = this.ctx.down.encode(toF32(d, this.f32), downlinkStream(this.ctx.seed, round));
      this.history.push(round, msg);
      axpy(this.w, -this.ctx.gamma, this.ctx.down.decode(msg, this.ctx.dim));
    }
    this.afterApply(round);
  }

  inspect(): Record<string, Float64Array> { return { model: this.w }; }
  protected saveData(): Record<string, unknown> {
    return { w: vecToBase64(this.w), history: this.byModel ? null : this.history.toJSON(), latest: this.latest ? bytesToBase64(this.latest) : null };
  }
  protected loadData(s: Record<string, unknown>): void {
    this.w.set(base64ToVec(s.w, this.dim, "server model"));
    if (!this.byModel) this.history.load(s.history, this.round);
    else if (this.round > 0) this.latest = base64ToBytes(s.latest, "latest model message");
  }
}

export class SgdClient extends ClientBase {
  private readonly w: Float64Array;
  private readonly byModel: boolean;
  private applied = 0;

  constructor(ctx: PartyContext, init: ClientInit) {
    super(ctx, init);
    this.w = init.w0.slice();
    this.byModel = ctx.config.broadcast === "model";
  }

  get model(): Float64Array { return this.w; }

  protected prepareDownlink(round: number, sections: readonly Section[]): () => void {
    if (this.byModel) {
      const want = round === 0 ? 0 : 1;
      if (sections.length !== want || (want === 1 && (sections[0]!.round !== round - 1 || sections[0]!.slot !== 0))) {
        throw new FedquantError("E_PROTOCOL", `client ${this.id}: the downlink of round ${round} must carry the model of round ${round - 1} only`);
      }
      if (want === 0) return () => {};
      const x = this.ctx.down.decode(sections[0]!.bytes, this.ctx.dim, downlinkStream(this.ctx.seed, round - 1));
      return () => { this.w.set(x); };
    }
    expectContiguous(sections, this.applied, round, this.id);
    const xs = sections.map((s) => this.ctx.down.decode(s.bytes, this.ctx.dim, downlinkStream(this.ctx.seed, s.round)));
    return () => {
      for (const x of xs) axpy(this.w, -this.ctx.gamma, x);
      this.applied = round;
    };
  }

  protected uplinkVector(): void { this.v.set(this.grad); }
  protected afterSend(): void {}

  inspect(): Record<string, Float64Array> { return { model: this.w }; }
  protected saveData(): Record<string, unknown> { return { w: vecToBase64(this.w), applied: this.applied }; }
  protected loadData(s: Record<string, unknown>): void {
    this.w.set(base64ToVec(s.w, this.dim, "client model"));
    if (!Number.isInteger(s.applied) || (s.applied as number) < 0) throw new FedquantError("E_STATE", "checkpoint \"applied\" must be an integer ≥ 0");
    this.applied = s.applied as number;
  }
}

export const sgd: AlgorithmSpec = {
  name: "sgd",
  id: 1,
  summary: "SGD: uncompressed baseline, f32 gradients up, f32 update (or model) down",
  rules: {
    keys: ["broadcast"], upDefault: IDENTITY, downDefault: IDENTITY,
    hints: { up: "SGD is uncompressed: use qsgd", down: "SGD is uncompressed: use biqsgd or artemis", alpha: "SGD has no memory: use diana" },
  },
  upMemory: false,
  downMemory: false,
  Server: SgdServer,
  Client: SgdClient,
};
