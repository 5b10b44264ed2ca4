// The federated samplers of src/sampling (QLSD#, QLSD*, QLSD++, LSD, SGLD) behind the transport's
// driver interfaces: the server side is `createSamplerServer` (the algorithm's server with the
// Langevin hooks), each client `createSamplerClient` (the algorithm's client and the QLSD oracle
// over its own data). Only the glue lives here; a networked chain is the in-process one
// (src/sampling/federated.ts), message for message and θ_k for θ_k.
import { readEnvelope, toSeed, uplinkStream, type AlgorithmClient, type AlgorithmServer, type ClientState } from "../../algorithms/index.js";
import { createCompressor } from "../../compressors/registry.js";
import { FedquantError } from "../../errors.js";
import type { ChainState } from "../../sampling/chain.js";
import type { ClientPotential } from "../../sampling/model.js";
import { SAMPLER_ALGORITHMS, type ResolvedParams, type SamplerAlgorithm } from "../../sampling/options.js";
import { createSamplerClient, createSamplerServer, samplerAlgorithm, type SamplerClient } from "../../sampling/parties.js";
import { envelopePayloadBits } from "./algorithm-driver.js";
import type { ParticipantDriver, ParticipantFactory, RoundDriver, RoundOutcome, RoundPlan } from "./driver.js";

/** What the server sends each joining client (plain JSON; float64 values round-trip exactly). */
export interface SamplerSessionSpec {
  kind: "sampler";
  params: {
    algorithm: SamplerAlgorithm; stepSize: number; batchSize: number;
    compressor: { name: string; params: Record<string, number | string | boolean> };
    refresh: number; alpha: number; participation: number; clients: number; dim: number;
    thetaStar?: number[];
  };
  /** the chain seed (e.g. chainSeed(seed, c)), decimal */
  seed: string;
  theta0: number[];
  rounds: number;
}

export interface SamplerDriverOptions {
  /** resolveParams(model, …) on the server; only its JSON form travels */
  params: ResolvedParams;
  /** the chain seed: the in-process chain uses chainSeed(seed, chain) */
  seed: bigint | number | string;
  /** θ_0 (default 0) */
  theta0?: Float64Array;
  rounds: number;
  /** Called after each round closed, with θ_{k+1} (the server's live vector: copy it to keep it). */
  observe?: (info: { round: number; theta: Float64Array }) => void;
}

export interface SamplerRoundDriver extends RoundDriver {
  readonly spec: SamplerSessionSpec;
  readonly server: AlgorithmServer;
}

export function createSamplerRoundDriver(opts: SamplerDriverOptions): SamplerRoundDriver {
  const p = opts.params;
  const seed = toSeed(opts.seed as number | string);
  const theta0 = opts.theta0 ?? new Float64Array(p.dim);
  if (!(theta0 instanceof Float64Array) || theta0.length !== p.dim) throw new FedquantError("E_DIM", `sampler driver: theta0 must be a Float64Array of length ${p.dim}`);
  if (!(Number.isInteger(opts.rounds) && opts.rounds >= 1)) throw new FedquantError("E_CONFIG", `sampler driver: rounds must be an integer ≥ 1, got ${String(opts.rounds)}`);
  const algorithm = samplerAlgorithm(p);
  const server = createSamplerServer(p, seed, theta0, algorithm);
  const spec: SamplerSessionSpec = {
    kind: "sampler",
    params: {
      algorithm: p.algorithm, stepSize: p.stepSize, batchSize: p.batchSize,
      compressor: { name: p.compressor.name, params: { ...p.compressor.params } },
      refresh: p.refresh, alpha: p.alpha, participation: p.participation, clients: p.clients, dim: p.dim,
      ...(p.thetaStar ? { thetaStar: Array.from(p.thetaStar) } : {}),
    },
    seed: seed.toString(), theta0: Array.from(theta0), rounds: opts.rounds,
  };
  const upDecoder = algorithm.up;
  return {
    rounds: opts.rounds,
    spec,
    server,
    session: () => spec,
    open(round): RoundPlan { return { downlinks: server.broadcast(round) }; },
    check(round, client, uplink) {
      // what receive() will check, without touching the server (as the algorithms' driver)
      const env = readEnvelopeOf(uplink, algorithm.id, client, round);
      upDecoder.decode(env, p.dim, uplinkStream(seed, round, client));
    },
    close(round, uplinks): RoundOutcome {
      const missing = (server.pending ?? []).filter((id) => !uplinks.has(id)).length;
      server.receive(round, uplinks, { allowAbsent: true });
      opts.observe?.({ round, theta: server.model });
      return { participants: uplinks.size, absent: missing };
    },
    bits: envelopePayloadBits,
    summary: () => ({ algorithm: p.algorithm, rounds: server.round }),
  };
}

function readEnvelopeOf(uplink: Uint8Array, algorithm: number, client: number, round: number): Uint8Array {
  const env = readEnvelope(uplink, { direction: "up", algorithm, client, round });
  if (env.sections.length !== 1 || env.sections[0]!.round !== round || env.sections[0]!.slot !== 0) {
    throw new FedquantError("E_PROTOCOL", `the uplink of client ${client} must hold one vector of round ${round}, it holds ${env.sections.length} section(s)`);
  }
  return env.sections[0]!.bytes;
}

