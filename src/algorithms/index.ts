// The algorithms layer: federated optimisation algorithms as client/server state machines
// exchanging encoded envelopes (docs/algorithms.md). Re-exports only.
export type {
  Algorithm, AlgorithmClient, AlgorithmConfig, AlgorithmServer, Aggregate, ClientHooks, ClientId, ClientOptions, ClientState,
  CompressorChoice, CompressorRef, GradientOracle, OracleContext, Participation, ParticipationSpec, ReceiveOptions, ResolvedConfig, Seed,
  MemoryInit, ServerHooks, ServerMemory, ServerOptions, ServerState,
} from "./types.js";
export { createAlgorithm, algorithmFromState, algorithmNames, algorithmSummary, registerAlgorithm, registerAlias } from "./registry.js";
export type { AlgorithmSpec } from "./spec.js";
export { readEnvelope, writeEnvelope, envelopeBits, Direction, ENVELOPE_VERSION } from "./envelope.js";
export type { Envelope, EnvelopeExpectation, Section } from "./envelope.js";
export { uplinkStream, downlinkStream, privateDownlinkStream, participationStream, toSeed } from "./streams.js";
export { decodeUplinkVector, attachDecoded, attachedDecoded } from "./uplink-decode.js";
export { sampleActive, activeWeight, responderWeight } from "./participation.js";
