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
import { sameBytes, toF32 } from "./vec.js";
import type { Compressor } from "../compressors/index.js";
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

/**
 * The last downlink message decoded on this thread and its decode. Every client of a round gets
 * the same message (the server encodes it once), so the clients a thread hosts (a simulation, a
 * pool worker) would decode the same bytes again and again — for an uncompressed downlink a
 * copy and a finiteness scan of D floats each, ~5 % of an E4 client step (issue #13). A decode
 * is a function of (decoder, dimension, expected stream, bytes): a message is reused only when
 * all four are the same, the bytes compared in full; anything else is decoded. One entry per
 * thread (the bytes copied, so a moved or reused buffer cannot change it).
 */
let lastShared: { down: Compressor; dim: number; seed: bigint; round: number; bytes: Uint8Array; x: Float32Array } | null = null;

function decodeShared(down: Compressor, dim: number, seed: bigint, round: number, bytes: Uint8Array): Float32Array {
  const c = lastShared;
  if (c !== null && c.down === down && c.dim === dim && c.seed === seed && c.round === round && sameBytes(c.bytes, bytes)) return c.x;
  const x = down.decode(bytes, dim, downlinkStream(seed, round));
  // the copy at the same offset modulo 4 as the clients' sections, so sameBytes compares words
  const at = bytes.byteOffset & 3, copy = new Uint8Array(new ArrayBuffer(at + bytes.length), at, bytes.length);
  copy.set(bytes);
  lastShared = { down, dim, seed, round, bytes: copy, x };
  return x;
}

export abstract class SharedDownlinkClient extends ClientBase {
  /** the first round whose downlink message this client has not applied */
  protected applied = 0;

  constructor(ctx: PartyContext, init: ClientInit) { super(ctx, init); }

  /** Apply one round's decoded downlink message (shared with the thread's other clients: read it, never write it). */
  protected abstract applyShared(decoded: Float32Array): void;

  protected prepareDownlink(round: number, sections: readonly Section[]): () => void {
    expectContiguous(sections, this.applied, round, this.id);
    const decoded = sections.map((s) => decodeShared(this.ctx.down, this.ctx.dim, this.ctx.seed, s.round, s.bytes));
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
