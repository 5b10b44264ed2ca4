// Algorithms by name: createAlgorithm("artemis", { gamma, up, down, alpha, participation }).
// Wire ids are stable (envelope header); never reuse one. Any registered compressor can be
// named in any algorithm's up / down ("any algorithm with any compressor", spec/optimization.md).
import { describeValue, isPlainObject } from "../describe.js";
import { FedquantError } from "../errors.js";
import { artemis } from "./artemis.js";
import { artemisEf } from "./artemis-ef.js";
import { artemisNd } from "./artemis-nd.js";
import { biqsgd } from "./biqsgd.js";
import { configKey, instantiate, resolveConfig } from "./config.js";
import { PartyContext, type AlgorithmCore } from "./context.js";
import { diana } from "./diana.js";
import { dore } from "./dore.js";
import { doubleSqueeze } from "./double-squeeze.js";
import { efSgd } from "./ef-sgd.js";
import { mcm } from "./mcm.js";
import { qsgd } from "./qsgd.js";
import { randMcm } from "./rand-mcm.js";
import { sgd } from "./sgd.js";
import type { AlgorithmSpec } from "./spec.js";
import { toSeed } from "./streams.js";
import type { Algorithm, AlgorithmClient, AlgorithmConfig, AlgorithmServer, ClientHooks, ClientId, ClientOptions, ClientState, ResolvedConfig, ServerHooks, ServerOptions, ServerState } from "./types.js";
import { initialModel } from "./vec.js";

interface Entry { spec: AlgorithmSpec; /** defaults an alias puts in front of the user's config */ preset?: Partial<AlgorithmConfig> }
const registry = new Map<string, Entry>();

export function registerAlgorithm(spec: AlgorithmSpec): void {
  for (const [n, e] of registry) {
    if (n !== spec.name && e.spec.id === spec.id && e.spec !== spec) throw new FedquantError("E_CONFIG", `algorithm wire id ${spec.id} is taken by ${n}`);
  }
  registry.set(spec.name, { spec });
}

/** A name for an existing algorithm with different defaults (same wire id, same state machine). */
export function registerAlias(name: string, of: string, preset: Partial<AlgorithmConfig>): void {
  const e = registry.get(of);
  if (!e) throw new FedquantError("E_CONFIG", `cannot alias unknown algorithm "${of}"`);
  registry.set(name, { spec: e.spec, preset });
}

export function algorithmNames(): string[] { return [...registry.keys()]; }
export function algorithmSummary(name: string): string { return registry.get(name)?.spec.summary ?? ""; }

export function createAlgorithm(name: string, config: AlgorithmConfig): Algorithm {
  if (typeof name !== "string") throw new FedquantError("E_CONFIG", `unknown algorithm "${String(name)}": the algorithm name must be a string, got ${describeValue(name)}; known: ${algorithmNames().join(", ")}`);
  const e = registry.get(name);
  if (!e) throw new FedquantError("E_CONFIG", `unknown algorithm "${name}"; known: ${algorithmNames().join(", ")}`);
  if (!isPlainObject(config)) throw new FedquantError("E_CONFIG", `${name}: config must be an object with at least gamma, got ${describeValue(config)}`);
  const merged = { ...e.preset, ...config } as AlgorithmConfig;
  return new AlgorithmImpl(name, e.spec, resolveConfig(name, merged, e.spec.rules));
}

/** The algorithm a checkpoint was made with (its name and resolved config). */
export function algorithmFromState(state: ServerState | ClientState): Algorithm {
  if (state === null || typeof state !== "object" || typeof state.algorithm !== "string") throw new FedquantError("E_STATE", "not a fedquant checkpoint (no algorithm name)");
  const e = registry.get(state.algorithm);
  if (!e || state.config === null || typeof state.config !== "object") throw new FedquantError("E_STATE", `checkpoint of unknown algorithm "${state.algorithm}" or without a config`);
  // a resolved config also lists the links an algorithm does not let users set (SGD's identity
  // compressors): leave those out; restore compares the rebuilt config with the checkpoint's
  const cfg = { ...state.config } as Record<string, unknown>;
  for (const k of ["up", "down"] as const) if (!e.spec.rules.keys.includes(k)) delete cfg[k];
  return createAlgorithm(state.algorithm, cfg as unknown as AlgorithmConfig);
}

function clientList(clients: number | readonly ClientId[]): ClientId[] {
  let ids: ClientId[];
  if (typeof clients === "number") {
    if (!Number.isInteger(clients) || clients < 1 || clients > 0xfffffe) throw new FedquantError("E_CONFIG", `clients must be a count in [1, 16777214] or a list of ids, got ${describeValue(clients)}`);
    ids = Array.from({ length: clients }, (_, i) => i);
  } else if (Array.isArray(clients)) ids = [...clients];
  else throw new FedquantError("E_CONFIG", `clients must be a count (a number) or a list of client ids (an array), got ${describeValue(clients)}`);
  if (ids.length === 0) throw new FedquantError("E_CONFIG", "a server needs at least one client");
  for (const id of ids) checkClientId(id);
  ids.sort((a, b) => a - b);
  for (let j = 1; j < ids.length; j++) if (ids[j] === ids[j - 1]) throw new FedquantError("E_CONFIG", `client id ${ids[j]} is listed twice`);
  return ids;
}

