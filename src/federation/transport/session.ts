// What a networked session is (the part of a serve config that every party must agree on): the
// algorithm and its config, the problem, the seed, the number of rounds, the batch size. The
// server sends it to each client in the welcome, so it is checked as untrusted JSON on arrival.
import { createAlgorithm, toSeed, type Algorithm, type AlgorithmConfig } from "../../algorithms/index.js";
import { FedquantError } from "../../errors.js";
import { checkBatchSize, type BatchSize } from "../simulator-oracle.js";
import { checkProblemSpec, type ProblemSpec } from "./problem.js";

export interface SessionSpec {
  algorithm: string;
  /** createAlgorithm's config (gamma, up, down, alpha, participation …) */
  config: AlgorithmConfig;
  problem: ProblemSpec;
  /** the 64-bit seed of every shared stream: a safe integer or a decimal string */
  seed: number | string;
  rounds: number;
  /** minibatch size per client and round, or "full" (default) */
  batchSize?: BatchSize;
}

/** A checked session, with the algorithm built (its config resolved: defaults filled in). */
export interface Session {
  spec: SessionSpec;
  algorithm: Algorithm;
  seed: bigint;
  batchSize: BatchSize;
}

export function checkSession(x: unknown): Session {
  if (x === null || typeof x !== "object") throw new FedquantError("E_CONFIG", `a session must be an object, got ${JSON.stringify(x)}`);
  const o = x as Record<string, unknown>;
  if (typeof o.algorithm !== "string") throw new FedquantError("E_CONFIG", `session.algorithm must be an algorithm name, got ${JSON.stringify(o.algorithm)}`);
  if (o.config === null || typeof o.config !== "object") throw new FedquantError("E_CONFIG", `session.config must be an object with at least gamma, got ${JSON.stringify(o.config)}`);
  if (!(Number.isInteger(o.rounds) && (o.rounds as number) >= 1 && (o.rounds as number) <= 1e7)) {
    throw new FedquantError("E_CONFIG", `session.rounds must be an integer in [1, 10^7], got ${JSON.stringify(o.rounds)}`);
  }
  const seed = toSeed(o.seed as number | string);
  const batchSize = checkBatchSize(o.batchSize);
  const problem = checkProblemSpec(o.problem);
  const algorithm = createAlgorithm(o.algorithm, o.config as AlgorithmConfig);
  const spec: SessionSpec = {
    algorithm: o.algorithm,
    // the config as given, not algorithm.config: a resolved config names the defaults of keys
    // some algorithms refuse to be given (sgd's identity "up"), so it would not build again
    config: o.config as AlgorithmConfig,
    problem, seed: seed.toString(), rounds: o.rounds as number, batchSize,
  };
  return { spec, algorithm, seed, batchSize };
}
