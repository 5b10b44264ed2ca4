// The demo's settings as plain text fields → a checked session (the JSON a `fedquant serve` config
// holds under "session"). No DOM here: the page reads its inputs into a record and calls
// parseSettings, and test/demo/settings.test.ts calls it directly. The limits below are enforced
// in code (HTML min/max attributes are only hints a user can type past) and copied onto the
// inputs by form.ts, so the page and the check cannot disagree.
import { createAlgorithm, type AlgorithmConfig } from "../../src/algorithms/index.js";
import { createCompressor } from "../../src/compressors/index.js";
import { FedquantError } from "../../src/errors.js";
import type { SessionSpec } from "../../src/federation/transport/session.js";

/** Weights of the demo's CNN (cnn.ts; E5's network): compressor defaults and legends need it before TF.js loads. */
export const CNN_DIM = 5386;

/** Held-out digits for the live test accuracy: the last TEST_DIGITS of the seeded order (digits.ts). */
export const TEST_DIGITS = 1000;
/** The `mnist` package ships 10,000 digits; the training set leaves TEST_DIGITS of them out. */
export const MAX_TRAIN_DIGITS = 10_000 - TEST_DIGITS;

interface IntLimit { kind: "int"; min: number; max: number; what: string }
interface NumLimit { kind: "num"; min: number; max: number; minOpen?: boolean; what: string }
type Limit = IntLimit | NumLimit;

/**
 * Bounds of every numeric input. clients ≤ 16: each client is a Web Worker holding its own copy
 * of the digits (≈ 8 MB decoded per worker) and of the algorithm's state; 200 workers ran the tab
 * out of memory. rounds ≤ 10,000 and pace ≤ 10 s keep a run within an afternoon.
 */
export const LIMITS = {
  clients: { kind: "int", min: 1, max: 16, what: "clients" },
  labels: { kind: "int", min: 1, max: 10, what: "labels per client" },
  count: { kind: "int", min: 100, max: MAX_TRAIN_DIGITS, what: "digits" },
  seed: { kind: "int", min: 0, max: 2 ** 31 - 1, what: "seed" },
  gamma: { kind: "num", min: 0, max: 100, minOpen: true, what: "step γ" },
  alpha: { kind: "num", min: 0, max: 1, what: "memory α" },
  participation: { kind: "num", min: 0, max: 1, minOpen: true, what: "participation p" },
  batch: { kind: "int", min: 1, max: 10_000, what: "batch" },
  rounds: { kind: "int", min: 1, max: 10_000, what: "rounds" },
  deadline: { kind: "int", min: 10, max: 600_000, what: "deadline ms" },
  pace: { kind: "int", min: 0, max: 10_000, what: "pace ms" },
  target: { kind: "num", min: 0, max: 1e6, minOpen: true, what: "target loss" },
} satisfies Record<string, Limit>;

export type Field = keyof typeof LIMITS;

/** The checked value of one field, or a FedquantError("E_CONFIG") naming the field and its bounds. */
export function checkField(field: Field, text: string): number {
  const l: Limit = LIMITS[field];
  const t = text.trim();
  const v = Number(t);
  const range = `${l.kind === "num" && l.minOpen ? "(" : "["}${l.min}, ${l.max}]`;
  const ok = t !== "" && Number.isFinite(v) && (l.kind === "num" || Number.isInteger(v)) &&
    (l.kind === "num" && l.minOpen ? v > l.min : v >= l.min) && v <= l.max;
  if (!ok) throw new FedquantError("E_CONFIG", `${l.what} must be ${l.kind === "int" ? "an integer" : "a number"} in ${range}, got "${text}"`);
  return v;
}

/** The fields the page reads (input ids → their text). Empty optional fields mean "default". */
export interface SettingsFields {
  problem: string; clients: string; labels: string; count: string; seed: string;
  algorithm: string; up: string; "up-params": string; down: string; "down-params": string;
  gamma: string; alpha: string; participation: string; batch: string;
  rounds: string; deadline: string; pace: string; target?: string;
}

export interface Settings {
  session: SessionSpec;
  /** undefined: no deadline, each round waits for every client (the result cannot depend on speed) */
  deadlineMs: number | undefined;
  paceMs: number;
  /** the loss the summary's "bits to target" uses; undefined: chosen from the runs (summary.ts) */
  target: number | undefined;
  notes: string[];
}

function params(side: string, text: string): Record<string, unknown> {
  const t = text.trim() || "{}";
  try {
    const p = JSON.parse(t) as unknown;
    if (p === null || typeof p !== "object" || Array.isArray(p)) throw new Error("not an object");
    return p as Record<string, unknown>;
  } catch {
    throw new FedquantError("E_CONFIG", `${side}link parameters must be a JSON object such as {"s": 4}, got ${t}`);
  }
}

