// The in-process federated simulator (spec/optimization.md; experiments.md E3): N clients and a
// server driving the algorithms' state machines through real encoded envelopes, with every random
// choice on seeded Philox streams — the same config and seed give the same trajectory bit for
// bit. Bits are counted from the envelopes that travel (docs/algorithms.md "Bits").
import { describeValue, isPlainObject } from "../describe.js";
import { createAlgorithm, envelopeBits, toSeed } from "../algorithms/index.js";
import type { Algorithm, AlgorithmClient, AlgorithmConfig, AlgorithmServer, ClientHooks, ClientId, GradientOracle, ParticipationSpec, ResolvedConfig, Seed, ServerHooks } from "../algorithms/index.js";
import { FedquantError } from "../errors.js";
import { federatedLoss, type Dataset, type Objective } from "../models/index.js";
import { checkBatchSize, minibatchOracle, type BatchSize } from "./simulator-oracle.js";
import { portableObjective } from "./pool/objective-spec.js";
import { checkThreads, ClientPool } from "./pool/pool.js";
import type { OptimizerRecipe } from "./pool/recipe.js";
import { WebClientPool, type WorkerFactory } from "./pool/web-pool.js";

export interface SimulationOptions {
  /** a registered algorithm name (then give gamma, and config / participation if needed) or an Algorithm */
  algorithm: string | Algorithm;
  config?: Omit<AlgorithmConfig, "gamma">;
  gamma?: number;
  participation?: ParticipationSpec;
  objective: Objective;
  /** worker i's data (client id i) */
  workers: readonly Dataset[];
  iterations: number;
  batchSize?: BatchSize;
  seed: Seed;
  /** default: zeros */
  w0?: ArrayLike<number>;
  /** F* directly, or w* to compute it; either gives excessLoss */
  fStar?: number;
  wStar?: ArrayLike<number>;
  /**
   * evaluate the loss every `evalEvery` iterations (and at 0 and the last one). Default:
   * ⌈iterations / 200⌉ — at most ~200 points per curve (a full pass over the data each, which
   * otherwise dominates cheap rounds); set 1 to record every iterate.
   */
  evalEvery?: number;
  /**
   * Threads running the clients (default 1: all on the calling thread). T > 1 starts T − 1
   * worker threads (Node) that host clients j ≡ t (mod T); the result, every message and every bit
   * count are identical to T = 1. Needs an objective of src/models, a registered algorithm, and no
   * clientHooks; onIteration then sees no clients (they live in the workers).
   */
  threads?: number;
  onIteration?: (info: IterationInfo) => void;
  serverHooks?: ServerHooks;
  clientHooks?: ClientHooks | ((id: ClientId) => ClientHooks);
}

export interface IterationInfo {
  /** 1-based: iteration k is round k − 1 */
  iteration: number;
  /** F(w_k), when evaluated at this iteration */
  loss?: number;
  active: readonly ClientId[];
  downlinks: ReadonlyMap<ClientId, Uint8Array>;
  uplinks: ReadonlyMap<ClientId, Uint8Array>;
  server: AlgorithmServer;
  /** the clients (empty with threads > 1: they live in worker threads) */
  clients: readonly AlgorithmClient[];
}

export interface SimulationResult {
  algorithm: string;
  config: ResolvedConfig;
  seed: string;
  /** the iterations evaluated: 0 (w_0), then every evalEvery, and the last */
  iterations: number[];
  loss: number[];
  fStar?: number;
  excessLoss?: number[];
  /** cumulative payload bits (the compressors' information bits, as the papers count) */
  bitsUp: number[];
  bitsDown: number[];
  bitsTotal: number[];
  /** cumulative bits on the wire: 8 × envelope bytes, every header included */
  wireBitsUp: number[];
  wireBitsDown: number[];
  wireBitsTotal: number[];
  /** active clients at each recorded iteration (0 at iteration 0) */
  activeClients: number[];
  finalW: Float64Array;
}

function resolveAlgorithm(o: SimulationOptions): Algorithm {
  if (typeof o.algorithm === "string") {
    if (o.gamma === undefined) throw new FedquantError("E_CONFIG", `simulate: gamma (the step size) is required with algorithm "${o.algorithm}"`);
    const cfg = { ...o.config, gamma: o.gamma } as AlgorithmConfig;
    if (o.participation !== undefined) {
      if (o.config?.participation !== undefined) throw new FedquantError("E_CONFIG", "simulate: participation is given twice (options and config)");
      cfg.participation = o.participation;
    }
    return createAlgorithm(o.algorithm, cfg);
  }
  if (o.algorithm === null || typeof o.algorithm !== "object" || typeof o.algorithm.createServer !== "function") {
    throw new FedquantError("E_CONFIG", `simulate: algorithm must be a registered name (a string) or an Algorithm from createAlgorithm, got ${describeValue(o.algorithm)}`);
  }
  if (o.gamma !== undefined || o.config !== undefined || o.participation !== undefined) {
    throw new FedquantError("E_CONFIG", "simulate: gamma, config and participation belong to createAlgorithm when an Algorithm is passed");
  }
  return o.algorithm;
}

