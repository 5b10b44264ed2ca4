// The algorithms' own state machines (src/algorithms) behind the transport's driver interfaces:
// the server side calls broadcast / receive exactly as the simulator does, the client side calls
// step with the simulator's minibatch oracle, so a networked run is the simulated one, message
// for message. Nothing of any algorithm is re-implemented here.
import { envelopeBits, readEnvelope, uplinkStream, type AlgorithmClient, type AlgorithmServer, type ClientState, type ServerState } from "../../algorithms/index.js";
import { FedquantError } from "../../errors.js";
import { federatedLoss, type Dataset } from "../../models/index.js";
import { minibatchOracle } from "../simulator-oracle.js";
import type { ParticipantDriver, ParticipantFactory, RepeatRound, RoundDriver, RoundOutcome, RoundPlan } from "./driver.js";
import { buildClientProblem, buildProblem, type ClientProblem, type DigitsLoader, type ModelBuilder, type Problem } from "./problem.js";
import { checkSession, type Session } from "./session.js";

export interface AlgorithmDriverOptions {
  loadDigits?: DigitsLoader;
  /** the models of "mnist-model" problems (e.g. the demo's TF.js CNN) */
  buildModel?: ModelBuilder;
  /** Compute F(w) over every shard after each round (default true; the server holds the data in experiments). */
  evaluate?: boolean;
  /**
   * A drawn client that did not answer (deadline passed, disconnected, dropped):
   * - "skip" (default): the round closes with the others, the absent ones are treated as not
   *   drawn (`receive(k, uplinks, { allowAbsent: true })`) and catch up when they come back;
   * - "repeat": the server goes back to before broadcast(k) and the round runs again when a
   *   client (re)joins — the trajectory stays the simulator's, but a client that never comes
   *   back stalls the session.
   */
  absent?: "skip" | "repeat";
  /**
   * Resume: the algorithm's server from this checkpoint (`server.toJSON()` taken after a round
   * closed) instead of a fresh one at w0. It must be of this session (algorithm, config, seed,
   * dimension, clients), else E_STATE.
   */
  restore?: ServerState;
  /**
   * Value validation (docs/network.md "What is validated"): an uplink whose decoded vector has a
   * norm above maxNormRatio × the median norm of the recent accepted uplinks and of this round's
   * is refused and its sender dropped (default 1000; 0: off). The bound needs 3 reference norms:
   * with fewer (the first round with fewer than 3 clients) only finiteness is checked.
   */
  maxNormRatio?: number;
}

/** Accepted uplink norms kept as the reference of the median (the most recent ones). */
const NORM_WINDOW = 64;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface AlgorithmRoundDriver extends RoundDriver {
  readonly session: (client: number) => unknown;
  readonly problem: Problem;
  readonly checked: Session;
  /** the live server state machine (replaced when a round is rolled back, absent: "repeat") */
  readonly server: AlgorithmServer;
  /** F(w_0), before any round */
  readonly initialLoss: number | undefined;
}

/** The information bits of one envelope (what the simulator counts as payloadBits). */
export function envelopePayloadBits(bytes: Uint8Array): number { return envelopeBits(bytes).payloadBits; }

