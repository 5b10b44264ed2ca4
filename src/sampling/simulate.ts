// One round of a federated sampler driven in-process: the same envelopes a network transport
// would carry (docs/algorithms.md "The round protocol"), with their exact bit counts. The clients
// run here, one after the other, or wherever a RoundClients puts them (federation/pool: worker
// threads) — the server, its Langevin noise and the bit counts stay on this thread either way.
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

/** Runs round `server.round`; returns the bits of its envelopes. */
export function simulateRound(server: AlgorithmServer, clients: readonly SamplerClient[] | RoundClients): BitTotals {
  const round = server.round;
  const down = server.broadcast(round);
  const bits: BitTotals = { upPayload: 0, upTotal: 0, down: 0, messages: 0 };
  for (const bytes of down.values()) bits.down += 8 * bytes.length;
  let up: Map<number, Uint8Array>;
  if (Array.isArray(clients)) {
    up = new Map();
    for (const [id, bytes] of down) {
      const c = (clients as readonly SamplerClient[])[id]!;
      up.set(id, c.client.step(round, bytes, c.oracle.oracle));
    }
  } else up = (clients as RoundClients).step(round, down);
  for (const msg of up.values()) {
    const b = envelopeBits(msg);
    bits.upPayload += b.payloadBits; bits.upTotal += b.totalBits; bits.messages++;
  }
  server.receive(round, up);
  return bits;
}
