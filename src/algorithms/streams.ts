// Which Philox stream every algorithm-level random choice uses (spec/random.md "Streams";
// docs/algorithms.md "Streams"). Stable: a network peer in another language must match it.
// Several vectors of one (round, party) share a stream id and are told apart by where their
// block counter starts: slot s starts at s·2^40 (a vector never needs 2^40 blocks), and a
// private downlink to client c lives in c's stream from 2^52 on, out of reach of c's uplinks.
import { describeValue } from "../describe.js";
import { FedquantError } from "../errors.js";
import { RandomStream, SERVER, splitSeed } from "../random/index.js";
import type { ClientId, Seed } from "./types.js";

const SLOT_BLOCKS = 2 ** 40;
const PRIVATE_BASE = 2 ** 52;
const MAX_SLOT = 255;

function at(rs: RandomStream, counter: number): RandomStream {
  return new RandomStream(rs.k0, rs.k1, rs.i0, rs.i1, counter);
}

function checkSlot(slot: number): void {
  if (!Number.isInteger(slot) || slot < 0 || slot > MAX_SLOT) throw new FedquantError("E_CONFIG", `vector slot must be an integer in [0, ${MAX_SLOT}], got ${slot}`);
}

/** The stream client c compresses its uplink vector `slot` of round k with. */
export function uplinkStream(seed: bigint, round: number, client: ClientId, slot = 0): RandomStream {
  checkSlot(slot);
  return at(RandomStream.of(seed, "compress", round, client), slot * SLOT_BLOCKS);
}

/** The stream of the server's shared downlink vector `slot` carrying round k's update. */
export function downlinkStream(seed: bigint, round: number, slot = 0): RandomStream {
  checkSlot(slot);
  return at(RandomStream.of(seed, "compress", round, SERVER), slot * SLOT_BLOCKS);
}

/** The stream of a downlink vector meant for client c only (Rand-MCM), carrying round k's state. */
export function privateDownlinkStream(seed: bigint, round: number, client: ClientId, slot = 0): RandomStream {
  checkSlot(slot);
  return at(RandomStream.of(seed, "compress", round, client), PRIVATE_BASE + slot * SLOT_BLOCKS);
}

/** The server's stream for drawing the active clients of round k. */
export function participationStream(seed: bigint, round: number): RandomStream {
  return RandomStream.of(seed, "participation", round, SERVER);
}

/** Normalise a seed (number < 2^53, bigint, or decimal string) to the 64-bit bigint streams use. */
export function toSeed(seed: Seed): bigint {
  let s: bigint;
  if (typeof seed === "bigint") s = seed;
  else if (typeof seed === "number") {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new FedquantError("E_CONFIG", `seed must be a non-negative safe integer, a bigint or a decimal string, got ${describeValue(seed)}`);
    s = BigInt(seed);
  } else if (typeof seed === "string" && /^[0-9]{1,20}$/.test(seed)) s = BigInt(seed);
  else throw new FedquantError("E_CONFIG", `seed must be a non-negative safe integer, a bigint or a decimal string, got ${describeValue(seed)}`);
  try { splitSeed(s); } catch {
    throw new FedquantError("E_CONFIG", `seed must be in [0, 2^64), got ${s}`);
  }
  return s;
}
