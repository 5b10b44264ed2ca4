// What a client pool does apart from talking to its workers, shared by the Node pool (pool.ts,
// synchronous) and the browser pool (web-pool.ts, asynchronous): the deterministic assignment
// (the j-th client of the id list on thread j mod T, thread 0 the calling one), the calling
// thread's own share, and the gathering of replies in client order with the error the
// one-thread loop would have met first — so the server sees exactly what one thread gives it.
import { algorithmFromState, attachDecoded, decodeUplinkVector, type AlgorithmClient, type ClientId, type ClientState } from "../../algorithms/index.js";
import { describeValue } from "../../describe.js";
import { FedquantError } from "../../errors.js";
import type { Dataset } from "../../models/index.js";
import { fromWire, type Reply, type WireError } from "./protocol.js";
import { buildParties, type HostedClient, type Party, type Recipe } from "./recipe.js";

/** Checks a thread count (an integer ≥ 1). */
export function checkThreads(t: unknown, what = "threads"): number {
  if (typeof t !== "number" || !Number.isInteger(t) || t < 1 || t > 1024) throw new FedquantError("E_CONFIG", `${what} must be an integer in [1, 1024], got ${describeValue(t)}`);
  return t;
}

interface Failure { id: ClientId; error: unknown }

/** The earliest failing client in `order` (a dead worker, id −1, first of all). */
function earliest(failures: Failure[], order: readonly ClientId[]): unknown {
  const pos = (id: ClientId) => (id < 0 ? -1 : order.indexOf(id));
  failures.sort((a, b) => pos(a.id) - pos(b.id));
  return failures[0]!.error;
}

export type UplinkDecoder = (round: number, id: ClientId, bytes: Uint8Array) => Float32Array;

/**
 * The server's decode of an uplink's vector for the run of `recipe` (algorithms/uplink-decode.ts):
 * the thread that made an uplink decodes it, so the server on the calling thread only aggregates.
 */
export function uplinkDecoder(recipe: Recipe): UplinkDecoder {
  const up = algorithmFromState({ algorithm: recipe.algorithm, config: recipe.config } as ClientState).up;
  const seed = BigInt(recipe.seed), dim = recipe.w0.length;
  return (round, id, bytes) => decodeUplinkVector(up, dim, seed, round, id, bytes);
}

/**
 * The server's decode of the uplink `bytes` that `client` just made: the vector the client
 * decoded itself for its memories if it did (ClientBase.takeDecodedUplink), else decoded here.
 * Undefined where decoding fails: the server then decodes it and throws its own error (the
 * one-thread run's).
 */
export function decodeUplinkOf(decode: UplinkDecoder, client: AlgorithmClient, round: number, id: ClientId, bytes: Uint8Array): Float32Array | undefined {
  const own = (client as { takeDecodedUplink?: (round: number) => Float32Array | undefined }).takeDecodedUplink?.(round);
  if (own !== undefined) return own;
  try { return decode(round, id, bytes); } catch { return undefined; }
}

/** A round in progress: what goes to each worker, and what the replies and the own share give. */
export class StepRound {
  readonly order: ClientId[];
  readonly batches: [ClientId, Uint8Array][][];
  readonly mine: ClientId[] = [];
  private readonly up = new Map<ClientId, Uint8Array>();
  /** the uplinks' vectors decoded by the threads that made them (with `decode`) */
  private readonly decoded = new Map<ClientId, Float32Array>();
  private readonly failures: Failure[] = [];

  /** `decode`: the calling thread decodes its own clients' uplinks too, and result() carries every decoded vector. */
  constructor(private readonly core: PoolCore, private readonly round: number, private readonly downlinks: ReadonlyMap<ClientId, Uint8Array>, private readonly decode?: UplinkDecoder) {
    this.order = [...downlinks.keys()];
    this.batches = Array.from({ length: core.workers }, () => []);
    for (const [id, bytes] of downlinks) {
      const t = core.home.get(id);
      if (t === undefined) throw new FedquantError("E_PROTOCOL", `round ${round}: a downlink for client ${id}, who is not in this pool`);
      if (t === 0) this.mine.push(id); else this.batches[t - 1]!.push([id, bytes]);
    }
  }

