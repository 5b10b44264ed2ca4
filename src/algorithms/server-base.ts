// The server side of the round protocol shared by every algorithm (docs/algorithms.md "The
// round protocol"): ordering, the active set, envelopes in and out, uplink decoding against the
// expected stream, checkpoints. An algorithm supplies only its downlink and its update.
import { FedquantError } from "../errors.js";
import { readEnvelope, writeEnvelope, type Section } from "./envelope.js";
import { activeWeight, checkParticipation, memoryWeight, responderWeight, sampleActive } from "./participation.js";
import type { PartyContext } from "./context.js";
import { uplinkStream } from "./streams.js";
import { attachedDecoded, decodeUplinkSection } from "./uplink-decode.js";
import { sumInto } from "./vec.js";
import type { AlgorithmServer, ClientId, ReceiveOptions, ServerHooks, ServerState } from "./types.js";
import { configKey } from "./config.js";
import { initCoder, INIT_SLOT } from "./memory.js";

export interface ServerInit {
  w0: Float64Array;
  clients: ClientId[];
  hooks: ServerHooks;
}

/**
 * What an algorithm's downlink step returns: sections per active client, and the state change
 * that delivery makes (catch-up positions, Rand-MCM's H^i). The change is made in receive(), for
 * the clients that answered only: a client whose uplink never came is treated as not drawn, so
 * the server must not assume it applied (and kept) what it was sent.
 */
export interface DownlinkPlan {
  sections: Map<ClientId, Section[]>;
  commit(answered: readonly ClientId[]): void;
}

export abstract class ServerBase implements AlgorithmServer {
  readonly clients: readonly ClientId[];
  protected hooks: ServerHooks;
  /** the memory weight u of participation.ts */
  protected readonly u: number;
  /** the active-client weight c of a round where every drawn client answers, and of the round being closed */
  private readonly fullWeight: number;
  private roundWeight: number;
  private nextRound = 0;
  private active: ClientId[] | null = null;
  /** the downlink of the round in progress (null after a restore: rebuilt, it is deterministic) */
  private plan: DownlinkPlan | null = null;
  /** the clients whose uplinks are being aggregated (what the hooks see as `active`) */
  private answering: readonly ClientId[] | null = null;
  /** f32 scratch for what is sent */
  protected readonly f32: Float32Array;
  /** the initial memories h^i_0 that came with this round's uplinks (memoryInit "first-gradient", memory.ts) */
  protected readonly inits = new Map<ClientId, Float32Array>();

  constructor(protected readonly ctx: PartyContext, init: ServerInit) {
    this.clients = init.clients;
    this.hooks = init.hooks;
    checkParticipation(ctx.config.participation, init.clients.length);
    this.fullWeight = activeWeight(ctx.config.participation, init.clients.length, ctx.config.aggregate);
    this.roundWeight = this.fullWeight;
    this.u = memoryWeight(init.clients.length, ctx.config.aggregate);
    this.f32 = new Float32Array(ctx.dim);
  }

  get algorithm(): string { return this.ctx.name; }
  get dim(): number { return this.ctx.dim; }
  get round(): number { return this.nextRound; }
  get pending(): readonly ClientId[] | null { return this.active; }
  /** c of participation.ts for the round being aggregated: 1/(pN), 1/m (or 1/m' with absent clients) … */
  protected get c(): number { return this.roundWeight; }
  abstract get model(): Float64Array;

  /** Sections for each active client of round k (k ≥ 0); must not change state (it is rebuilt after a restore). */
  protected abstract downlink(round: number, active: readonly ClientId[]): DownlinkPlan;
  /** Aggregate the decoded uplinks (in the order of `active`), move the model, prepare round k's downlink. */
  protected abstract update(round: number, active: readonly ClientId[], uplinks: readonly Float32Array[]): void;
  protected abstract saveData(): Record<string, unknown>;
  protected abstract loadData(data: Record<string, unknown>): void;
  abstract inspect(): Record<string, Float64Array>;
  /** Must the uplink of `id` this round carry its initial memory h^i_0 (section slot 1)? */
  protected expectsInit(_id: ClientId): boolean { return false; }

  broadcast(round: number): Map<ClientId, Uint8Array> {
    if (this.active !== null) throw new FedquantError("E_PROTOCOL", `round ${this.nextRound} is in progress: call receive(${this.nextRound}) before broadcast(${round})`);
    if (round !== this.nextRound) throw new FedquantError("E_PROTOCOL", `broadcast(${round}) out of order: the server is at round ${this.nextRound}`);
    const active = sampleActive(this.ctx.config.participation, this.clients, this.ctx.seed, round);
    const plan = this.downlink(round, active);
    const out = new Map<ClientId, Uint8Array>();
    for (const id of active) {
      out.set(id, writeEnvelope({ direction: "down", algorithm: this.ctx.id, client: id, round, sections: plan.sections.get(id) ?? [] }));
    }
    this.plan = plan;
    this.active = active;
    return out;
  }