/** What the simulation loop needs from wherever the clients live (this thread or a pool). */
type Need =
  | { kind: "step"; round: number; downlinks: ReadonlyMap<ClientId, Uint8Array>; move: boolean }
  | { kind: "loss"; w: Float64Array };

/** The checked options, the server and (for one thread) the clients: everything before round 0. */
interface Setup {
  o: SimulationOptions; algo: Algorithm; seed: bigint; w0: ArrayLike<number>; batch: BatchSize;
  fStar?: number; evalEvery: number; threads: number; server: AlgorithmServer;
}

function setup(o: SimulationOptions): Setup {
  if (!isPlainObject(o)) throw new FedquantError("E_CONFIG", `simulate: options must be an object, got ${describeValue(o)}`);
  const algo = resolveAlgorithm(o);
  const { objective, workers } = o;
  if (!isPlainObject(objective) || typeof objective.grad !== "function") throw new FedquantError("E_CONFIG", `simulate: objective must be an Objective (src/models), got ${describeValue(objective)}`);
  if (!Array.isArray(workers) || workers.length === 0) throw new FedquantError("E_CONFIG", `simulate: workers must be a non-empty array of datasets, got ${describeValue(workers)}`);
  if (!Number.isInteger(o.iterations) || o.iterations < 0) throw new FedquantError("E_CONFIG", `simulate: iterations must be an integer ≥ 0, got ${describeValue(o.iterations)}`);
  const evalEvery = o.evalEvery === undefined ? defaultEvalEvery(o.iterations) : o.evalEvery;
  if (!Number.isInteger(evalEvery) || evalEvery < 1) throw new FedquantError("E_CONFIG", `simulate: evalEvery must be an integer ≥ 1, got ${describeValue(evalEvery)}`);
  const batch = checkBatchSize(o.batchSize);
  const seed = toSeed(o.seed);
  const w0 = o.w0 ?? new Float64Array(objective.dim);
  if (w0.length !== objective.dim) throw new FedquantError("E_DIM", `simulate: w0 has ${w0.length} coordinates, the objective ${objective.dim}`);

  let fStar = o.fStar;
  if (fStar === undefined && o.wStar !== undefined) {
    if (o.wStar.length !== objective.dim) throw new FedquantError("E_DIM", `simulate: wStar has ${o.wStar.length} coordinates, the objective ${objective.dim}`);
    fStar = federatedLoss(objective, Float64Array.from(o.wStar), workers);
  }
  if (fStar !== undefined && !Number.isFinite(fStar)) throw new FedquantError("E_CONFIG", `simulate: fStar must be finite, got ${fStar}`);

  const threads = checkThreads(o.threads === undefined ? 1 : o.threads, "simulate: threads");
  const server = algo.createServer({ w0, clients: workers.length, seed, hooks: o.serverHooks });
  return { o, algo, seed, w0, batch, fStar, evalEvery, threads, server };
}

/** Clients on the calling thread: today's one-thread loop. */
function localClients(s: Setup): { clients: AlgorithmClient[]; answer: (n: Need) => unknown } {
  const { o, algo, seed, w0, batch } = s;
  const clients: AlgorithmClient[] = [], oracles: GradientOracle[] = [];
  for (let i = 0; i < o.workers.length; i++) {
    const hooks = typeof o.clientHooks === "function" ? o.clientHooks(i) : o.clientHooks;
    clients.push(algo.createClient({ id: i, w0, seed, hooks }));
    oracles.push(minibatchOracle(o.objective, o.workers[i]!, seed, batch));
  }
  return {
    clients,
    answer: (n) => {
      if (n.kind === "loss") return federatedLoss(o.objective, n.w, o.workers);
      const up = new Map<ClientId, Uint8Array>();
      for (const [id, bytes] of n.downlinks) up.set(id, clients[id]!.step(n.round, bytes, oracles[id]!));
      return up;
    },
  };
}

/**
 * The simulation loop, once for every way of running the clients: it yields what it needs (a
 * round of client steps, a loss) and is resumed with the answer — synchronously by simulate(),
 * awaited by simulateAsync().
 */