/**
 * A biased (contractive) compressor has ω = ∞, so the default memory rate 1/(2(ω+1)) does not
 * exist. EF21 (Richtárik, Sokolov & Fatkhullin 2021, eq. (4)) updates the memory with the whole
 * compressed difference, h ← h + C(g − h), i.e. α = 1: for a δ-contraction C,
 * ‖g − h − C(g − h)‖² ≤ (1 − δ)‖g − h‖², and any α ∈ (0, 1] contracts less. α = 1 is filled in.
 */
function fillBiasedAlpha(config: AlgorithmConfig, notes: string[]): void {
  const biased = (ref: AlgorithmConfig["up"]): string | undefined => {
    if (!ref || typeof ref !== "object") return undefined;
    try { const c = createCompressor(ref.name, ref.params ?? {}); return c.unbiased ? undefined : c.name; } catch { return undefined; }
  };
  const up = biased(config.up), down = biased(config.down);
  const c = config as AlgorithmConfig & { alphaDown?: number };
  if (up && c.alpha === undefined) { c.alpha = 1; notes.push(`α = 1 filled in: ${up} is biased (ω = ∞), EF21's memory rate`); }
  if (down && c.alphaDown === undefined) { c.alphaDown = 1; notes.push(`downlink α = 1 filled in: ${down} is biased (ω = ∞), EF21's memory rate`); }
}

/**
 * The session the settings describe. Algorithms with a fixed uplink or downlink (sgd takes no
 * compressor; qsgd and diana send an uncompressed downlink) refuse that key: it is left out, and
 * the notes say so.
 */
export function parseSettings(f: SettingsFields): Settings {
  const clients = checkField("clients", f.clients);
  const seed = checkField("seed", f.seed);
  let problem: SessionSpec["problem"];
  if (f.problem === "mnist") {
    const count = checkField("count", f.count);
    if (count < clients) throw new FedquantError("E_CONFIG", `digits (${count}) must be at least the number of clients (${clients})`);
    problem = { kind: "mnist", clients, count, labelsPerClient: checkField("labels", f.labels), seed, ridge: 1e-4 };
  } else if (f.problem === "mnist-cnn") {
    const count = checkField("count", f.count);
    problem = { kind: "mnist-model", model: "cnn", clients, count, labelsPerClient: checkField("labels", f.labels), seed };
  } else if (f.problem === "logistic") {
    problem = { kind: "logistic", clients, perClient: 200, seed };
  } else {
    throw new FedquantError("E_CONFIG", `problem must be "mnist", "mnist-cnn" or "logistic", got "${f.problem}"`);
  }
  const config: AlgorithmConfig = {
    gamma: checkField("gamma", f.gamma),
    participation: checkField("participation", f.participation),
    up: { name: f.up, params: params("up", f["up-params"]) },
    down: { name: f.down, params: params("down", f["down-params"]) },
  };
  const notes: string[] = [];
  if (f.alpha.trim() !== "") config.alpha = checkField("alpha", f.alpha);
  const filled = new Set<string>();
  const before: Record<string, unknown> = { ...config };
  fillBiasedAlpha(config, notes);
  for (const k of ["alpha", "alphaDown"]) if (before[k] === undefined && (config as unknown as Record<string, unknown>)[k] !== undefined) filled.add(k);
  const algorithm = f.algorithm;
  for (let tries = 0; tries < 5; tries++) {
    try { createAlgorithm(algorithm, config); break; } catch (e) {
      const m = /does not take "(up|down|alpha|alphaDown)"/.exec((e as Error).message);
      if (!m || tries === 4) throw e;
      const key = m[1]!;
      delete (config as unknown as Record<string, unknown>)[key];
      if (filled.has(key)) {
        // the filled-in α went to an algorithm without memory: its note no longer applies
        const i = notes.findIndex((n) => n.startsWith(key === "alpha" ? "α = 1" : "downlink α"));
        if (i >= 0) notes.splice(i, 1);
      } else {
        notes.push(key === "alpha" || key === "alphaDown" ? `${algorithm} has no memory rate: ${key} ignored` : `${algorithm} has a fixed ${key}link: the ${key}link compressor is ignored`);
      }
    }
  }
  const batchText = f.batch.trim();
  const session: SessionSpec = {
    algorithm, config, problem, seed, rounds: checkField("rounds", f.rounds),
    batchSize: batchText === "" || batchText === "full" ? "full" : checkField("batch", batchText),
  };
  const deadlineMs = f.deadline.trim() === "" ? undefined : checkField("deadline", f.deadline);
  const target = (f.target ?? "").trim() === "" ? undefined : checkField("target", f.target!);
  return { session, deadlineMs, paceMs: checkField("pace", f.pace), target, notes };
}
