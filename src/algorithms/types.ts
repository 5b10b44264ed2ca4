// The federated-algorithm contract (spec/optimization.md; DESIGN.md "Algorithms are pure state
// machines"): a server and clients that exchange only encoded bytes, so the in-process simulator
// and a network transport drive the same code. Documented for users in docs/algorithms.md.
import type { Compressor } from "../compressors/index.js";

/** A client's id: an integer in [0, 2^24 − 2] (0xFFFFFF is the server in stream ids). */
export type ClientId = number;

/** A 64-bit seed: a number < 2^53, a bigint, or its decimal string (as in checkpoints). */
export type Seed = number | bigint | string;

/** A compressor by registry name, by name and parameters, or an instance (kept as its name and params). */
export type CompressorChoice = string | { name: string; params?: Record<string, unknown> } | Compressor;

/** A compressor as stored in a resolved (JSON) config. */
export interface CompressorRef { name: string; params: Record<string, unknown> }

/**
 * Who takes part in a round, drawn by the server from its own seeded stream:
 * - a number p or { kind: "bernoulli", p }: each client independently with probability p
 *   (Artemis; p = 1 is full participation);
 *   With redrawEmpty: true, a draw with no client is redrawn (the Artemis/MCM authors' code:
 *   AbstractFLUpdate.sampling_devices loops until one worker is active) and c is the weight
 *   unbiased given S ≠ ∅; by default an empty round is a round (ĝ = h, or 0 without memory);
 * - { kind: "fixed", m }: m clients uniformly without replacement (QLSD).
 */
export type ParticipationSpec = number | { kind: "bernoulli"; p: number; redrawEmpty?: boolean } | { kind: "fixed"; m: number };
export type Participation = { kind: "bernoulli"; p: number; redrawEmpty?: boolean } | { kind: "fixed"; m: number };

/**
 * How the server weighs the active clients' uplinks:
 * "mean" — an unbiased estimate of (1/N) Σ_i (optimisation, F = (1/N) Σ F_i);
 * "sum"  — of Σ_i (Langevin samplers, U = Σ U_i).
 */
export type Aggregate = "mean" | "sum";

/**
 * The server's uplink memory under partial participation (Artemis):
 * "all-workers"    — ĝ = c Σ_{i∈S} Δ^i + h with h = u Σ_{all i} h^i (inactive workers' memories
 *                    still count; spec/optimization.md);
 * "active-workers" — ĝ = c Σ_{i∈S} (Δ^i + h^i), only the active workers' memories (the Artemis
 *                    paper's form; the server keeps every h^i).
 * Both are unbiased; they coincide under full participation.
 */
export type ServerMemory = "all-workers" | "active-workers";

/** Where the uplink memories start: 0, or the first gradient each worker computes (AlgorithmConfig.memoryInit). */
export type MemoryInit = "zero" | "first-gradient";

/** What createAlgorithm accepts. Each algorithm takes only the keys that mean something for it. */
export interface AlgorithmConfig {
  /** step size γ (> 0) */
  gamma: number;
  /** uplink compressor C_up */
  up?: CompressorChoice;
  /** downlink compressor C_down */
  down?: CompressorChoice;
  /** uplink memory rate α (DIANA family, MCM, Dore); default 1/(2(ω_up + 1)) */
  alpha?: number;
  /** MCM downlink memory rate α_down; default 1/(2(ω_down + 1)) */
  alphaDown?: number;
  /** Dore: model-update rate β (default 1) and error-compensation rate η (default 1/(ω_down + 1)) */
  beta?: number;
  eta?: number;
  /** default 1 (full participation) */
  participation?: ParticipationSpec;
  /** default "mean" */
  aggregate?: Aggregate;
  /** default "all-workers" */
  serverMemory?: ServerMemory;
  /**
   * Where the uplink memories h^i start (DIANA family, MCM, Rand-MCM, Dore): "zero" (default;
   * spec/optimization.md, DIANA Alg. 1) or "first-gradient" (the Artemis/MCM authors' "smart
   * initialisation": h^i = the worker's first gradient, sent once uncompressed; docs/algorithms.md).
   */
  memoryInit?: MemoryInit;
  /** SGD only: broadcast the f32 "update" (default; workers hold the server's model exactly) or the f32 "model" */
  broadcast?: "update" | "model";
}

/** A config with every default filled in and compressors as {name, params}: JSON, and what checkpoints store. */
export interface ResolvedConfig {
  readonly gamma: number;
  readonly up: CompressorRef;
  readonly down: CompressorRef;
  readonly participation: Participation;
  readonly aggregate: Aggregate;
  readonly alpha?: number;
  readonly alphaDown?: number;
  readonly beta?: number;
  readonly eta?: number;
  readonly serverMemory?: ServerMemory;
  /** present only when "first-gradient" (absent = "zero", so older checkpoints keep their config key) */
  readonly memoryInit?: "first-gradient";
  readonly broadcast?: "update" | "model";
}

export interface OracleContext { readonly round: number; readonly client: ClientId }

/**
 * A client's stochastic gradient: write ∇F_i (or whatever the client's local estimate is) at w
 * into out (every coordinate: out holds scratch shared by the clients of a thread). w and out
 * are the client's buffers: do not keep them.
 */
export type GradientOracle = (w: Float64Array, out: Float64Array, ctx: OracleContext) => void;

