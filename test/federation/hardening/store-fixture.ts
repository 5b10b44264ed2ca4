// Test fixture: a serve checkpoint whose parts are small but valid, numbered by round, so crash
// tests can check that the snapshot and the reports log on disk belong to the same round.
import type { RoundReport } from "../../../src/federation/transport/coordinator.js";
import type { ServeCheckpoint } from "../../../src/federation/transport/serve-checkpoint.js";
import type { SessionSpec } from "../../../src/federation/transport/session.js";

export const storeSession: SessionSpec = {
  algorithm: "sgd", config: { gamma: 0.1 }, problem: { kind: "logistic", clients: 2, perClient: 10, seed: 1, ridge: 0 },
  seed: "1", rounds: 10_000_000, batchSize: "full",
};
export const storeTokens = ["store-token-0-xxxxx", "store-token-1-xxxxx"];

export function storeReport(round: number): RoundReport {
  return { round, invited: [0, 1], participants: [0, 1], absent: [], bitsDown: 64 + round, bitsUp: 128 + round, bitsDownUnused: 0, bitsUpRejected: 0, wireBytesDown: 100, wireBytesUp: 200, outcome: { loss: 1 / (round + 1) } };
}

/** The snapshot after `round` closed rounds (no reports: they are in the log). */
export function storeSnapshot(round: number): ServeCheckpoint {
  const last = round - 1;
  return {
    format: "fedquant.serve-checkpoint", version: 1, session: storeSession, tokens: storeTokens, initialLoss: 1,
    coordinator: { round, accepted: [last, last], invited: [last, last], reports: [] },
    // stands in for server.toJSON(): a fixed size, marked with its round
    server: { format: "fedquant.server", version: 1, algorithm: "sgd", config: {}, seed: "1", dim: 2, clients: [0, 1], round, pending: null, data: { pad: "x".repeat(4000) } } as never,
  };
}
