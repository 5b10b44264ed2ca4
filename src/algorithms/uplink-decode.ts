// The server's decoding of an uplink's compressed vector (envelope section slot 0), as one
// function that a pool worker can run too (issue #13): the decode is exact and deterministic —
// same bytes, same decoder, same stream (seed, round, client) give the same Float32Array on any
// thread of the same kernel flavour — so the worker that produced an uplink can decode it while
// other clients still compute, and the server only aggregates (ServerBase.receive, `decoded`).
import type { Compressor } from "../compressors/index.js";
import { FedquantError } from "../errors.js";
import { readEnvelope } from "./envelope.js";
import { uplinkStream } from "./streams.js";
import type { ClientId } from "./types.js";

/** The vector of section slot 0 of an uplink section list, decoded as the server decodes it. */
export function decodeUplinkSection(up: Compressor, dim: number, seed: bigint, round: number, id: ClientId, bytes: Uint8Array): Float32Array {
  return up.decode(bytes, dim, uplinkStream(seed, round, id));
}

/**
 * What ServerBase.receive would decode from uplink envelope `bytes` of client `id` at `round`
 * (its slot-0 section). Throws where the server's decode would throw; a caller that wants the
 * server to report the error itself just leaves that client out of `decoded`.
 */
export function decodeUplinkVector(up: Compressor, dim: number, seed: bigint, round: number, id: ClientId, bytes: Uint8Array): Float32Array {
  const s = readEnvelope(bytes, { direction: "up", client: id, round }).sections[0];
  if (s === undefined || s.slot !== 0 || s.round !== round) throw new FedquantError("E_PROTOCOL", `the uplink of client ${id} has no vector of round ${round} in slot 0`);
  return decodeUplinkSection(up, dim, seed, round, id, s.bytes);
}

const DECODED = Symbol.for("fedquant.decodedUplinks");

/**
 * Attach pre-decoded vectors to a map of uplinks, so that code passing the map on unchanged
 * (sampling/simulate.ts, federation/simulator.ts) hands them to server.receive. The map itself
 * (its entries, what bit counts read) is not changed.
 */
export function attachDecoded<M extends ReadonlyMap<ClientId, Uint8Array>>(uplinks: M, decoded: ReadonlyMap<ClientId, Float32Array>): M {
  Object.defineProperty(uplinks, DECODED, { value: decoded, enumerable: false, configurable: true });
  return uplinks;
}

/** The vectors attachDecoded put on this map, if any. */
export function attachedDecoded(uplinks: ReadonlyMap<ClientId, Uint8Array>): ReadonlyMap<ClientId, Float32Array> | undefined {
  return (uplinks as unknown as { [DECODED]?: ReadonlyMap<ClientId, Float32Array> })[DECODED];
}
