// The client side of the round protocol shared by every algorithm (docs/algorithms.md): check
// the downlink envelope, let the algorithm apply it, call the gradient oracle, compress the
// vector the algorithm chooses (after the beforeCompress hook), wrap the uplink envelope.
import { FedquantError } from "../errors.js";
import { readEnvelope, writeEnvelope, type Section } from "./envelope.js";
import type { PartyContext } from "./context.js";
import { uplinkStream } from "./streams.js";
import type { AlgorithmClient, ClientHooks, ClientId, ClientState, GradientOracle } from "./types.js";
import { configKey } from "./config.js";
import { toF32 } from "./vec.js";

export interface ClientInit {
  id: ClientId;
  w0: Float64Array;
  hooks: ClientHooks;
}

/**
 * The per-step scratch of a client — the oracle's output, the vector to send and its f32 copy —
 * is written in full by every step before it is read and never kept across steps (no inspect(),
 * no checkpoint shows it), so all clients of one thread share one set per dimension: a simulated
 * client then holds its own state only (issue #13: 20 of sgd's 28 bytes per coordinate; no bit
 * changes, the simulator tests and the pool's bit-exactness tests prove it).
 */
const scratch = new Map<number, { grad: Float64Array; v: Float64Array; f32: Float32Array }>();
function scratchOf(dim: number): { grad: Float64Array; v: Float64Array; f32: Float32Array } {
  let s = scratch.get(dim);
  if (!s) { s = { grad: new Float64Array(dim), v: new Float64Array(dim), f32: new Float32Array(dim) }; scratch.set(dim, s); }
  return s;
}

/**
 * The vector of the last uplink made on this thread, if its client decoded it for its own
 * memories (afterSend): the server's decode of that message (same bytes and decoder; the stream
 * is the one in the message header), so a pool worker hands it to the server instead of decoding
 * the message a second time (issue #13). One slot per thread, not per client: taken right after
 * the step, or overwritten by the next one.
 */
let lastDecoded: { client: number; round: number; x: Float32Array } | null = null;
/** a number per client object, so the slot names its client without keeping it alive */
let clientTokens = 0;

export abstract class ClientBase implements AlgorithmClient {
  readonly id: ClientId;
  protected hooks: ClientHooks;
  private last = -1;
  private readonly token = ++clientTokens;
  /** the oracle's output and the vector to compress */
  protected readonly grad: Float64Array;
  protected readonly v: Float64Array;
  private readonly f32: Float32Array;

  constructor(protected readonly ctx: PartyContext, init: ClientInit) {
    this.id = init.id;
    this.hooks = init.hooks;
    ({ grad: this.grad, v: this.v, f32: this.f32 } = scratchOf(ctx.dim));
  }

  get algorithm(): string { return this.ctx.name; }
  get dim(): number { return this.ctx.dim; }
  get round(): number { return this.last; }
  abstract get model(): Float64Array;

  /**
   * Validate and decode every section first (throw without changing anything), then apply them.
   * Returns the function that applies; called once the whole envelope checked out.
   */
  protected abstract prepareDownlink(round: number, sections: readonly Section[]): () => void;
  /** Fill this.v with the vector to send, from this.grad (the gradient at this.model). */
  protected abstract uplinkVector(round: number): void;
  /** After sending: update memories / errors with the decoded message (decoded lazily: only if needed). */
  protected abstract afterSend(round: number, sent: () => Float32Array): void;
  /** Uplink sections after the compressed vector (slot 1: the initial memory h^i_0, memory.ts). */
  protected extraSections(_round: number): Section[] { return []; }
  protected abstract saveData(): Record<string, unknown>;
  protected abstract loadData(data: Record<string, unknown>): void;
  abstract inspect(): Record<string, Float64Array>;

  step(round: number, downlink: Uint8Array, oracle: GradientOracle): Uint8Array {
    if (!Number.isInteger(round) || round <= this.last) throw new FedquantError("E_PROTOCOL", `client ${this.id}: step(${round}) but it already took part in round ${this.last}`);
    if (typeof oracle !== "function") throw new FedquantError("E_CONFIG", `client ${this.id}: step needs a gradient oracle (w, out, ctx) => void`);
    const env = readEnvelope(downlink, { direction: "down", algorithm: this.ctx.id, client: this.id, round });
    const apply = this.prepareDownlink(round, env.sections);
    apply();
    this.last = round;
    oracle(this.model, this.grad, { round, client: this.id });
    this.uplinkVector(round);
    this.hooks.beforeCompress?.(this.v, { round, client: this.id, model: this.model, gradient: this.grad });
    const msg = this.ctx.up.encode(toF32(this.v, this.f32), uplinkStream(this.ctx.seed, round, this.id));
    let sent: Float32Array | undefined;
    lastDecoded = null;
    this.afterSend(round, () => (sent ??= this.ctx.up.decode(msg, this.ctx.dim)));
    if (sent !== undefined) lastDecoded = { client: this.token, round, x: sent };
    return writeEnvelope({ direction: "up", algorithm: this.ctx.id, client: this.id, round, sections: [{ round, slot: 0, bytes: msg }, ...this.extraSections(round)] });
  }

  /**
   * The decoded vector of this client's uplink of `round` if the step just made decoded it
   * (memories), once: it is handed over, not kept. Undefined otherwise (decode the message).
   */
  takeDecodedUplink(round: number): Float32Array | undefined {
    const l = lastDecoded;
    if (l === null || l.client !== this.token || l.round !== round) return undefined;
    lastDecoded = null;
    return l.x;
  }

  toJSON(): ClientState {
    return {
      format: "fedquant.client", version: 1, algorithm: this.ctx.name, config: this.ctx.config,
      seed: this.ctx.seed.toString(), id: this.id, dim: this.ctx.dim, round: this.last, data: this.saveData(),
    };
  }

  restore(state: ClientState): this {
    if (state.config === undefined || configKey(state.config) !== configKey(this.ctx.config)) {
      throw new FedquantError("E_STATE", `checkpoint config ${JSON.stringify(state.config)} differs from this algorithm's ${JSON.stringify(this.ctx.config)}`);
    }
    if (!Number.isInteger(state.round) || state.round < -1) throw new FedquantError("E_STATE", `checkpoint round must be an integer ≥ −1, got ${state.round}`);
    if (state.data === null || typeof state.data !== "object") throw new FedquantError("E_STATE", "checkpoint data must be an object");
    this.last = state.round;
    this.loadData(state.data);
    return this;
  }
}