function bad(message: string): never { throw new FedquantError("E_CONFIG", `sampler session: ${message}`); }
const num = (x: unknown, what: string, ok: (v: number) => boolean): number => {
  if (typeof x !== "number" || !Number.isFinite(x) || !ok(x)) bad(`${what} is invalid: ${JSON.stringify(x)}`);
  return x;
};
const vec = (x: unknown, dim: number, what: string): Float64Array => {
  if (!Array.isArray(x) || x.length !== dim || x.some((v) => typeof v !== "number" || !Number.isFinite(v))) bad(`${what} must be ${dim} finite numbers`);
  return Float64Array.from(x as number[]);
};

/** The session JSON a client received, checked (untrusted), as the ResolvedParams its parties need. */
export function checkSamplerSession(x: unknown): { params: ResolvedParams; seed: bigint; theta0: Float64Array; rounds: number } {
  if (x === null || typeof x !== "object" || (x as { kind?: unknown }).kind !== "sampler") bad(`expected { kind: "sampler", … }, got ${JSON.stringify(x)?.slice(0, 80)}`);
  const o = x as Record<string, unknown>;
  const q = o.params as Record<string, unknown> | null;
  if (q === null || typeof q !== "object") bad("params must be an object");
  const algorithm = q.algorithm as SamplerAlgorithm;
  if (!SAMPLER_ALGORITHMS.includes(algorithm)) bad(`unknown sampler algorithm ${JSON.stringify(q.algorithm)}`);
  const int = (v: unknown, what: string, min: number): number => num(v, what, (n) => Number.isInteger(n) && n >= min);
  const clients = int(q.clients, "params.clients", 1), dim = int(q.dim, "params.dim", 1);
  const c = q.compressor as { name?: unknown; params?: unknown } | null;
  if (c === null || typeof c !== "object" || typeof c.name !== "string") bad("params.compressor must be { name, params }");
  const compressor = createCompressor(c.name, (c.params ?? {}) as Record<string, number | string | boolean>);
  if (!compressor.unbiased) bad(`the compressor "${compressor.name}" is biased`);
  const refresh = int(q.refresh, "params.refresh", 0);
  const controlVariate = algorithm === "qlsd*" ? "mode" : algorithm === "qlsd++" ? "svrg" : "none";
  if (controlVariate === "svrg" && refresh < 1) bad("qlsd++ needs refresh ≥ 1");
  const params: ResolvedParams = {
    algorithm, controlVariate, refresh, clients, dim, compressor,
    stepSize: num(q.stepSize, "params.stepSize", (v) => v > 0),
    batchSize: int(q.batchSize, "params.batchSize", 0),
    alpha: num(q.alpha, "params.alpha", (v) => v >= 0 && v <= 1),
    participation: num(q.participation, "params.participation", (v) => Number.isInteger(v) && v >= 1 && v <= clients),
    ...(algorithm === "qlsd*" ? { thetaStar: vec(q.thetaStar, dim, "params.thetaStar") } : {}),
  };
  const rounds = int(o.rounds, "rounds", 1);
  return { params, seed: toSeed(o.seed as string), theta0: vec(o.theta0, dim, "theta0"), rounds };
}

export interface SamplerParticipantOptions {
  /** This client's potential U_i over its own data (e.g. clientPotential(model, client)); the data never travels. */
  potential: (client: number, params: ResolvedParams) => ClientPotential | Promise<ClientPotential>;
  observe?: (info: { round: number; client: AlgorithmClient }) => void;
}

interface SamplerSnapshot { client: ClientState; oracle: ChainState }

export function samplerParticipantFactory(opts: SamplerParticipantOptions): ParticipantFactory {
  return async (sessionJson, id): Promise<ParticipantDriver> => {
    const { params, seed, theta0 } = checkSamplerSession(sessionJson);
    if (!(Number.isInteger(id) && id >= 0 && id < params.clients)) throw new FedquantError("E_PROTOCOL", `the server calls this client ${id}, but the session has ${params.clients} clients`);
    const potential = await opts.potential(id, params);
    if (params.batchSize > potential.n) bad(`batchSize ${params.batchSize} exceeds this client's ${potential.n} rows`);
    const algorithm = samplerAlgorithm(params);
    const me: SamplerClient = createSamplerClient(params, seed, theta0, id, potential, algorithm);
    let client = me.client;
    return {
      step: (round, downlink) => {
        const up = client.step(round, downlink, me.oracle.oracle);
        opts.observe?.({ round, client });
        return up;
      },
      snapshot: (): SamplerSnapshot => ({ client: client.toJSON(), oracle: me.oracle.save() }),
      restore: (s) => { const x = s as SamplerSnapshot; client = algorithm.restoreClient(x.client); me.oracle.load(x.oracle); },
      bits: envelopePayloadBits,
    };
  };
}
