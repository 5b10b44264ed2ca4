// The federated problems a networked session can name in its JSON (so a joining client can
// rebuild its own shard from the session alone): the Artemis heterogeneous logistic toy and
// MNIST digits split by label (softmax regression, or a CNN whose objective is injected: TF.js
// stays out of this layer). Browser-safe: the MNIST digits come from an injected loader (Node:
// data/mnist-node.ts; the demo: a compact asset of the same digits). The server builds every
// shard (it evaluates F(w)); a client builds only its own (buildClientProblem), after checking
// what that will allocate against its own limit.
import { FedquantError } from "../../errors.js";
import { RandomStream } from "../../random/index.js";
import { heterogeneousLogisticWorker, materialize, prependBias, splitByLabel, splitByLabelRows, syntheticHeterogeneousLogistic } from "../../data/browser.js";
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

/**
 * The first `count` digits in the seeded order of data/mnist-node.ts's mnistDigits. A loader may
 * also offer `select`: the labels of those digits alone and a loader of given rows of them
 * (mnistSelection), so a joining client splits by label first and copies only its own rows.
 */
export type DigitsLoader = ((count: number, seed: number) => Dataset | Promise<Dataset>) & {
  select?: (count: number, seed: number) => DigitsSelection | Promise<DigitsSelection>;
};
export interface DigitsSelection {
  /** labels[k]: the label of digit k */
  labels: Float64Array;
  /** digits indices[0], indices[1], … (784 pixels each), in that order */
  rows(indices: readonly number[]): Dataset | Promise<Dataset>;
}

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

/** A client's view of the problem: its own shard only. */
export interface ClientProblem {
  readonly spec: ProblemSpec;
  readonly objective: Objective;
  readonly client: number;
  readonly shard: Dataset;
  readonly dim: number;
  /** the initial model (default: zeros) */
  readonly w0?: Float64Array;
}

/** What a client allocates for its data by default at most (the validated maxima need 2.4 MB / 126 MB). */
export const DEFAULT_MAX_SHARD_BYTES = 128 * 2 ** 20;

/**
 * An upper bound on the bytes a client allocates to build its shard under `spec`, known before
 * any allocation: logistic, its rows (2 features + label, float64); MNIST, the `count` digits the
 * loader returns (784 pixels + label) plus its own rows with the bias column — at most all of
 * them (one label can be all a client holds, and label sizes are the data's, not the spec's).
 */
export function clientShardBytes(s: ProblemSpec, selective = false): number {
  if (s.kind === "logistic") return s.perClient! * 3 * 8;
  // with a selective loader: the labels now; the rows are checked once the split has named them
  return selective ? s.count! * 8 : s.count! * (785 + 786) * 8;
}

/** What a client's own MNIST rows cost: copied from the loader (784 + label), then with the bias column (mnist only). */
const rowsBytes = (s: ProblemSpec, n: number): number => n * (s.kind === "mnist" ? 785 + 786 : 785) * 8;

/**
 * Client `client`'s shard alone, bit for bit the `shards[client]` of buildProblem: the logistic
 * toy draws each worker from its own streams (heterogeneousLogisticWorker); MNIST splits the
 * digits by label from their labels (splitByLabelRows) and copies only this client's rows. The
 * spec comes from the server (untrusted): it is checked, and the allocation it implies compared
 * with `maxShardBytes` before anything is allocated.
 */
export async function buildClientProblem(spec: unknown, client: number, opts: { loadDigits?: DigitsLoader; maxShardBytes?: number; buildModel?: ModelBuilder } = {}): Promise<ClientProblem> {
  const s = checkProblemSpec(spec);
  if (!(Number.isInteger(client) && client >= 0 && client < s.clients)) {
    throw new FedquantError("E_PROTOCOL", `the server calls this client ${client}, but its problem has ${s.clients} clients`);
  }
  const max = opts.maxShardBytes ?? DEFAULT_MAX_SHARD_BYTES;
  const select = s.kind === "logistic" ? undefined : opts.loadDigits?.select;
  const need = clientShardBytes(s, select !== undefined);
  if (need > max) {
    throw new FedquantError("E_CONFIG", `the server's problem needs ${need} bytes for this client's data, above this client's limit of ${max} bytes (maxShardBytes)`);
  }
  if (s.kind === "logistic") {
    const shard = heterogeneousLogisticWorker(s.seed, client, s.perClient!);
    return { spec: s, objective: logistic({ p: 2, ridge: s.ridge }), client, shard, dim: 2 };
  }
  if (!opts.loadDigits) throw new FedquantError("E_CONFIG", "an MNIST problem needs a digits loader (mnistDigits in Node, the demo's asset in browsers)");
  if (s.kind === "mnist-model" && !opts.buildModel) throw new FedquantError("E_CONFIG", `problem.model "${s.model}" needs a model builder (the browser demo has "cnn", through fedquant/tfjs)`);
  const split = RandomStream.of(s.seed, "data", SPLIT_TAG, 0);
  let rows: number[], own: () => Dataset | Promise<Dataset>;
  if (select) {
    // labels first (8 bytes a digit), then only this client's rows, their cost known exactly before they are copied
    const sel = await select(s.count!, s.seed);
    if (sel.labels.length !== s.count) throw new FedquantError("E_DATA", `the digits loader returned ${sel.labels.length} labels, expected ${s.count}`);
    rows = splitByLabelRows({ n: s.count!, y: sel.labels }, s.clients, s.labelsPerClient!, split)[client]!;
    if (need + rowsBytes(s, rows.length) > max) {
      throw new FedquantError("E_CONFIG", `the server's problem gives this client ${rows.length} digits, ${need + rowsBytes(s, rows.length)} bytes with their labels, above this client's limit of ${max} bytes (maxShardBytes)`);
    }
    own = async () => {
      const d = await sel.rows(rows);
      if (d.n !== rows.length || d.p !== 784) throw new FedquantError("E_DATA", `the digits loader returned ${d.n} × ${d.p} digits, expected ${rows.length} × 784`);
      return d;
    };
  } else {
    const digits = await opts.loadDigits(s.count!, s.seed);
    if (digits.n !== s.count || digits.p !== 784) throw new FedquantError("E_DATA", `the digits loader returned ${digits.n} × ${digits.p} digits, expected ${s.count} × 784`);
    // the same split as buildProblem's (it reads labels only, so the bias column does not matter)
    rows = splitByLabelRows(digits, s.clients, s.labelsPerClient!, split)[client]!;
    own = () => materialize(digits, [rows])[0]!;
  }
  if (rows.length === 0) throw new FedquantError("E_CONFIG", `MNIST client ${client} got no digits: use fewer clients or more digits`);
  if (s.kind === "mnist-model") {
    // raw pixels, as buildProblem's mnist-model shards
    const shard = await own();
    const { objective, w0 } = await opts.buildModel!(s.model, s.seed);
    if (w0.length !== objective.dim) throw new FedquantError("E_DIM", `model "${s.model}": w0 has ${w0.length} weights, its objective ${objective.dim}`);
    return { spec: s, objective, client, shard, dim: objective.dim, w0 };
  }
  const shard = prependBias(await own());
  const objective = softmax({ p: shard.p, classes: 10, ridge: s.ridge });
  return { spec: s, objective, client, shard, dim: objective.dim };
}