function* loop(s: Setup, clients: readonly AlgorithmClient[]): Generator<Need, SimulationResult, unknown> {
  const { o, algo, seed, server, fStar, evalEvery } = s;
  const res: SimulationResult = {
    algorithm: algo.name, config: algo.config, seed: seed.toString(), iterations: [], loss: [],
    bitsUp: [], bitsDown: [], bitsTotal: [], wireBitsUp: [], wireBitsDown: [], wireBitsTotal: [], activeClients: [],
    finalW: new Float64Array(0),
  };
  if (fStar !== undefined) { res.fStar = fStar; res.excessLoss = []; }
  let up = 0, down = 0, wireUp = 0, wireDown = 0;
  function* record(k: number, active: number): Generator<Need, number, unknown> {
    // with a pool, each thread evaluates the F_i of the data it holds (same sum, same order)
    const loss = (yield { kind: "loss", w: server.model }) as number;
    res.iterations.push(k); res.loss.push(loss);
    if (res.excessLoss) res.excessLoss.push(loss - fStar!);
    res.bitsUp.push(up); res.bitsDown.push(down); res.bitsTotal.push(up + down);
    res.wireBitsUp.push(wireUp); res.wireBitsDown.push(wireDown); res.wireBitsTotal.push(wireUp + wireDown);
    res.activeClients.push(active);
    return loss;
  }
  yield* record(0, 0);

  for (let k = 1; k <= o.iterations; k++) {
    const round = k - 1;
    const downlinks = server.broadcast(round);
    for (const bytes of downlinks.values()) {
      const b = envelopeBits(bytes);
      down += b.payloadBits; wireDown += b.totalBits;
    }
    const active = [...downlinks.keys()];
    // the downlinks may move to the workers unless onIteration is to see them
    const uplinks = (yield { kind: "step", round, downlinks, move: o.onIteration === undefined }) as Map<ClientId, Uint8Array>;
    for (const msg of uplinks.values()) {
      const u = envelopeBits(msg);
      up += u.payloadBits; wireUp += u.totalBits;
    }
    server.receive(round, uplinks);
    const loss = k % evalEvery === 0 || k === o.iterations ? yield* record(k, active.length) : undefined;
    o.onIteration?.({ iteration: k, loss, active, downlinks, uplinks, server, clients });
  }
  res.finalW = server.model.slice();
  return res;
}

export function simulate(o: SimulationOptions): SimulationResult {
  const s = setup(o);
  let answer: (n: Need) => unknown, clients: readonly AlgorithmClient[] = [];
  let pool: ClientPool | undefined;
  if (s.threads > 1 && o.workers.length > 1) {
    const p = startPool(s);
    pool = p;
    answer = (n) => (n.kind === "loss" ? p.federatedLoss(n.w) : p.step(n.round, n.downlinks, n.move));
  } else ({ clients, answer } = localClients(s));
  try {
    const g = loop(s, clients);
    let r = g.next();
    while (!r.done) r = g.next(answer(r.value));
    return r.value;
  } finally { pool?.close(); }
}

/**
 * simulate() for where the calling thread may not block — a browser page: with `threads` > 1
 * the clients run on Web Workers (`makeWorker` makes each; default: this package's
 * web-worker.js), awaited round by round, with the same result bit for bit. Elsewhere (Node, or
 * one thread) the same as simulate().
 */
export async function simulateAsync(o: SimulationOptions & { makeWorker?: WorkerFactory }): Promise<SimulationResult> {
  const nodeLike = typeof (globalThis as { process?: { getBuiltinModule?: unknown } }).process?.getBuiltinModule === "function";
  if (o === null || typeof o !== "object" || (o.threads ?? 1) === 1 || !Array.isArray(o.workers) || o.workers.length <= 1 || (nodeLike && o.makeWorker === undefined)) return simulate(o);
  const s = setup(o);
  const pool = await WebClientPool.create(s.threads, recipeOf(s), o.workers.map((_, i) => i), (i) => o.workers[i]!, o.makeWorker);
  try {
    const g = loop(s, []);
    let r = g.next();
    while (!r.done) {
      const n = r.value;
      r = g.next(n.kind === "loss" ? await pool.federatedLoss(n.w) : await pool.step(n.round, n.downlinks, n.move));
    }
    return r.value;
  } finally { pool.close(); }
}

/** ⌈iterations / 200⌉: ~200 points per curve at most, every iterate for short runs. */
export function defaultEvalEvery(iterations: number): number {
  return Math.max(1, Math.ceil(iterations / 200));
}

/** What a thread needs to build the clients it hosts (E_CONFIG for what cannot cross threads). */
function recipeOf(s: Setup): OptimizerRecipe {
  const { o, algo, seed, w0, batch } = s;
  if (o.clientHooks !== undefined) throw new FedquantError("E_CONFIG", "simulate: clientHooks are functions, which cannot run in worker threads; use threads: 1");
  const objective = portableObjective(o.objective, o.workers[0]!);
  return { kind: "optimizer", algorithm: algo.name, config: algo.config, seed: seed.toString(), w0: Float64Array.from(w0), objective, batch };
}

function startPool(s: Setup): ClientPool {
  return new ClientPool(s.threads, recipeOf(s), s.o.workers.map((_, i) => i), (i) => s.o.workers[i]!);
}
