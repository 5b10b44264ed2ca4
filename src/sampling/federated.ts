// Federated samplers of the QLSD family (spec/langevin.md; QLSD, Vono et al. 2022, Algorithms 1–2)
// as BlackJAX-style SamplingAlgorithms: built from a model and hyper-parameters, init() gives a
// Chain whose step() is one round of the src/algorithms protocol (server broadcast → client
// uplinks → server update with Langevin noise), driven in-process — or awaited (stepAsync) when the
// clients are on Web Workers; both ways run simulate.ts's one round.
import { FedquantError } from "../errors.js";
import type { ClientState, ServerState } from "../algorithms/index.js";
import type { BitTotals, ChainState, FederatedChain, InitOptions, SamplingAlgorithm } from "./chain.js";
import { clientPotential, type BayesModel } from "./model.js";
import { resolveParams, type ResolvedParams, type SamplerParams } from "./options.js";
import { createSamplerClient, createSamplerServer, langevinHooks, samplerAlgorithm } from "./parties.js";
import { isAsyncClients, simulateRound, simulateRoundAsync, type RoundClients } from "./simulate.js";
import { chainSeed } from "./streams.js";

export function checkInit(dim: number, o: InitOptions): { seed: bigint; chain: number; theta0: Float64Array } {
  if (o === null || typeof o !== "object") throw new FedquantError("E_CONFIG", "init: options { seed, chain?, theta0? } are required");
  const chain = o.chain ?? 0;
  if (!(Number.isInteger(chain) && chain >= 0 && chain < 0xffffff)) throw new FedquantError("E_CONFIG", `init: chain must be an integer in [0, 2^24 − 1), got ${String(o.chain)}`);
  if (!(typeof o.seed === "bigint" || (Number.isSafeInteger(o.seed) && o.seed >= 0))) throw new FedquantError("E_CONFIG", `init: seed must be an integer ≥ 0, got ${String(o.seed)}`);
  const theta0 = o.theta0 ?? new Float64Array(dim);
  if (!(theta0 instanceof Float64Array) || theta0.length !== dim) throw new FedquantError("E_DIM", `init: theta0 must be a Float64Array of length ${dim}`);
  if (theta0.some((v) => !Number.isFinite(v))) throw new FedquantError("E_INPUT", "init: theta0 has a non-finite entry");
  return { seed: chainSeed(o.seed, chain), chain, theta0 };
}

function diverged(round: number, cause: unknown): never {
  throw new FedquantError("E_STATE", `the chain diverged at step ${round} (${(cause as Error).message}); reduce stepSize (γ·L should be well below 1)`, { cause });
}