  /** Step the calling thread's clients (stopping at the first failure, as the one-thread loop). */
  runMine(): void {
    for (const id of this.mine) {
      const p = this.core.local.get(id)!;
      let bytes: Uint8Array;
      try { bytes = p.client.step(this.round, this.downlinks.get(id)!, p.oracle); } catch (e) { this.failures.push({ id, error: e }); break; }
      this.up.set(id, bytes);
      const x = this.decode ? decodeUplinkOf(this.decode, p.client, this.round, id, bytes) : undefined;
      if (x) this.decoded.set(id, x);
    }
  }

  /** A worker's reply, or the error its wait threw (a dead worker). */
  take(r: Reply | { lost: unknown }): void {
    if ("lost" in r) { this.failures.push({ id: -1, error: r.lost }); return; }
    if (r.op !== "step") return;
    for (const [id, bytes] of r.uplinks) this.up.set(id, bytes);
    if (this.decode && r.decoded) for (const [id, x] of r.decoded) this.decoded.set(id, x);
    if (r.failed) this.failures.push({ id: r.failed.id, error: fromWire(r.failed.error as WireError) });
  }

  /** The uplinks in the order of the downlinks, or the error one thread would have thrown. */
  result(): Map<ClientId, Uint8Array> {
    if (this.failures.length > 0) throw earliest(this.failures, this.order);
    const out = new Map<ClientId, Uint8Array>();
    for (const id of this.order) out.set(id, this.up.get(id)!);
    return this.decode ? attachDecoded(out, this.decoded) : out;
  }
}

/** F(w) = (1/N) Σ_i F_i(w) in progress: the F_i of each thread, summed in the order of the id list. */
export class LossRound {
  private readonly f = new Map<ClientId, number>();
  private readonly failures: Failure[] = [];
  constructor(private readonly core: PoolCore) {}

  runMine(w: Float64Array): void {
    for (const [id, p] of this.core.local) {
      try { this.f.set(id, p.loss!(w)); } catch (e) { this.failures.push({ id, error: e }); break; }
    }
  }

  take(r: Reply | { lost: unknown }): void {
    if ("lost" in r) { this.failures.push({ id: -1, error: r.lost }); return; }
    if (r.op !== "loss") return;
    for (const [id, v] of r.losses) this.f.set(id, v);
    if (r.failed) this.failures.push({ id: r.failed.id, error: fromWire(r.failed.error as WireError) });
  }

  /**
   * The order of models/federated.ts's federatedLoss over the same datasets (s += F_i for i in
   * order, then s / N), so the value is bit-identical to the one-thread evaluation.
   */
  result(): number {
    const ids = this.core.ids;
    if (this.failures.length > 0) throw earliest(this.failures, ids);
    let s = 0;
    for (const id of ids) s += this.f.get(id)!;
    return s / ids.length;
  }
}

/** The assignment of clients to threads and the calling thread's own clients. */
export class PoolCore {
  /** thread index of each client id */
  readonly home = new Map<ClientId, number>();
  /** the clients each worker t = 1 … T − 1 hosts (index t − 1) */
  readonly hosted: HostedClient[][];
  local: Map<ClientId, Party>;

  /** `threads` is capped at the number of clients; data(id) is the client's dataset. */
  constructor(threads: number, readonly recipe: Recipe, readonly ids: readonly ClientId[], data: (id: ClientId) => Dataset) {
    const T = Math.min(checkThreads(threads), ids.length);
    const hosted: HostedClient[][] = Array.from({ length: T }, () => []);
    ids.forEach((id, j) => { this.home.set(id, j % T); hosted[j % T]!.push({ id, data: data(id) }); });
    this.hosted = hosted.slice(1);
    this.local = new Map();
    this.mineToBuild = hosted[0]!;
  }

  private mineToBuild: HostedClient[];
  /** Build the calling thread's clients (after the workers were asked to build theirs: in parallel). */
  buildMine(): void { this.local = buildParties(this.recipe, this.mineToBuild); this.mineToBuild = []; }

  /** Number of workers (threads other than the calling one). */
  get workers(): number { return this.hosted.length; }

  checkLossRecipe(): void {
    if (this.recipe.kind !== "optimizer") throw new FedquantError("E_CONFIG", "pool: a loss needs optimisation clients");
  }
}