function checkClientId(id: unknown): asserts id is ClientId {
  if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id > 0xfffffe) throw new FedquantError("E_CONFIG", `a client id must be an integer in [0, 16777214], got ${describeValue(id)}`);
}

function checkHeader(state: ServerState | ClientState, format: string, name: string): void {
  if (state === null || typeof state !== "object") throw new FedquantError("E_STATE", "a checkpoint must be an object");
  if (state.format !== format) throw new FedquantError("E_STATE", `checkpoint format is ${String(state.format)}, expected ${format}`);
  if (state.version !== 1) throw new FedquantError("E_STATE", `checkpoint version ${String(state.version)} is not supported (this build reads 1)`);
  if (state.algorithm !== name) throw new FedquantError("E_STATE", `checkpoint is of algorithm ${String(state.algorithm)}, not ${name}`);
  if (!Number.isInteger(state.dim) || state.dim < 1) throw new FedquantError("E_STATE", `checkpoint dim must be an integer ≥ 1, got ${String(state.dim)}`);
}

class AlgorithmImpl implements Algorithm {
  readonly id: number;
  readonly up;
  readonly down;
  private readonly core: AlgorithmCore;

  constructor(readonly name: string, private readonly spec: AlgorithmSpec, readonly config: ResolvedConfig) {
    this.id = spec.id;
    this.up = instantiate(config.up);
    this.down = instantiate(config.down);
    this.core = { name, id: spec.id, config, up: this.up, down: this.down, upMemory: spec.upMemory, downMemory: spec.downMemory };
  }

  createServer(o: ServerOptions): AlgorithmServer {
    if (!isPlainObject(o)) throw new FedquantError("E_CONFIG", `createServer options must be an object { w0, clients, seed }, got ${describeValue(o)}`);
    const w0 = initialModel(o.w0);
    const ctx = new PartyContext(this.core, w0.length, toSeed(o.seed));
    return new this.spec.Server(ctx, { w0, clients: clientList(o.clients), hooks: o.hooks ?? {} });
  }

  createClient(o: ClientOptions): AlgorithmClient {
    if (!isPlainObject(o)) throw new FedquantError("E_CONFIG", `createClient options must be an object { id, w0, seed }, got ${describeValue(o)}`);
    checkClientId(o.id);
    const w0 = initialModel(o.w0);
    const ctx = new PartyContext(this.core, w0.length, toSeed(o.seed));
    return new this.spec.Client(ctx, { id: o.id, w0, hooks: o.hooks ?? {} });
  }

  restoreServer(state: ServerState, hooks: ServerHooks = {}): AlgorithmServer {
    checkHeader(state, "fedquant.server", this.name);
    this.checkConfig(state.config);
    if (!Array.isArray(state.clients)) throw new FedquantError("E_STATE", "checkpoint clients must be a list of ids");
    const ctx = new PartyContext(this.core, state.dim, stateSeed(state.seed));
    return new this.spec.Server(ctx, { w0: new Float64Array(state.dim), clients: clientList(state.clients), hooks }).restore(state);
  }

  restoreClient(state: ClientState, hooks: ClientHooks = {}): AlgorithmClient {
    checkHeader(state, "fedquant.client", this.name);
    this.checkConfig(state.config);
    checkClientId(state.id);
    const ctx = new PartyContext(this.core, state.dim, stateSeed(state.seed));
    return new this.spec.Client(ctx, { id: state.id, w0: new Float64Array(state.dim), hooks }).restore(state);
  }

  private checkConfig(c: ResolvedConfig): void {
    if (c === null || typeof c !== "object" || configKey(c) !== configKey(this.config)) {
      throw new FedquantError("E_STATE", `checkpoint config ${JSON.stringify(c)} differs from this algorithm's ${JSON.stringify(this.config)}`);
    }
  }
}

function stateSeed(s: unknown): bigint {
  try { return toSeed(s as string); } catch { throw new FedquantError("E_STATE", `checkpoint seed must be a decimal string, got ${String(s)}`); }
}

for (const spec of [sgd, qsgd, diana, biqsgd, artemis, artemisNd, mcm, randMcm, dore, artemisEf, doubleSqueeze, efSgd]) registerAlgorithm(spec);
// spec/optimization.md "DoStoVoQ-SGD" and "DoStoVoQ-VR-DIANA": the dostovoq compressor in QSGD / DIANA
registerAlias("dostovoq-sgd", "qsgd", { up: "dostovoq" });
registerAlias("dostovoq-vr-diana", "diana", { up: "dostovoq" });