/** Client-side extension points (Langevin samplers, control variates). */
export interface ClientHooks {
  /**
   * v is the vector about to be compressed and sent (g − h for the DIANA family, g + e with error
   * feedback, γg + e for EF-SGD); change it in place. `gradient` is the oracle's output.
   */
  beforeCompress?(v: Float64Array, info: { round: number; client: ClientId; model: Float64Array; gradient: Float64Array }): void;
}

/** Server-side extension points. */
export interface ServerHooks {
  /**
   * d is the aggregated direction the server is about to use: its model moves by −gamma·d (or by
   * −gamma·C_down(d) where the algorithm broadcasts a compressed update) and, where updates are
   * broadcast, d is what gets compressed and sent. Change it in place (e.g. a Langevin step adds
   * −√(2/γ)·Z so that w ← w − γ d carries √(2γ)·Z). For EF-SGD d is already a step (gamma = 1).
   */
  beforeApply?(d: Float64Array, info: { round: number; model: Float64Array; gamma: number; active: readonly ClientId[] }): void;
  /** Called once the server's model has moved (read it, do not write it). */
  afterApply?(info: { round: number; model: Float64Array; active: readonly ClientId[] }): void;
}

export interface ServerOptions {
  /** the initial model, shared by every party (never sent) */
  w0: ArrayLike<number>;
  /** N (ids 0..N−1) or the list of client ids */
  clients: number | readonly ClientId[];
  seed: Seed;
  hooks?: ServerHooks;
}

export interface ClientOptions {
  id: ClientId;
  w0: ArrayLike<number>;
  /** the same seed as the server's: shared randomness (compressor streams) is derived from it */
  seed: Seed;
  hooks?: ClientHooks;
}

export interface ReceiveOptions {
  /**
   * Close the round with the uplinks of any subset of the clients broadcast(k) addressed (a
   * deadline passed, a client vanished). The missing ones are treated exactly as if they had not
   * been drawn: no weight in the aggregate, memories and catch-up position unchanged — so the
   * client must also forget that round (restore its state from before its step). Default false:
   * a missing uplink is E_PROTOCOL.
   */
  allowAbsent?: boolean;
  /**
   * The uplinks' compressed vectors (section slot 0) already decoded elsewhere by this
   * algorithm's decoder with the same streams (decodeUplinkVector; a pool worker does it while
   * other clients still compute). receive() then checks each envelope as always but does not
   * decode again; a client left out is decoded here. They must be exactly what the decode of
   * these bytes gives (the pool's bit-exactness tests check it): the server does not recompute
   * them. Default: the vectors attachDecoded() put on the uplinks map, else none.
   */
  decoded?: ReadonlyMap<ClientId, Float32Array>;
}

/**
 * The server's round protocol, rounds numbered 0, 1, 2, … :
 *   broadcast(k) → one downlink envelope per active client of round k (k = server.round);
 *   receive(k, uplinks) with exactly one uplink envelope per client broadcast(k) addressed, or,
 *   with { allowAbsent: true }, from any subset of them: the others are treated as not drawn.
 * A downlink of round k carries the updates of rounds < k the client has not applied yet
 * (catch-up for returning workers), so every active client holds the shared state.
 */
export interface AlgorithmServer {
  readonly algorithm: string;
  readonly dim: number;
  readonly clients: readonly ClientId[];
  /** the round broadcast() expects next */
  readonly round: number;
  /** the active clients of the round in progress (between broadcast and receive), else null */
  readonly pending: readonly ClientId[] | null;
  broadcast(round: number): Map<ClientId, Uint8Array>;
  receive(round: number, uplinks: ReadonlyMap<ClientId, Uint8Array>, opts?: ReceiveOptions): void;
  /** the server's model (a live view: copy it to keep it) */
  readonly model: Float64Array;
  /** live views of the server's internal vectors by name (model, memory, error, …), for tests and diagnostics */
  inspect(): Record<string, Float64Array>;
  toJSON(): ServerState;
}

export interface AlgorithmClient {
  readonly algorithm: string;
  readonly id: ClientId;
  readonly dim: number;
  /** the last round this client took part in (−1 before its first) */
  readonly round: number;
  /** Apply the downlink of round `round`, compute a gradient with `oracle`, return the uplink envelope. */
  step(round: number, downlink: Uint8Array, oracle: GradientOracle): Uint8Array;
  /** the point where this client evaluates its gradients (a live view) */
  readonly model: Float64Array;
  inspect(): Record<string, Float64Array>;
  toJSON(): ClientState;
}

/** A JSON checkpoint. Vectors are base64 of their little-endian float64 bytes (exact). */
export interface ServerState {
  format: "fedquant.server";
  version: 1;
  algorithm: string;
  config: ResolvedConfig;
  seed: string;
  dim: number;
  clients: ClientId[];
  round: number;
  pending: ClientId[] | null;
  data: Record<string, unknown>;
}

export interface ClientState {
  format: "fedquant.client";
  version: 1;
  algorithm: string;
  config: ResolvedConfig;
  seed: string;
  id: ClientId;
  dim: number;
  round: number;
  data: Record<string, unknown>;
}

export interface Algorithm {
  readonly name: string;
  /** the algorithm's wire id (envelope header) */
  readonly id: number;
  readonly config: ResolvedConfig;
  readonly up: Compressor;
  readonly down: Compressor;
  createServer(options: ServerOptions): AlgorithmServer;
  createClient(options: ClientOptions): AlgorithmClient;
  /** Rebuild from a checkpoint made by an algorithm with the same name and config. */
  restoreServer(state: ServerState, hooks?: ServerHooks): AlgorithmServer;
  restoreClient(state: ClientState, hooks?: ClientHooks): AlgorithmClient;
}
