// What a thread needs to host some clients of a run, as plain data (structured-clonable), and the
// one function that builds them from it — used by the worker threads and by the main thread for
// its own share, so every client of a parallel run is made the same way. A client is its
// algorithm state machine (src/algorithms) plus its gradient oracle over its own data; nothing
// random is carried: every stream is re-derived from (seed, purpose, round, client).
import { algorithmFromState, type AlgorithmClient, type ClientId, type ClientState, type GradientOracle, type ResolvedConfig } from "../../algorithms/index.js";
import { FedquantError } from "../../errors.js";
import type { Dataset } from "../../models/index.js";
import { dataPotential, flatPrior, gaussianPrior, qlsdOracle, type ChainState, type OracleParams, type Prior } from "../../sampling/browser.js";
import { minibatchOracle, type BatchSize } from "../simulator-oracle.js";
import { buildObjective, type ObjectiveSpec } from "./objective-spec.js";

interface Common {
  /** registered algorithm name and its resolved config: algorithmFromState rebuilds it */
  algorithm: string;
  config: ResolvedConfig;
  /** the 64-bit seed as a decimal string */
  seed: string;
  w0: Float64Array;
}

/** simulate(): an optimisation client with the minibatch oracle of simulator-oracle.ts. */
export interface OptimizerRecipe extends Common { kind: "optimizer"; objective: ObjectiveSpec; batch: BatchSize }

export type PriorSpec = { kind: "flat" } | { kind: "gaussian"; variance: number };

/** A federated sampler's client: the QLSD oracle over U_i (sampling/oracle.ts, model.ts). */
export interface SamplerRecipe extends Common {
  kind: "sampler";
  likelihood: ObjectiveSpec;
  prior: PriorSpec;
  /** b, the number of clients (each U_i carries 1/b of the prior) */
  clients: number;
  oracle: OracleParams;
}

export type Recipe = OptimizerRecipe | SamplerRecipe;

export function describePrior(p: Prior): PriorSpec {
  const d = p.describe();
  if (d.kind === "flat") return { kind: "flat" };
  if (d.kind === "gaussian" && typeof d.variance === "number") return { kind: "gaussian", variance: d.variance };
  throw new FedquantError("E_CONFIG", `threads > 1: the prior ${JSON.stringify(d)} is not flatPrior() or gaussianPrior(v), so a worker thread cannot rebuild it; use one thread`);
}

function buildPrior(p: PriorSpec): Prior { return p.kind === "flat" ? flatPrior() : gaussianPrior(p.variance); }

/** One hosted client. */
export interface Party {
  readonly client: AlgorithmClient;
  readonly oracle: GradientOracle;
  /** F_i(w) on the client's own data (optimisation clients only: simulate()'s loss curve) */
  readonly loss?: (w: Float64Array) => number;
  saveOracle(): ChainState | undefined;
  loadOracle(s: ChainState | undefined): void;
}

export interface HostedClient { id: ClientId; data: Dataset }

/** Builds the hosted clients in the order given; returns a map by id. */
export function buildParties(r: Recipe, hosted: readonly HostedClient[]): Map<ClientId, Party> {
  const algo = algorithmFromState({ algorithm: r.algorithm, config: r.config } as ClientState);
  const seed = BigInt(r.seed);
  const out = new Map<ClientId, Party>();
  if (r.kind === "optimizer") {
    const objective = buildObjective(r.objective);
    for (const { id, data } of hosted) {
      out.set(id, {
        client: algo.createClient({ id, w0: r.w0, seed }), oracle: minibatchOracle(objective, data, seed, r.batch),
        loss: (w) => objective.loss(w, data),
        saveOracle: () => undefined, loadOracle: () => {},
      });
    }
    return out;
  }
  const likelihood = buildObjective(r.likelihood), prior = buildPrior(r.prior);
  for (const { id, data } of hosted) {
    const q = qlsdOracle(dataPotential(likelihood, prior, data, r.clients), r.oracle, seed);
    out.set(id, { client: algo.createClient({ id, w0: r.w0, seed }), oracle: q.oracle, saveOracle: () => q.save(), loadOracle: (s) => q.load(s ?? {}) });
  }
  return out;
}

/** Replace a party's client by its checkpoint (and its oracle's state). */
export function restoreParty(r: Recipe, p: Party, state: ClientState, oracle: ChainState | undefined): Party {
  const algo = algorithmFromState({ algorithm: r.algorithm, config: r.config } as ClientState);
  if (r.kind === "sampler") p.loadOracle(oracle);
  return { ...p, client: algo.restoreClient(state) };
}
