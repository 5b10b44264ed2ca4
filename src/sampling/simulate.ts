// One round of a federated sampler driven in-process: the same envelopes a network transport
// would carry (docs/algorithms.md "The round protocol"), with their exact bit counts. The clients
// run here, one after the other, or wherever a RoundClients puts them (federation/pool: worker
// threads; AsyncRoundClients: Web Workers, awaited) — the server, its Langevin noise and the bit
// counts stay on this thread either way. The round is written once (openRound: broadcast, then
// finish with the uplinks); simulateRound answers it synchronously, simulateRoundAsync awaits.
import { envelopeBits, type AlgorithmServer, type ClientState } from "../algorithms/index.js";
import type { Algorithm } from "../algorithms/index.js";
import type { BitTotals, ChainState } from "./chain.js";
import type { BayesModel } from "./model.js";
import type { ResolvedParams } from "./options.js";
import type { SamplerClient } from "./parties.js";

/**
 * A chain's clients hosted elsewhere (worker threads). step() must return each uplink exactly as
 * `client.step(round, downlink, oracle)` would, in the order of `downlinks`.
 */
export interface RoundClients {
  step(round: number, downlinks: ReadonlyMap<number, Uint8Array>): Map<number, Uint8Array>;
  /** every client's checkpoint and oracle state, by client id */
  save(): { clients: ClientState[]; oracles: ChainState[] };
  load(clients: readonly ClientState[], oracles: readonly ChainState[]): void;
  /** stop the threads (a chain left open does not keep the process alive) */
  close(): void;
}

/**
 * A chain's clients hosted where they can only be awaited (Web Workers: a page's main thread may
 * not block). Same contract as RoundClients, every exchange a promise; such a chain is stepped
 * with `await chain.stepAsync()` (or sampleChainAsync), saved with saveAsync, loaded with loadAsync.
 */
export interface AsyncRoundClients {
  readonly async: true;
  step(round: number, downlinks: ReadonlyMap<number, Uint8Array>): Promise<Map<number, Uint8Array>>;
  save(): Promise<{ clients: ClientState[]; oracles: ChainState[] }>;
  load(clients: readonly ClientState[], oracles: readonly ChainState[]): Promise<void>;
  /** terminate the workers */
  close(): void;
}

/** What a RoundClients factory needs to build the chain's clients elsewhere. */
export interface SamplerJob {
  readonly model: BayesModel;
  readonly params: ResolvedParams;
  readonly algorithm: Algorithm;
  /** the chain's seed (chainSeed(seed, chain)) */
  readonly seed: bigint;
  readonly theta0: Float64Array;
}

export type RoundClientsFactory = (job: SamplerJob) => RoundClients;
export type AsyncRoundClientsFactory = (job: SamplerJob) => AsyncRoundClients;

export function isAsyncClients(c: RoundClients | AsyncRoundClients): c is AsyncRoundClients {
  return (c as { async?: unknown }).async === true;
}

/** A round between the server's broadcast and its receive: answer `downlinks` with finish(uplinks). */
export interface OpenRound {
  readonly round: number;
  readonly downlinks: Map<number, Uint8Array>;
  /** count the uplinks' bits, hand them to the server; the round's bits */
  finish(uplinks: Map<number, Uint8Array>): BitTotals;
}

/** Broadcast round `server.round`; the downlink bits are counted now (the buffers may then move). */
export function openRound(server: AlgorithmServer): OpenRound {
  const round = server.round;
  const downlinks = server.broadcast(round);
  const bits: BitTotals = { upPayload: 0, upTotal: 0, down: 0, messages: 0 };
  for (const bytes of downlinks.values()) bits.down += 8 * bytes.length;
  return {
    round, downlinks,
    finish(up) {
      for (const msg of up.values()) {
        const b = envelopeBits(msg);
        bits.upPayload += b.payloadBits; bits.upTotal += b.totalBits; bits.messages++;
      }
      server.receive(round, up);
      return bits;
    },
  };
}

/** The one-thread answer: each addressed client steps in the order of the downlinks. */
function localUplinks(clients: readonly SamplerClient[], round: number, downlinks: ReadonlyMap<number, Uint8Array>): Map<number, Uint8Array> {
  const up = new Map<number, Uint8Array>();
  for (const [id, bytes] of downlinks) {
    const c = clients[id]!;
    up.set(id, c.client.step(round, bytes, c.oracle.oracle));
  }
  return up;
}

/** Runs round `server.round`; returns the bits of its envelopes. */
export function simulateRound(server: AlgorithmServer, clients: readonly SamplerClient[] | RoundClients): BitTotals {
  const r = openRound(server);
  return r.finish(Array.isArray(clients) ? localUplinks(clients as readonly SamplerClient[], r.round, r.downlinks) : (clients as RoundClients).step(r.round, r.downlinks));
}

/** simulateRound, the clients' answer awaited (any kind of clients). */
export async function simulateRoundAsync(server: AlgorithmServer, clients: readonly SamplerClient[] | RoundClients | AsyncRoundClients): Promise<BitTotals> {
  if (Array.isArray(clients) || !isAsyncClients(clients as RoundClients | AsyncRoundClients)) return simulateRound(server, clients as readonly SamplerClient[] | RoundClients);
  const r = openRound(server);
  return r.finish(await (clients as AsyncRoundClients).step(r.round, r.downlinks));
}
