// Splitting one dataset among workers: i.i.d. chunks and the published non-i.i.d. assignment
// (data/README steps 4–5), Dirichlet label skew (Hsu et al. 2019, "Measuring the effects of
// non-identical data distribution"), and k-labels-per-client (McMahan et al. 2017, non-IID MNIST).
import { FedquantError } from "../errors.js";
import type { RandomStream } from "../random/index.js";
import type { Dataset } from "../models/types.js";
import { selectRows } from "./dataset.js";
import { Draws } from "./draws.js";

function checkWorkers(what: string, workers: number): void {
  if (!(Number.isInteger(workers) && workers >= 1)) throw new FedquantError("E_CONFIG", `${what}: workers must be an integer ≥ 1, got ${workers}`);
}

/** Row-index lists → datasets. */
export function materialize(data: Dataset, rowLists: readonly ArrayLike<number>[]): Dataset[] {
  return rowLists.map((rows) => selectRows(data, rows));
}

/** Rows in file order cut into `workers` contiguous chunks of ⌊n/W⌋ rows, remainder dropped (data/README). */
export function iidRows(n: number, workers: number): number[][] {
  checkWorkers("splitIid", workers);
  const m = Math.floor(n / workers);
  if (m === 0) throw new FedquantError("E_DATA", `splitIid: ${n} rows cannot give ${workers} non-empty chunks`);
  return Array.from({ length: workers }, (_, i) => Array.from({ length: m }, (_, k) => i * m + k));
}

export function splitIid(data: Dataset, workers: number): Dataset[] {
  return materialize(data, iidRows(data.n, workers));
}

/** Row r goes to worker workerOfRow[r]; file order is kept inside each worker (data/README step 4). */
export function rowsByWorker(workerOfRow: ArrayLike<number>, workers: number, n = workerOfRow.length): number[][] {
  checkWorkers("splitByWorkerOfRow", workers);
  if (workerOfRow.length !== n) throw new FedquantError("E_DATA", `splitByWorkerOfRow: workerOfRow has ${workerOfRow.length} entries for ${n} rows`);
  const lists: number[][] = Array.from({ length: workers }, () => []);
  for (let r = 0; r < n; r++) {
    const w = workerOfRow[r]!;
    if (!(Number.isInteger(w) && w >= 0 && w < workers)) throw new FedquantError("E_DATA", `splitByWorkerOfRow: row ${r} is assigned to worker ${w}, expected 0..${workers - 1}`);
    lists[w]!.push(r);
  }
  return lists;
}

export function splitByWorkerOfRow(data: Dataset, workerOfRow: ArrayLike<number>, workers: number): Dataset[] {
  return materialize(data, rowsByWorker(workerOfRow, workers, data.n));
}

/**
 * data/README step 5, on row lists (mutated and returned): while 10·(smallest) < (largest), move
 * the first ⌊largest/2⌋ rows of the largest worker to the end of the smallest one. Ties go to the
 * lowest worker index (the first argmin / argmax).
 */
export function rebalanceRows<T>(lists: T[][]): T[][] {
  const W = lists.length;
  for (let step = 0; ; step++) {
    let lo = 0, hi = 0;
    for (let i = 1; i < W; i++) {
      if (lists[i]!.length < lists[lo]!.length) lo = i;
      if (lists[i]!.length > lists[hi]!.length) hi = i;
    }
    const small = lists[lo]!.length, large = lists[hi]!.length;
    if (10 * small >= large) return lists;
    const k = Math.floor(large / 2);
    // k = 0 means large = 1 and small = 0: the rule can never be met; a long run means a cycle
    if (k === 0 || step > 100 * W) throw new FedquantError("E_DATA", `rebalance: cannot reach 10·min ≥ max (sizes ${lists.map((l) => l.length).join(", ")})`);
    const moved = lists[hi]!.splice(0, k);
    for (const x of moved) lists[lo]!.push(x);
  }
}

/** rebalanceRows applied to datasets (inputs untouched; rows keep their order). */
export function rebalance(workers: readonly Dataset[]): Dataset[] {
  if (workers.length === 0) return [];
  const p = workers[0]!.p;
  const lists: [number, number][][] = workers.map((d, i) => {
    if (d.p !== p) throw new FedquantError("E_DIM", `rebalance: workers have p = ${p} and p = ${d.p}`);
    return Array.from({ length: d.n }, (_, r): [number, number] => [i, r]);
  });
  return rebalanceRows(lists).map((rows) => {
    const X = new Float64Array(rows.length * p), y = new Float64Array(rows.length);
    rows.forEach(([i, r], k) => {
      const d = workers[i]!;
      X.set(d.X.subarray(r * p, r * p + p), k * p);
      y[k] = d.y[r]!;
    });
    return { n: rows.length, p, X, y };
  });
}