/** Any member of the family from its parameters (the named builders below fix `algorithm`). */
export function federatedSampler(model: BayesModel, params: SamplerParams): SamplingAlgorithm<FederatedChain> & { readonly params: ResolvedParams } {
  const resolved = resolveParams(model, params);
  const potentials = model.clients.map((_, i) => clientPotential(model, i));
  const algorithm = samplerAlgorithm(resolved);
  return {
    name: resolved.algorithm,
    dim: model.dim,
    params: resolved,
    init(options): FederatedChain {
      const { seed, theta0 } = checkInit(model.dim, options);
      let server = createSamplerServer(resolved, seed, theta0, algorithm);
      const remote = options.parallel?.({ model, params: resolved, algorithm, seed, theta0 });
      const awaited = remote !== undefined && isAsyncClients(remote);
      const clients = remote ? [] : potentials.map((u, i) => createSamplerClient(resolved, seed, theta0, i, u, algorithm));
      let bits: BitTotals = { upPayload: 0, upTotal: 0, down: 0, messages: 0 };
      /** an awaited step, save or load in flight: the server is between broadcast and receive */
      let busy = false;
      /** remote clients closed: their workers are gone */
      let closed = false;
      const open = (what: string) => {
        if (closed) throw new FedquantError("E_STATE", `${resolved.algorithm}: ${what} after close(): the chain's worker threads are gone (save before closing, load into a new chain)`);
      };
      const sync = (what: string) => {
        open(`${what}()`);
        if (awaited) throw new FedquantError("E_CONFIG", `${resolved.algorithm}: this chain's clients are on Web Workers, which cannot be waited for synchronously; use \`await chain.${what}Async()\`${what === "step" ? " (or sampleChainAsync)" : ""} instead of ${what}()`);
        if (busy) throw new FedquantError("E_STATE", `${resolved.algorithm}: ${what}() while an awaited step, save or load is in flight`);
      };
      const exclusive = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
        open(`${what}Async()`);
        if (busy) throw new FedquantError("E_STATE", `${resolved.algorithm}: ${what}Async() while another awaited step, save or load is in flight (await each one first)`);
        busy = true;
        try { return await f(); } finally { busy = false; }
      };
      // after a step (either way): a non-finite gradient (E_INPUT from the compressor) or θ says the chain diverged
      function explain(k: number, e: unknown): never {
        if (e instanceof FedquantError && e.code === "E_INPUT" && /not finite/.test(e.message)) diverged(k, e);
        throw e;
      }
      const stepped = (k: number, b: BitTotals) => {
        const th = server.model;
        for (let j = 0; j < th.length; j++) if (!Number.isFinite(th[j]!) || Math.abs(th[j]!) > 3e38) diverged(k, new Error(`θ[${j}] = ${th[j]}`));
        bits = { upPayload: bits.upPayload + b.upPayload, upTotal: bits.upTotal + b.upTotal, down: bits.down + b.down, messages: bits.messages + b.messages };
      };
      // the algorithms' own JSON checkpoints (exact base64 vectors), plus the oracles' ζ, h^i
      const pack = (r: { clients: ClientState[]; oracles: ChainState[] }): ChainState => ({
        server: JSON.stringify(server.toJSON()), clients: r.clients.map((c) => JSON.stringify(c)), oracles: r.oracles, bits: { ...bits },
      });
      const localState = () => ({ clients: clients.map((c) => c.client.toJSON()), oracles: clients.map((c) => c.oracle.save()) });
      /** Checks and parses a saved state; restores the server (the clients are the caller's). */
      const unpack = (state: ChainState): { cs: ClientState[]; os: ChainState[]; bits: BitTotals } => {
        const cs = state.clients, os = state.oracles, count = model.clients.length;
        if (typeof state.server !== "string" || !Array.isArray(cs) || !Array.isArray(os) || cs.length !== count || os.length !== count) {
          throw new FedquantError("E_STATE", `saved state is not a ${resolved.algorithm} chain of ${count} clients`);
        }
        // a damaged checkpoint must surface as E_STATE, not as a bare SyntaxError
        const parse = (text: unknown, what: string): unknown => {
          try { return JSON.parse(text as string); } catch { throw new FedquantError("E_STATE", `saved ${resolved.algorithm} chain: the ${what} state is not valid JSON`); }
        };
        const parsed = cs.map((c, i) => parse(c, `client ${i}`) as ClientState);
        server = algorithm.restoreServer(parse(state.server, "server") as ServerState, langevinHooks(seed, resolved.stepSize, model.dim));
        return { cs: parsed, os: os as ChainState[], bits: { ...(state.bits as unknown as BitTotals) } };
      };
      const loadLocal = (u: { cs: ClientState[]; os: ChainState[] }) => clients.forEach((c, i) => {
        c.oracle.load(u.os[i]!);
        clients[i] = { client: algorithm.restoreClient(u.cs[i]!), oracle: c.oracle };
      });
      return {
        name: resolved.algorithm,
        dim: model.dim,
        get round() { return server.round; },
        get theta() { return server.model; },
        get bits() { return bits; },
        close() { if (remote) { closed = true; remote.close(); } },
        step() {
          sync("step");
          const k = server.round;
          let b: BitTotals;
          try { b = simulateRound(server, (remote as RoundClients | undefined) ?? clients); } catch (e) { explain(k, e); }
          stepped(k, b);
        },
        stepAsync: () => exclusive("step", async () => {
          const k = server.round;
          let b: BitTotals;
          try { b = await simulateRoundAsync(server, remote ?? clients); } catch (e) { explain(k, e); }
          stepped(k, b);
        }),
        save(): ChainState {
          sync("save");
          return pack(remote ? (remote as RoundClients).save() : localState());
        },
        saveAsync: () => exclusive("save", async () => pack(remote ? await remote.save() : localState())),
        load(state) {
          sync("load");
          const u = unpack(state);
          if (remote) (remote as RoundClients).load(u.cs, u.os); else loadLocal(u);
          bits = u.bits;
        },
        loadAsync: (state) => exclusive("load", async () => {
          const u = unpack(state);
          if (remote) await remote.load(u.cs, u.os); else loadLocal(u);
          bits = u.bits;
        }),
      };
    },
  };
}

type Without<K extends keyof SamplerParams> = Omit<SamplerParams, "algorithm" | K>;

/** Full-gradient Langevin (Euler–Maruyama of dθ = −∇U dt + √2 dB), uncompressed unless a compressor is given. */
export const lsd = (model: BayesModel, p: Without<"batchSize" | "refresh" | "memory" | "alpha" | "thetaStar">) => federatedSampler(model, { ...p, algorithm: "lsd" });
/** QLSD#: compressed minibatch gradients. */
export const qlsdSharp = (model: BayesModel, p: Without<"refresh" | "memory" | "alpha" | "thetaStar">) => federatedSampler(model, { ...p, algorithm: "qlsd#" });
/** QLSD*: compressed minibatch gradients with control variates at the mode θ*. */
export const qlsdStar = (model: BayesModel, p: Without<"refresh" | "memory" | "alpha"> & { thetaStar: Float64Array }) => federatedSampler(model, { ...p, algorithm: "qlsd*" });
/** QLSD++: SVRG control variates refreshed every ℓ steps and DIANA memory. */
export const qlsdPlusPlus = (model: BayesModel, p: Without<"thetaStar">) => federatedSampler(model, { ...p, algorithm: "qlsd++" });
/** Federated SGLD: uncompressed minibatch gradients (float32 on the wire). */
export const federatedSgld = (model: BayesModel, p: Without<"compressor" | "refresh" | "memory" | "alpha" | "thetaStar">) => federatedSampler(model, { ...p, algorithm: "sgld" });
