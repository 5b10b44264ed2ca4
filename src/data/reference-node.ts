// Node-only: the real datasets of E3 (phishing, a9a) with exactly the reference preprocessing of
// ../shared/data/README.md steps 1–7, as in the Artemis (Philippenko & Dieuleveut 2020) and MCM
// (2021) experiments.
import * as fs from "node:fs";
import * as path from "node:path";
import { FedquantError } from "../errors.js";
import type { Dataset } from "../models/types.js";
import { prependBias, toPlusMinusOne } from "./dataset.js";
import { loadLibsvm } from "./libsvm-node.js";
import { meanGramSmoothness } from "./reference-smoothness.js";
import { iidRows, materialize, rebalanceRows, rowsByWorker } from "./splits.js";
import { standardize } from "./standardize.js";

export type ReferenceName = "phishing" | "a9a";
export type ReferenceSplit = "noniid" | "iid";

export interface ReferenceDataset {
  /** the 20 workers' data, standardised, with the bias column first */
  workers: Dataset[];
  /** features including the bias column (phishing 69, a9a 124) */
  p: number;
  /** mean_i ‖X_iᵀX_i‖_F / (4 n_i) (step 7) */
  L: number;
}

/** The README's worker count; also the `workers` field of the published split files. */
const WORKERS = 20;

function missing(what: string, dataDir: string): never {
  throw new FedquantError("E_DATA", `${what} not found; these experiments need ../shared/data (looked in ${path.resolve(dataDir)}), see its README.md`);
}

function readWorkerOfRow(file: string, n: number): { workerOfRow: number[]; workers: number } {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new FedquantError("E_DATA", `${file}: not valid JSON (${(e as Error).message})`, { cause: e });
  }
  const o = json as { worker_of_row?: unknown; workers?: unknown };
  if (!Array.isArray(o.worker_of_row)) throw new FedquantError("E_DATA", `${file}: no worker_of_row array`);
  const workers = typeof o.workers === "number" ? o.workers : WORKERS;
  if (o.worker_of_row.length !== n) throw new FedquantError("E_DATA", `${file}: worker_of_row has ${o.worker_of_row.length} entries, the data have ${n} rows`);
  return { workerOfRow: o.worker_of_row as number[], workers };
}

/**
 * Steps: 1 parse LIBSVM; 2 labels 0 → −1; 3 standardise every feature over the whole set
 * (population std, std = 0 → 1); 4 split by worker_of_row keeping file order ("noniid") or cut
 * into 20 contiguous chunks of ⌊n/20⌋ rows, remainder dropped ("iid", standardised over all n rows
 * first, as the README lists step 3 before the cut); 5 rebalance (noniid only: the README's iid
 * recipe lists steps 2, 3, 6, 7); 6 prepend the bias column; 7 L = mean_i ‖X_iᵀX_i‖_F/(4n_i).
 * `dataDir` is resolved against the current working directory.
 */
export function referenceDataset(name: ReferenceName, split: ReferenceSplit, dataDir = "../shared/data"): ReferenceDataset {
  if (name !== "phishing" && name !== "a9a") throw new FedquantError("E_CONFIG", `referenceDataset: unknown dataset "${String(name)}", expected "phishing" or "a9a"`);
  if (split !== "noniid" && split !== "iid") throw new FedquantError("E_CONFIG", `referenceDataset: unknown split "${String(split)}", expected "noniid" or "iid"`);
  if (!fs.existsSync(dataDir)) missing(`data directory ${dataDir}`, dataDir);
  const libsvmFile = path.join(dataDir, `${name}.libsvm`);
  if (!fs.existsSync(libsvmFile)) missing(libsvmFile, dataDir);

  const raw = toPlusMinusOne(loadLibsvm(libsvmFile));                                   // 1, 2
  const all: Dataset = { n: raw.n, p: raw.p, X: standardize(raw.X, raw.n, raw.p).X, y: raw.y }; // 3
  let rowLists: number[][];
  if (split === "noniid") {
    const splitFile = path.join(dataDir, `${name}-noniid-20.json`);
    if (!fs.existsSync(splitFile)) missing(splitFile, dataDir);
    const { workerOfRow, workers } = readWorkerOfRow(splitFile, all.n);
    rowLists = rebalanceRows(rowsByWorker(workerOfRow, workers, all.n));                 // 4, 5
  } else {
    rowLists = iidRows(all.n, WORKERS);                                                  // 4 (iid)
  }
  const workers = materialize(all, rowLists).map(prependBias);                           // 6
  return { workers, p: all.p + 1, L: meanGramSmoothness(workers) };                      // 7
}
