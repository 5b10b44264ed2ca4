// The common shape of every Markov chain fedquant runs (federated QLSD family, centralised SGLD,
// MALA): a state machine advanced one step at a time whose whole state can be saved and restored,
// so a run can be checkpointed and resumed with the same random streams (spec/langevin.md "Output").
import { FedquantError } from "../errors.js";
import type { AsyncRoundClientsFactory, RoundClientsFactory } from "./simulate.js";

/** Exact bit counts from the encoded envelopes (spec/compressors.md: never estimated on the side). */
export interface BitTotals {
  /** Σ payload bits of every uplink (the compressors' information bits: what the papers count) */
  upPayload: number;
  /** Σ total bits of every uplink envelope (headers included) */
  upTotal: number;
  /** Σ bits of every downlink envelope */
  down: number;
  /** number of uplink messages */
  messages: number;
}

/** A saved state: plain JSON values and Float64Arrays (state-codec.ts writes it as bytes). */
export type StateValue = number | string | boolean | null | Float64Array | StateValue[] | { [k: string]: StateValue | undefined };
export type ChainState = { [k: string]: StateValue | undefined };

export interface Chain {
  readonly name: string;
  readonly dim: number;
  /** steps done so far; theta is θ_round */
  readonly round: number;
  /** the current state θ_round (a live view: copy it to keep it) */
  readonly theta: Float64Array;
  /** exact uplink / downlink bit totals so far (zeros for non-federated chains) */
  readonly bits: Readonly<BitTotals>;
  /** one step: θ_round → θ_round+1 */
  step(): void;
  save(): ChainState;
  load(state: ChainState): void;
  /** Stop the worker threads of a chain made with `parallel` (idle threads never keep a process alive). */
  close?(): void;
  /**
   * step(), awaited: the only way to step a chain whose clients are on Web Workers
   * (`parallel: webSamplerWorkers(n)`), on which step() is refused; same trajectory bit for bit.
   * Federated samplers have it; sampleChainAsync uses it where present.
   */
  stepAsync?(): Promise<void>;
  /** save(), awaited (the clients' states come back from their workers) */
  saveAsync?(): Promise<ChainState>;
  /** load(), awaited */
  loadAsync?(state: ChainState): Promise<void>;
}

/** A federated sampler's chain: the awaited methods are always there (required for Web-Worker clients). */
export interface FederatedChain extends Chain {
  stepAsync(): Promise<void>;
  saveAsync(): Promise<ChainState>;
  loadAsync(state: ChainState): Promise<void>;
  close(): void;
}

export interface InitOptions {
  /** the run's seed; chain c draws from chainSeed(seed, c) */
  seed: number | bigint;
  /** chain index (several independent chains of one run), default 0 */
  chain?: number;
  /** θ_0 (default: the zero vector) */
  theta0?: Float64Array;
  /**
   * Federated samplers: run the clients' moves elsewhere, bit for bit as here: samplerThreads(n)
   * (Node worker threads, step() stays synchronous) or webSamplerWorkers(n) (Web Workers: step
   * with `await chain.stepAsync()` or sampleChainAsync). Centralised chains ignore it.
   */
  parallel?: RoundClientsFactory | AsyncRoundClientsFactory;
}

/** A sampler built from a model and hyper-parameters (BlackJAX's SamplingAlgorithm): init gives a chain. */
export interface SamplingAlgorithm<C extends Chain = Chain> {
  readonly name: string;
  readonly dim: number;
  init(options: InitOptions): C;
}

export const NO_BITS: Readonly<BitTotals> = Object.freeze({ upPayload: 0, upTotal: 0, down: 0, messages: 0 });

export interface Sample {
  /** 0-based index among the kept samples */
  index: number;
  /** the step k of θ_k */
  round: number;
  /** θ_k (a copy) */
  theta: Float64Array;
  bits: Readonly<BitTotals>;
}

export interface SampleOptions {
  /** kept samples to yield */
  samples: number;
  /** steps discarded first (θ_1 … θ_burnIn), default 0 */
  burnIn?: number;
  /** keep every thin-th step after burn-in, default 1 */
  thin?: number;
}

/** Whether θ_k is kept (burn-in then thinning; θ_0, the start, never is). */
export function isKept(round: number, burnIn: number, thin: number): boolean {
  return round > burnIn && (round - burnIn) % thin === 0;
}

/** The step of the n-th kept sample (0-based). */
export function roundOfSample(n: number, burnIn: number, thin: number): number { return burnIn + (n + 1) * thin; }

export function checkSampleOptions(o: SampleOptions): Required<SampleOptions> {
  const burnIn = o.burnIn ?? 0, thin = o.thin ?? 1;
  for (const [what, v, min] of [["samples", o.samples, 1], ["burnIn", burnIn, 0], ["thin", thin, 1]] as const) {
    if (!(typeof v === "number" && Number.isInteger(v) && v >= min)) throw new FedquantError("E_CONFIG", `sampleChain: ${what} must be an integer ≥ ${min}, got ${String(v)}`);
  }
  return { samples: o.samples, burnIn, thin };
}

/**
 * Samples after burn-in, thinned, as a generator (TFP's sample_chain, one sample at a time):
 *   for (const s of sampleChain(chain, { samples: 1000, burnIn: 200, thin: 2 })) use(s.theta)
 * The chain continues from where it is (a resumed chain yields the rest of its run).
 */
export function* sampleChain(chain: Chain, options: SampleOptions): Generator<Sample, void, undefined> {
  const s = samplePlan(chain, options);
  while (chain.round < s.last) {
    chain.step();
    const kept = s.take();
    if (kept) yield kept;
  }
}

/**
 * sampleChain, each step awaited (chain.stepAsync where the chain has it): the generator for a
 * chain whose clients are on Web Workers —
 *   for await (const s of sampleChainAsync(chain, { samples: 100 })) use(s.theta)
 */
export async function* sampleChainAsync(chain: Chain, options: SampleOptions): AsyncGenerator<Sample, void, undefined> {
  const s = samplePlan(chain, options);
  while (chain.round < s.last) {
    if (chain.stepAsync) await chain.stepAsync(); else chain.step();
    const kept = s.take();
    if (kept) yield kept;
  }
}

/** The last step to run and, after each step, the sample it gives (if kept): both generators' logic. */
function samplePlan(chain: Chain, options: SampleOptions): { last: number; take(): Sample | undefined } {
  const { samples, burnIn, thin } = checkSampleOptions(options);
  let index = chain.round <= burnIn ? 0 : Math.floor((chain.round - burnIn) / thin);
  return {
    last: roundOfSample(samples - 1, burnIn, thin),
    take: () => (isKept(chain.round, burnIn, thin) ? { index: index++, round: chain.round, theta: Float64Array.from(chain.theta), bits: { ...chain.bits } } : undefined),
  };
}
