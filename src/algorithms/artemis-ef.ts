// The Artemis/MCM authors' "Dore" (philipco/artemis-bidirectional-compression,
// PredefinedParameters.Dore = Artemis + down_error_feedback; GradientUpdateMethod
// .perform_down_compression): Artemis (artemis.ts) whose downlink compresses the update with
// error feedback,
//   v_k = ĝ_k + η e_{k−1};  ω_k = C_down(v_k);  e_k = v_k − ω_k;  w_k = w_{k−1} − γ ω_k,
// on the server and on every worker (they apply ω_k as Artemis' workers do). The authors call it
// "Dore"; DORE (Liu et al. 2019, dore.ts) compresses the model residual η e − γ ĝ and moves
// x̂ += β q̂. With β = 1 and a compressor that is odd and positively homogeneous under shared
// randomness (C(λx) = λC(x): QSGD, top-k, scaled sign) the two coincide, e_DORE = −γ e here
// (test/algorithms/reference/ef-dore-equivalence.test.ts); they differ in β and in η's default. Their code feeds the error back with η = γ
// (error_feedback_coef = step size); here η defaults as in dore.ts, 1/(ω_down + 1) for an
// unbiased C_down (1 for a contractive one): E‖e_k‖² = ω_down E‖ĝ_k + η e_{k−1}‖² stays bounded
// only when η²ω_down < 1. Pass eta: γ (γ ≤ 1) to run the authors' coefficient.
import { ArtemisClient, ArtemisServer } from "./artemis.js";
import { QSGD1 } from "./config.js";
import type { PartyContext } from "./context.js";
import { doreEta } from "./dore.js";
import type { ServerInit } from "./server-base.js";
import type { AlgorithmSpec } from "./spec.js";
import { base64ToVec, vecToBase64 } from "./vec.js";

export class ArtemisEfServer extends ArtemisServer {
  private readonly e: Float64Array;
  private readonly p: Float64Array;

  constructor(ctx: PartyContext, init: ServerInit) {
    super(ctx, init);
    this.e = new Float64Array(ctx.dim);
    this.p = new Float64Array(ctx.dim);
  }

  /** Send C_down(ĝ + η e) instead of C_down(ĝ), keep the new error e = (ĝ + η e) − C_down(ĝ + η e). */
  protected override sendShared(round: number, g: Float64Array): Float32Array {
    const p = this.p, e = this.e, eta = doreEta(this.ctx);
    for (let t = 0; t < p.length; t++) p[t] = g[t]! + eta * e[t]!;
    const sent = super.sendShared(round, p);
    for (let t = 0; t < p.length; t++) e[t] = p[t]! - sent[t]!;
    return sent;
  }

  override inspect(): Record<string, Float64Array> { return { ...super.inspect(), error: this.e }; }
  protected override saveData(): Record<string, unknown> { return { ...super.saveData(), e: vecToBase64(this.e) }; }
  protected override loadData(d: Record<string, unknown>): void {
    super.loadData(d);
    this.e.set(base64ToVec(d.e, this.dim, "server error"));
  }
}

export const artemisEf: AlgorithmSpec = {
  name: "artemis-ef",
  id: 12,
  summary: "the Artemis authors' \"Dore\": Artemis + error feedback on the compressed downlink update (Philippenko & Dieuleveut's code; not DORE of Liu et al.)",
  rules: { keys: ["up", "down", "alpha", "eta", "serverMemory", "memoryInit"], upDefault: QSGD1, downDefault: QSGD1 },
  upMemory: true,
  downMemory: false,
  Server: ArtemisEfServer,
  Client: ArtemisClient,
};
