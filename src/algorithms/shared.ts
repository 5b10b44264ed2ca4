// Parties of the algorithms whose server sends ONE downlink message per round, the same for
// every client (Artemis family, Artemis-ND, MCM, Dore, DoubleSqueeze, EF-SGD): the server
// encodes it in update() with the round's shared downlink stream and keeps it for catch-up
// (history.ts); a client applies the rounds it lacks, in order, decoding each against the
// stream of its round (a replayed or reordered message does not decode).
import type { Section } from "./envelope.js";
import { ClientBase, type ClientInit } from "./client-base.js";
import type { PartyContext } from "./context.js";
import { DownlinkHistory, expectContiguous } from "./history.js";
import { ServerBase, type DownlinkPlan, type ServerInit } from "./server-base.js";
import { downlinkStream } from "./streams.js";
import type { ClientId } from "./types.js";
import { toF32 } from "./vec.js";
import { FedquantError } from "../errors.js";

export abstract class SharedDownlinkServer extends ServerBase {
  protected readonly history: DownlinkHistory;

  constructor(ctx: PartyContext, init: ServerInit) {
    super(ctx, init);
    this.history = new DownlinkHistory(init.clients);
  }

  protected downlink(round: number, active: readonly ClientId[]): DownlinkPlan {
    const sections = new Map<ClientId, Section[]>();
    for (const id of active) sections.set(id, this.history.sectionsFor(id, round));
    return {
      sections,
      commit: (answered) => {
        for (const id of answered) this.history.delivered(id, round);
        this.history.prune();
      },
    };
  }

  /** Encode x (f64 → f32 → C_down) as round k's shared message, keep it, return what every client will decode. */
  protected sendShared(round: number, x: Float64Array): Float32Array {
    const msg = this.ctx.down.encode(toF32(x, this.f32), downlinkStream(this.ctx.seed, round));
    this.history.push(round, msg);
    return this.ctx.down.decode(msg, this.ctx.dim);
  }

  protected saveHistory(): unknown { return this.history.toJSON(); }
  protected loadHistory(s: unknown): void { this.history.load(s, this.round); }
}

export abstract class SharedDownlinkClient extends ClientBase {
  /** the first round whose downlink message this client has not applied */
  protected applied = 0;

  constructor(ctx: PartyContext, init: ClientInit) { super(ctx, init); }

  /** Apply one round's decoded downlink message. */
  protected abstract applyShared(decoded: Float32Array): void;

  protected prepareDownlink(round: number, sections: readonly Section[]): () => void {
    expectContiguous(sections, this.applied, round, this.id);
    const decoded = sections.map((s) => this.ctx.down.decode(s.bytes, this.ctx.dim, downlinkStream(this.ctx.seed, s.round)));
    return () => {
      for (const x of decoded) this.applyShared(x);
      this.applied = round;
    };
  }

  protected loadApplied(v: unknown): void {
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > this.round + 1) {
      throw new FedquantError("E_STATE", `checkpoint "applied" must be an integer in [0, round + 1], got ${String(v)}`);
    }
    this.applied = v as number;
  }
}
