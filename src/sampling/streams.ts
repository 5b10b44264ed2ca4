// Where every random number of a sampler comes from (spec/random.md "Streams"): a stream is
// derived from (chain seed, purpose, round, worker), never carried along, so a run resumed at
// round k re-derives exactly the streams the uninterrupted run used at round k.
import { RandomStream, SERVER } from "../random/index.js";

/** The 64-bit seed of chain c: several chains of one run are independent but reproducible. */
export function chainSeed(seed: number | bigint, chain: number): bigint {
  const w = RandomStream.of(seed, "seeds", 0, chain).words(1);
  return (BigInt(w[1]!) << 32n) | BigInt(w[0]!);
}

/** Client i's minibatch of round k. */
export const minibatchStream = (seed: bigint, round: number, client: number) => RandomStream.of(seed, "minibatch", round, client);
/** Client i's compression randomness of round k (the server decodes against the same stream). */
export const compressStream = (seed: bigint, round: number, client: number) => RandomStream.of(seed, "compress", round, client);
/** The Langevin noise Z_{k+1} of round k (drawn by the server). */
export const noiseStream = (seed: bigint, round: number) => RandomStream.of(seed, "langevin", round, SERVER);
/** Which clients take part in round k. */
export const participationStream = (seed: bigint, round: number) => RandomStream.of(seed, "participation", round, SERVER);
/** The stream named in the header of round k's downlink (identity encoding draws nothing from it). */
export const downlinkStream = (seed: bigint, round: number) => RandomStream.of(seed, "seeds", round, SERVER);
/** The starting point θ_0 when it is drawn. */
export const initStream = (seed: bigint) => RandomStream.of(seed, "init", 0, SERVER);