  receive(round: number, uplinks: ReadonlyMap<ClientId, Uint8Array>, opts: ReceiveOptions = {}): void {
    const active = this.active;
    if (active === null) throw new FedquantError("E_PROTOCOL", `receive(${round}) without broadcast: the server is at round ${this.nextRound}`);
    if (round !== this.nextRound) throw new FedquantError("E_PROTOCOL", `receive(${round}) but round ${this.nextRound} is in progress`);
    if (!(uplinks instanceof Map)) throw new FedquantError("E_PROTOCOL", "uplinks must be a Map from client id to bytes");
    const missing = opts.allowAbsent === true ? [] : active.filter((id) => !uplinks.has(id));
    const unexpected = [...uplinks.keys()].filter((id) => !active.includes(id));
    if (missing.length > 0 || unexpected.length > 0) {
      throw new FedquantError("E_PROTOCOL", `round ${round} needs uplinks from ${opts.allowAbsent ? "a subset of" : "exactly"} the ${active.length} active clients` +
        (missing.length ? `; missing ${missing.join(", ")} (receive(k, uplinks, { allowAbsent: true }) closes the round without them)` : "") +
        (unexpected.length ? `; not active: ${unexpected.join(", ")}` : ""));
    }
    // the responders, in the order of the draw; decode all before changing anything
    const answered = active.filter((id) => uplinks.has(id));
    this.inits.clear();
    const pre = opts.decoded ?? attachedDecoded(uplinks);
    if (pre !== undefined && !(pre instanceof Map)) throw new FedquantError("E_PROTOCOL", "decoded must be a Map from client id to Float32Array");
    let decoded: Float32Array[];
    try { decoded = answered.map((id) => this.decodeUplink(round, id, uplinks.get(id)!, pre?.get(id))); } catch (e) { this.inits.clear(); throw e; }
    const plan = this.plan ?? this.downlink(round, active);
    this.roundWeight = responderWeight(this.ctx.config.participation, this.clients.length, this.ctx.config.aggregate, active.length, answered.length);
    this.answering = answered;
    try {
      plan.commit(answered);
      this.update(round, answered, decoded);
    } finally {
      this.roundWeight = this.fullWeight;
      this.answering = null;
      this.inits.clear();
    }
    this.plan = null;
    this.active = null;
    this.nextRound = round + 1;
  }

  /** `pre`: the slot-0 vector decoded elsewhere (ReceiveOptions.decoded); the envelope is checked all the same. */
  private decodeUplink(round: number, id: ClientId, bytes: Uint8Array, pre?: Float32Array): Float32Array {
    const env = readEnvelope(bytes, { direction: "up", algorithm: this.ctx.id, client: id, round });
    const init = this.expectsInit(id), want = init ? 2 : 1, s = env.sections;
    if (s.length !== want || s.some((x, j) => x.round !== round || x.slot !== (j === 0 ? 0 : INIT_SLOT))) {
      throw new FedquantError("E_PROTOCOL", `the uplink of client ${id} must hold ${init ? "its compressed vector and its initial memory (slots 0 and 1)" : "one vector"} of round ${round}, it holds ${s.length} section(s)`);
    }
    if (init) this.inits.set(id, initCoder().decode(s[1]!.bytes, this.ctx.dim, uplinkStream(this.ctx.seed, round, id, INIT_SLOT)));
    if (pre !== undefined) {
      if (!(pre instanceof Float32Array) || pre.length !== this.ctx.dim) throw new FedquantError("E_DIM", `the decoded uplink of client ${id} must be a Float32Array of ${this.ctx.dim} coordinates, got ${pre instanceof Float32Array ? pre.length : typeof pre}`);
      return pre;
    }
    return decodeUplinkSection(this.ctx.up, this.ctx.dim, this.ctx.seed, round, id, s[0]!.bytes);
  }

  /** out ← c·Σ_j uplinks[j]: the unbiased estimate of the mean (or sum) over all clients, without memory. */
  protected weightedSum(out: Float64Array, uplinks: readonly Float32Array[]): Float64Array {
    out.fill(0);
    sumInto(out, uplinks);
    const c = this.c;
    for (let t = 0; t < out.length; t++) out[t] = c * out[t]!;
    return out;
  }

  protected beforeApply(round: number, d: Float64Array, gamma = this.ctx.gamma): void {
    this.hooks.beforeApply?.(d, { round, model: this.model, gamma, active: this.answering ?? this.active ?? [] });
  }

  protected afterApply(round: number): void {
    this.hooks.afterApply?.({ round, model: this.model, active: this.answering ?? this.active ?? [] });
  }

  toJSON(): ServerState {
    return {
      format: "fedquant.server", version: 1, algorithm: this.ctx.name, config: this.ctx.config,
      seed: this.ctx.seed.toString(), dim: this.ctx.dim, clients: [...this.clients],
      round: this.nextRound, pending: this.active ? [...this.active] : null, data: this.saveData(),
    };
  }

  /** Used by restoreServer once the header fields were checked. */
  restore(state: ServerState): this {
    if (state.config === undefined || configKey(state.config) !== configKey(this.ctx.config)) {
      throw new FedquantError("E_STATE", `checkpoint config ${JSON.stringify(state.config)} differs from this algorithm's ${JSON.stringify(this.ctx.config)}`);
    }
    if (!Number.isInteger(state.round) || state.round < 0) throw new FedquantError("E_STATE", `checkpoint round must be an integer ≥ 0, got ${state.round}`);
    if (state.pending !== null && (!Array.isArray(state.pending) || state.pending.some((id) => !this.clients.includes(id)) || new Set(state.pending).size !== state.pending.length)) {
      throw new FedquantError("E_STATE", "checkpoint pending must be null or a list of distinct known client ids");
    }
    if (state.data === null || typeof state.data !== "object") throw new FedquantError("E_STATE", "checkpoint data must be an object");
    this.nextRound = state.round;
    this.active = state.pending ? [...state.pending] : null;
    this.plan = null;
    this.loadData(state.data);
    return this;
  }
}
