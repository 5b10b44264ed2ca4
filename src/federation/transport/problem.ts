// The federated problems a networked session can name in its JSON (so a joining client can
// rebuild its own shard from the session alone): the Artemis heterogeneous logistic toy and
// MNIST digits split by label (softmax regression, or a CNN whose objective is injected: TF.js
// stays out of this layer). Browser-safe: the MNIST digits come from an injected loader (Node:
// data/mnist-node.ts; the demo: a compact asset of the same digits).
import { FedquantError } from "../../errors.js";
import { RandomStream } from "../../random/index.js";
import { prependBias, splitByLabel, syntheticHeterogeneousLogistic } from "../../data/browser.js";
import { logistic, softmax, type Dataset, type Objective } from "../../models/index.js";

export type ProblemSpec =
  | {
    /** Philippenko & Dieuleveut 2020's synthetic heterogeneous logistic regression, d = 2 */
    kind: "logistic";
    clients: number;
    perClient?: number;
    seed: number;
    ridge?: number;
  }
  | {
    /** MNIST digits (the `mnist` package), softmax regression with a bias, split by label */
    kind: "mnist";
    clients: number;
    /** how many digits in all (default 2000) */
    count?: number;
    /** distinct labels per client: the non-i.i.d.-ness (default 2) */
    labelsPerClient?: number;
    seed: number;
    ridge?: number;
  }
  | {
    /**
     * The same digits and label split as "mnist", raw pixels (no bias column), trained by a
     * model the caller injects (a ModelBuilder, e.g. a TF.js CNN through fedquant/tfjs).
     */
    kind: "mnist-model";
    clients: number;
    count?: number;
    labelsPerClient?: number;
    seed: number;
    /** the builder's name for its model (e.g. "cnn"); every party must know it */
    model: string;
  };

/**
 * An injected model: its objective over rows of 784 raw pixels with labels 0..9, and its initial
 * weights (every party must build the same w0 from the name and the seed).
 */
export type ModelBuilder = (model: string, seed: number) => Promise<{ objective: Objective; w0: Float64Array }>;

export interface Problem {
  readonly spec: ProblemSpec;
  readonly objective: Objective;
  /** shards[i] is client i's data */
  readonly shards: Dataset[];
  readonly dim: number;
  /** the initial model (default: zeros) */
  readonly w0?: Float64Array;
}

/** The first `count` digits in the seeded order of data/mnist-node.ts's mnistDigits. */
export type DigitsLoader = (count: number, seed: number) => Dataset | Promise<Dataset>;

/** Stream tag for the label split, clear of data/streams.ts's generator tags (0x10 … 0x60). */
const SPLIT_TAG = 0x100;

function int(what: string, v: unknown, min: number, max: number, dflt?: number): number {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new FedquantError("E_CONFIG", `problem.${what} must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return v;
}

function ridgeOf(v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new FedquantError("E_CONFIG", `problem.ridge must be a number ≥ 0, got ${JSON.stringify(v)}`);
  return v;
}

/** Check an untrusted problem description and fill in its defaults. */
export function checkProblemSpec(x: unknown): ProblemSpec {
  if (x === null || typeof x !== "object") throw new FedquantError("E_CONFIG", `problem must be an object, got ${JSON.stringify(x)}`);
  const o = x as Record<string, unknown>;
  const clients = int("clients", o.clients, 1, 1000);
  const seed = int("seed", o.seed, 0, Number.MAX_SAFE_INTEGER);
  const ridge = ridgeOf(o.ridge);
  if (o.kind === "logistic") return { kind: "logistic", clients, seed, ridge, perClient: int("perClient", o.perClient, 1, 100_000, 200) };
  if (o.kind === "mnist" || o.kind === "mnist-model") {
    const count = int("count", o.count, 10, 10_000, 2000);
    const labelsPerClient = int("labelsPerClient", o.labelsPerClient, 1, 10, 2);
    if (count < clients) throw new FedquantError("E_CONFIG", `problem.count (${count}) must be at least the number of clients (${clients})`);
    if (o.kind === "mnist") return { kind: "mnist", clients, seed, ridge, count, labelsPerClient };
    if (typeof o.model !== "string" || !/^[a-z0-9-]{1,32}$/.test(o.model)) throw new FedquantError("E_CONFIG", `problem.model must be a model name such as "cnn", got ${JSON.stringify(o.model)}`);
    return { kind: "mnist-model", clients, seed, count, labelsPerClient, model: o.model };
  }
  throw new FedquantError("E_CONFIG", `problem.kind must be "logistic", "mnist" or "mnist-model", got ${JSON.stringify(o.kind)}`);
}

export async function buildProblem(spec: unknown, loadDigits?: DigitsLoader, buildModel?: ModelBuilder): Promise<Problem> {
  const s = checkProblemSpec(spec);
  if (s.kind === "logistic") {
    const { workers } = syntheticHeterogeneousLogistic({ workers: s.clients, perWorker: s.perClient, seed: s.seed });
    return { spec: s, objective: logistic({ p: 2, ridge: s.ridge }), shards: workers, dim: 2 };
  }
  if (!loadDigits) throw new FedquantError("E_CONFIG", "an MNIST problem needs a digits loader (mnistDigits in Node, the demo's asset in browsers)");
  if (s.kind === "mnist-model") {
    if (!buildModel) throw new FedquantError("E_CONFIG", `problem.model "${s.model}" needs a model builder (the browser demo has "cnn", through fedquant/tfjs)`);
    const digits = await loadDigits(s.count!, s.seed);
    const shards = splitByLabel(digits, s.clients, s.labelsPerClient!, RandomStream.of(s.seed, "data", SPLIT_TAG, 0));
    for (const [i, d] of shards.entries()) {
      if (d.n === 0) throw new FedquantError("E_CONFIG", `MNIST client ${i} got no digits: use fewer clients or more digits`);
    }
    const { objective, w0 } = await buildModel(s.model, s.seed);
    if (w0.length !== objective.dim) throw new FedquantError("E_DIM", `model "${s.model}": w0 has ${w0.length} weights, its objective ${objective.dim}`);
    return { spec: s, objective, shards, dim: objective.dim, w0 };
  }
  // the digits' order is seeded by the problem seed; the label split draws from its own stream
  const digits = prependBias(await loadDigits(s.count!, s.seed));
  const shards = splitByLabel(digits, s.clients, s.labelsPerClient!, RandomStream.of(s.seed, "data", SPLIT_TAG, 0));
  for (const [i, d] of shards.entries()) {
    if (d.n === 0) throw new FedquantError("E_CONFIG", `MNIST client ${i} got no digits: use fewer clients or more digits`);
  }
  const objective = softmax({ p: digits.p, classes: 10, ridge: s.ridge });
  return { spec: s, objective, shards, dim: objective.dim };
}
