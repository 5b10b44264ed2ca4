// Test helper: a toy federated algorithm with real wire messages, to exercise the transport on
// its own. Client i pulls the model w towards its target c_i (gradient w − c_i, QSGD uplink);
// the server sends each round the last model *update* (identity downlink), so a client that
// missed rounds must be caught up — the case the transport's catch-up and rewind must get right.
import { createCompressor } from "../../src/compressors/index.js";
import { FedquantError } from "../../src/errors.js";
import { RandomStream, SERVER } from "../../src/random/index.js";
import { messageBits } from "../../src/wire/index.js";
import type { ParticipantDriver, ParticipantFactory, RoundDriver, RoundOutcome } from "../../src/federation/transport/driver.js";

export interface ToyConfig { clients: number; dim: number; rounds: number; seed: number; gamma?: number }

const identity = createCompressor("identity");
const qsgd = createCompressor("qsgd", { s: 4 });

export function toyTarget(cfg: ToyConfig, client: number): Float32Array {
  return RandomStream.of(cfg.seed, "test", 1, client).normals(cfg.dim);
}

/** The loss (1/N) Σ ½‖w − c_i‖². */
export function toyLoss(cfg: ToyConfig, w: Float32Array): number {
  let s = 0;
  for (let i = 0; i < cfg.clients; i++) {
    const c = toyTarget(cfg, i);
    for (let j = 0; j < cfg.dim; j++) s += 0.5 * (w[j]! - c[j]!) ** 2;
  }
  return s / cfg.clients;
}

export interface ToyServer extends RoundDriver {
  readonly w: Float32Array;
  /** The server's model when each round opened (what every invited client must hold). */
  readonly modelAtOpen: Float32Array[];
  /** Sets of invited clients, per round; an optional filter to invite fewer. */
  invite?: (round: number, candidates: readonly number[]) => number[];
}

export function toyServer(cfg: ToyConfig): ToyServer {
  const gamma = cfg.gamma ?? 0.5;
  const w = new Float32Array(cfg.dim);
  const updates: Float32Array[] = [];        // updates[r] = w after round r − w before
  const has = new Array<number>(cfg.clients).fill(0); // updates each client applied (server's belief)
  const invitedAt = new Map<number, Map<number, number>>();
  const modelAtOpen: Float32Array[] = [];
  const zero = new Float32Array(cfg.dim);
  const down = (r: number, v: Float32Array): Uint8Array => identity.encode(v, RandomStream.of(cfg.seed, "compress", r, SERVER));
  const server: ToyServer = {
    rounds: cfg.rounds,
    w,
    modelAtOpen,
    session: (client) => ({ toy: cfg, client }),
    open(round, candidates) {
      modelAtOpen[round] = w.slice();
      const ids = server.invite ? server.invite(round, candidates) : [...candidates];
      const downlinks = new Map<number, Uint8Array>();
      const catchUp = new Map<number, { round: number; payload: Uint8Array }[]>();
      const at = new Map<number, number>();
      for (const id of ids) {
        // the round's downlink carries update round − 1; older missing ones go as catch-ups
        const from = has[id]!;
        catchUp.set(id, updates.slice(from, Math.max(from, round - 1)).map((u, k) => ({ round: from + k, payload: down(from + k, u) })));
        downlinks.set(id, round === 0 ? down(round, zero) : down(round - 1, updates[round - 1]!));
        at.set(id, round);
      }
      invitedAt.set(round, at);
      return { downlinks, catchUp };
    },
    check(round, client, uplink) {
      qsgd.decode(uplink, cfg.dim, RandomStream.of(cfg.seed, "compress", round, client));
    },
    close(round, uplinks): RoundOutcome {
      const u = new Float32Array(cfg.dim);
      for (const [id, msg] of [...uplinks].sort((a, b) => a[0] - b[0])) {
        const g = qsgd.decode(msg, cfg.dim, RandomStream.of(cfg.seed, "compress", round, id));
        for (let j = 0; j < cfg.dim; j++) u[j] = Math.fround(u[j]! - (gamma * g[j]!) / uplinks.size);
        has[id] = round;
      }
      if (uplinks.size === 0) u.fill(0);
      for (let j = 0; j < cfg.dim; j++) w[j] = Math.fround(w[j]! + u[j]!);
      updates.push(u);
      return { loss: toyLoss(cfg, w), participants: uplinks.size };
    },
    bits: (m) => messageBits(m).payloadBits,
    summary: () => ({ w: [...w] }),
  };
  return server;
}

export interface ToyClient extends ParticipantDriver {
  readonly w: Float32Array;
  /** The model the client held at each step it took (accepted or not). */
  readonly modelAtStep: Map<number, Float32Array>;
  /** Hold a step until this resolves (to make a client late). */
  gate?: (round: number) => Promise<void>;
}

export function toyClient(cfg: ToyConfig, client: number): ToyClient {
  let w = new Float32Array(cfg.dim);
  const c = toyTarget(cfg, client);
  const modelAtStep = new Map<number, Float32Array>();
  const apply = (round: number, msg: Uint8Array): void => {
    const u = identity.decode(msg, cfg.dim);
    for (let j = 0; j < cfg.dim; j++) w[j] = Math.fround(w[j]! + u[j]!);
    void round;
  };
  const me: ToyClient = {
    get w() { return w; },
    modelAtStep,
    async step(round, downlink) {
      apply(round, downlink);
      modelAtStep.set(round, w.slice());
      if (me.gate) await me.gate(round);
      const g = new Float32Array(cfg.dim);
      for (let j = 0; j < cfg.dim; j++) g[j] = w[j]! - c[j]!;
      return qsgd.encode(g, RandomStream.of(cfg.seed, "compress", round, client));
    },
    catchUp: apply,
    snapshot: () => Array.from(w),
    restore: (s) => { w = Float32Array.from(s as number[]); },
    bits: (m) => messageBits(m).payloadBits,
  };
  return me;
}

/** A factory that builds toy clients from the session JSON, and remembers them. */
export function toyFactory(
  made: Map<number, ToyClient> = new Map(),
  gate?: (client: number, round: number) => Promise<void> | undefined,
): ParticipantFactory & { made: Map<number, ToyClient> } {
  const f = ((session: unknown, client: number): ToyClient => {
    const s = session as { toy?: ToyConfig; client?: number };
    if (!s?.toy || s.client !== client) throw new FedquantError("E_CONFIG", "not a toy session");
    const c = toyClient(s.toy, client);
    if (gate) c.gate = (round) => gate(client, round) ?? Promise.resolve();
    made.set(client, c);
    return c;
  }) as unknown as ParticipantFactory & { made: Map<number, ToyClient> };
  f.made = made;
  return f;
}