export async function createAlgorithmRoundDriver(sessionJson: unknown, opts: AlgorithmDriverOptions = {}): Promise<AlgorithmRoundDriver> {
  const checked = checkSession(sessionJson);
  const { algorithm: algo, seed } = checked;
  const problem = await buildProblem(checked.spec.problem, opts.loadDigits, opts.buildModel);
  const clients = problem.shards.length;
  const w0 = problem.w0 ? Float64Array.from(problem.w0) : new Float64Array(problem.dim);
  let server = algo.createServer({ w0, clients, seed });
  let beforeOpen: ServerState | undefined;
  const evaluate = opts.evaluate ?? true;
  const absent = opts.absent ?? "skip";
  if (absent !== "skip" && absent !== "repeat") throw new FedquantError("E_CONFIG", `absent must be "skip" or "repeat", got ${JSON.stringify(absent)}`);
  const loss = (): number => federatedLoss(problem.objective, server.model, problem.shards);
  const upDecoder = algo.up;
  const maxNormRatio = opts.maxNormRatio ?? 1000;
  if (!(Number.isFinite(maxNormRatio) && maxNormRatio >= 0)) throw new FedquantError("E_CONFIG", `maxNormRatio must be a number ≥ 0, got ${maxNormRatio}`);
  /** norms of this round's checked uplinks, and of recently accepted ones */
  let roundNorms = new Map<number, number>();
  const recentNorms: number[] = [];
  const initialLoss = evaluate ? loss() : undefined;
  if (opts.restore !== undefined) server = restoreServerOf(opts.restore, algo, seed, problem.dim, clients);

  return {
    rounds: checked.spec.rounds,
    problem,
    checked,
    get server() { return server; },
    initialLoss,
    session: () => checked.spec,
    open(round): RoundPlan {
      // "repeat": the whole server state before broadcast, to return to if the round cannot complete
      if (absent === "repeat") beforeOpen = server.toJSON();
      roundNorms = new Map();
      return { downlinks: server.broadcast(round) };
    },
    check(round, client, uplink) {
      // the checks receive() will make, one uplink at a time and without touching the server
      const env = readEnvelope(uplink, { direction: "up", algorithm: algo.id, client, round });
      if (env.sections.length !== 1 || env.sections[0]!.round !== round || env.sections[0]!.slot !== 0) {
        throw new FedquantError("E_PROTOCOL", `the uplink of client ${client} must hold one vector of round ${round}, it holds ${env.sections.length} section(s)`);
      }
      const v = upDecoder.decode(env.sections[0]!.bytes, problem.dim, uplinkStream(seed, round, client));
      let sq = 0;
      for (let j = 0; j < v.length; j++) sq += v[j]! * v[j]!;
      const norm = Math.sqrt(sq);
      if (!Number.isFinite(norm)) throw new FedquantError("E_INPUT", `the uplink of client ${client} for round ${round} holds non-finite values`);
      // a cache of what check() computed, read by screen(); the algorithm's state is untouched
      roundNorms.set(client, norm);
    },
    screen(round, uplinks) {
      const out = new Map<number, string>();
      if (maxNormRatio === 0) return out;
      const here = [...uplinks.keys()].map((id) => roundNorms.get(id)).filter((x): x is number => x !== undefined);
      const ref = [...recentNorms, ...here];
      if (ref.length < 3) return out;
      const med = median(ref);
      if (!(med > 0)) return out; // all-zero uplinks: no scale to compare with
      for (const id of uplinks.keys()) {
        const n = roundNorms.get(id);
        if (n !== undefined && n > maxNormRatio * med) {
          out.set(id, `its norm ${n.toPrecision(3)} exceeds ${maxNormRatio} × the median uplink norm ${med.toPrecision(3)} (maxNormRatio)`);
        }
      }
      return out;
    },
    close(round, uplinks): RoundOutcome | RepeatRound {
      const drawn = server.pending ?? [];
      const missing = drawn.filter((id) => !uplinks.has(id));
      if (missing.length > 0 && absent === "repeat") {
        server = algo.restoreServer(beforeOpen!);
        return { repeat: `${algo.name} runs round ${round} again: no uplink from client(s) ${missing.join(", ")} (absent: "repeat")` };
      }
      // the missing clients are treated as not drawn (their memories and catch-up position stay);
      // the Participant rewinds a step whose uplink the server did not use, so both sides agree
      server.receive(round, uplinks, { allowAbsent: true });
      for (const id of uplinks.keys()) {
        const n = roundNorms.get(id);
        if (n !== undefined) { recentNorms.push(n); if (recentNorms.length > NORM_WINDOW) recentNorms.shift(); }
      }
      // the last line of defence: never go on from a non-finite model (stop; resume from the
      // checkpoint of the round before, which is intact)
      if (!server.model.every(Number.isFinite)) {
        throw new FedquantError("E_STATE", `round ${round}'s aggregate made the model non-finite; the session stops (resume from the previous checkpoint)`);
      }
      const counts = { participants: uplinks.size, absent: missing.length };
      return evaluate ? { loss: loss(), ...counts } : counts;
    },
    bits: envelopePayloadBits,
    summary: () => ({ algorithm: algo.name, rounds: server.round, loss: evaluate ? loss() : null }),
  };
}

