// One round of a federated sampler driven in-process: the same envelopes a network transport
// would carry (docs/algorithms.md "The round protocol"), with their exact bit counts.
import { envelopeBits, type AlgorithmServer } from "../algorithms/index.js";
import type { BitTotals } from "./chain.js";
import type { SamplerClient } from "./parties.js";

/** Runs round `server.round`; returns the bits of its envelopes. */
export function simulateRound(server: AlgorithmServer, clients: readonly SamplerClient[]): BitTotals {
  const round = server.round;
  const down = server.broadcast(round);
  const up = new Map<number, Uint8Array>();
  const bits: BitTotals = { upPayload: 0, upTotal: 0, down: 0, messages: 0 };
  for (const [id, bytes] of down) {
    bits.down += 8 * bytes.length;
    const c = clients[id]!;
    const msg = c.client.step(round, bytes, c.oracle.oracle);
    const b = envelopeBits(msg);
    bits.upPayload += b.payloadBits; bits.upTotal += b.totalBits; bits.messages++;
    up.set(id, msg);
  }
  server.receive(round, up);
  return bits;
}