/** Rows grouped by label value, groups in increasing label order, rows in file order. */
function rowsByLabel(data: Pick<Dataset, "n" | "y">): { labels: number[]; groups: number[][] } {
  const map = new Map<number, number[]>();
  for (let r = 0; r < data.n; r++) {
    const v = data.y[r]!;
    let g = map.get(v);
    if (g === undefined) { g = []; map.set(v, g); }
    g.push(r);
  }
  const labels = [...map.keys()].sort((a, b) => a - b);
  return { labels, groups: labels.map((l) => map.get(l)!) };
}

/**
 * Label-skewed split: for every label value, proportions q ~ Dirichlet(concentration · 1_W) over
 * the workers; that label's rows, shuffled, are cut at the cumulative proportions. Small
 * concentration → each worker sees few labels (workers may even be empty); large → near i.i.d.
 * Rows keep file order inside a worker.
 */
export function dirichletLabelSplit(data: Dataset, workers: number, concentration: number, stream: RandomStream): Dataset[] {
  checkWorkers("dirichletLabelSplit", workers);
  if (!(concentration > 0 && Number.isFinite(concentration))) throw new FedquantError("E_CONFIG", `dirichletLabelSplit: concentration must be > 0, got ${concentration}`);
  const draws = new Draws(stream);
  const lists: number[][] = Array.from({ length: workers }, () => []);
  for (const group of rowsByLabel(data).groups) {
    const q = draws.dirichlet(workers, concentration);
    const perm = stream.permutation(group.length);
    let start = 0, cum = 0;
    for (let w = 0; w < workers; w++) {
      cum += q[w]!;
      const end = w === workers - 1 ? group.length : Math.min(group.length, Math.round(cum * group.length));
      for (let k = start; k < end; k++) lists[w]!.push(group[perm[k]!]!);
      start = Math.max(start, end);
    }
  }
  for (const l of lists) l.sort((a, b) => a - b);
  return materialize(data, lists);
}

/**
 * Each client holds exactly `labelsPerClient` distinct labels (needs labelsPerClient ≤ number of
 * labels). Slot s = i·k + j of client i gets label π(s mod C) for a random permutation π, so
 * consecutive slots of a client are distinct labels and every label has ⌊clients·k/C⌋ or one more
 * holders; each label's rows, shuffled, are shared out evenly among its holders. Rows keep file
 * order inside a client.
 */
export function splitByLabel(data: Dataset, clients: number, labelsPerClient: number, stream: RandomStream): Dataset[] {
  return materialize(data, splitByLabelRows(data, clients, labelsPerClient, stream));
}

/** splitByLabel's row lists (ascending row indices per client), without copying any row. */
export function splitByLabelRows(data: Pick<Dataset, "n" | "y">, clients: number, labelsPerClient: number, stream: RandomStream): number[][] {
  checkWorkers("splitByLabel", clients);
  const { groups } = rowsByLabel(data);
  const C = groups.length, k = labelsPerClient;
  if (!(Number.isInteger(k) && k >= 1 && k <= C)) throw new FedquantError("E_CONFIG", `splitByLabel: labelsPerClient must be in 1..${C} (the number of labels), got ${k}`);
  const pi = stream.permutation(C);
  const holders: number[][] = Array.from({ length: C }, () => []);
  for (let i = 0; i < clients; i++) for (let j = 0; j < k; j++) holders[pi[(i * k + j) % C]!]!.push(i);
  const lists: number[][] = Array.from({ length: clients }, () => []);
  for (let c = 0; c < C; c++) {
    const h = holders[c]!, group = groups[c]!;
    if (h.length === 0) continue; // more labels than slots: this label is not used
    const perm = stream.permutation(group.length);
    for (let t = 0; t < h.length; t++) {
      const from = Math.floor((t * group.length) / h.length), to = Math.floor(((t + 1) * group.length) / h.length);
      for (let q = from; q < to; q++) lists[h[t]!]!.push(group[perm[q]!]!);
    }
  }
  for (const l of lists) l.sort((a, b) => a - b);
  return lists;
}