function restoreServerOf(state: ServerState, algo: Session["algorithm"], seed: bigint, dim: number, clients: number): AlgorithmServer {
  if (state === null || typeof state !== "object" || Array.isArray(state)) throw new FedquantError("E_STATE", "the server checkpoint must be an object (server.toJSON())");
  if (state.seed !== seed.toString()) throw new FedquantError("E_STATE", `the server checkpoint has seed ${JSON.stringify(state.seed)}, the session ${seed}`);
  if (state.dim !== dim) throw new FedquantError("E_STATE", `the server checkpoint has dimension ${JSON.stringify(state.dim)}, the session's problem ${dim}`);
  if (!Array.isArray(state.clients) || state.clients.length !== clients || state.clients.some((c, i) => c !== i)) {
    throw new FedquantError("E_STATE", `the server checkpoint's clients ${JSON.stringify(state.clients)} are not the session's 0 … ${clients - 1}`);
  }
  if (state.pending !== null) throw new FedquantError("E_STATE", `the server checkpoint was taken inside round ${state.round} (after broadcast, before receive); resume needs one taken between rounds`);
  try {
    return algo.restoreServer(state);
  } catch (e) {
    if (e instanceof FedquantError) throw e;
    throw new FedquantError("E_STATE", `the server checkpoint is damaged: ${(e as Error).message}`, { cause: e });
  }
}

/** Builds each joining client's state machine from the session the server sent. */
export interface ParticipantFactoryOptions {
  loadDigits?: DigitsLoader;
  /**
   * The most bytes this client allocates for its data shard (default DEFAULT_MAX_SHARD_BYTES,
   * 128 MiB): a session from a hostile server that needs more is refused (E_CONFIG) before
   * anything is allocated.
   */
  maxShardBytes?: number;
  /** builds an injected model ("mnist-model" problems, e.g. the demo's TF.js CNN) */
  buildModel?: ModelBuilder;
  /** Called after each step with the client's state machine and problem (e.g. to show its local loss). */
  observe?: (info: { round: number; client: AlgorithmClient; problem: ObservedProblem }) => void;
}

/**
 * The client's problem as observers see it. `shards` is a sparse array holding only this
 * client's shard (at its index), for observers written when a client built every shard.
 */
export type ObservedProblem = ClientProblem & { readonly shards: readonly Dataset[] };

export function algorithmParticipantFactory(opts: ParticipantFactoryOptions = {}): ParticipantFactory {
  return async (sessionJson, client): Promise<ParticipantDriver> => {
    const { algorithm: algo, seed, batchSize, spec } = checkSession(sessionJson);
    // only this client's shard: never the others' (a client of 1000 × 100k rows holds 100k)
    const problem = await buildClientProblem(spec.problem, client, { loadDigits: opts.loadDigits, maxShardBytes: opts.maxShardBytes, buildModel: opts.buildModel });
    const observed: ObservedProblem = { ...problem, shards: Object.assign(new Array<Dataset>(problem.spec.clients), { [client]: problem.shard }) };
    const oracle = minibatchOracle(problem.objective, problem.shard, seed, batchSize);
    let me: AlgorithmClient = algo.createClient({ id: client, w0: problem.w0 ? Float64Array.from(problem.w0) : new Float64Array(problem.dim), seed });
    return {
      step: (round, downlink) => {
        const up = me.step(round, downlink, oracle);
        opts.observe?.({ round, client: me, problem: observed });
        return up;
      },
      snapshot: () => me.toJSON(),
      restore: (s) => { me = algo.restoreClient(s as ClientState); },
      bits: envelopePayloadBits,
    };
  };
}
