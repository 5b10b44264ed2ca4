// The settings panel: fill its choices from the registries, read it into a session (the same JSON
// a `fedquant serve` config holds under "session"), and preload it from the page's query string.
import { algorithmNames, createAlgorithm, type AlgorithmConfig } from "../../src/algorithms/index.js";
import { compressorNames } from "../../src/compressors/index.js";
import { FedquantError } from "../../src/errors.js";
import type { SessionSpec } from "../../src/federation/transport/session.js";

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
};
export const input = (id: string): HTMLInputElement => $<HTMLInputElement>(id);
export const select = (id: string): HTMLSelectElement => $<HTMLSelectElement>(id);

function fill(sel: HTMLSelectElement, names: string[], chosen: string): void {
  sel.replaceChildren(...names.map((n) => new Option(n, n, n === chosen, n === chosen)));
}

/** Dimension of each problem's model: MNIST softmax 785 × 10, the logistic toy 2. */
function dimOf(problem: string): number { return problem === "mnist" ? 7850 : 2; }

/** Parameters that make sense for a compressor at a dimension (the user may edit them). */
export function defaultParams(name: string, dim: number): Record<string, unknown> {
  switch (name) {
    case "qsgd": return dim > 512 ? { s: 4, bucket: 512 } : { s: 1 };
    case "topk": return { k: Math.max(1, Math.round(dim / 100)) };
    case "randk": return { k: Math.max(1, Math.round(dim / 10)) };
    case "crosspolytope": return { draws: 8 };
    default: return {};
  }
}

const edited = new Set<string>();

function refreshParams(): void {
  const dim = dimOf(select("problem").value);
  for (const side of ["up", "down"]) {
    if (edited.has(side)) continue;
    input(`${side}-params`).value = JSON.stringify(defaultParams(select(side).value, dim));
  }
  const mnist = select("problem").value === "mnist";
  for (const id of ["labels", "count"]) input(id).disabled = !mnist;
}

export function setupForm(): void {
  fill(select("algorithm"), algorithmNames(), "artemis");
  fill(select("up"), compressorNames(), "qsgd");
  fill(select("down"), compressorNames(), "qsgd");
  const q = new URLSearchParams(location.search);
  for (const [k, v] of q) {
    const el = document.getElementById(k);
    if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) el.value = v;
    if (k === "up-params" || k === "down-params") edited.add(k.slice(0, -7));
  }
  for (const side of ["up", "down"]) {
    select(side).addEventListener("change", () => { edited.delete(side); refreshParams(); });
    input(`${side}-params`).addEventListener("input", () => edited.add(side));
  }
  select("problem").addEventListener("change", refreshParams);
  refreshParams();
}

function num(id: string, what: string): number {
  const v = Number(input(id).value);
  if (!Number.isFinite(v)) throw new FedquantError("E_CONFIG", `${what} must be a number, got "${input(id).value}"`);
  return v;
}

function params(side: string): Record<string, unknown> {
  const text = input(`${side}-params`).value.trim() || "{}";
  try {
    const p = JSON.parse(text) as unknown;
    if (p === null || typeof p !== "object" || Array.isArray(p)) throw new Error("not an object");
    return p as Record<string, unknown>;
  } catch {
    throw new FedquantError("E_CONFIG", `${side}link parameters must be a JSON object such as {"s": 4}, got ${text}`);
  }
}

/**
 * The session the settings describe. Algorithms with a fixed uplink or downlink (sgd takes no
 * compressor; qsgd and diana send an uncompressed downlink) refuse that key: it is left out,
 * and the notes say so.
 */
export function readSession(): { session: SessionSpec; deadlineMs: number; paceMs: number; notes: string[] } {
  const problemKind = select("problem").value;
  const clients = num("clients", "clients");
  const problem = problemKind === "mnist"
    ? { kind: "mnist" as const, clients, count: num("count", "digits"), labelsPerClient: num("labels", "labels per client"), seed: num("seed", "seed"), ridge: 1e-4 }
    : { kind: "logistic" as const, clients, perClient: 200, seed: num("seed", "seed") };
  const config: AlgorithmConfig = {
    gamma: num("gamma", "gamma"),
    participation: num("participation", "participation"),
    up: { name: select("up").value, params: params("up") },
    down: { name: select("down").value, params: params("down") },
  };
  const alpha = input("alpha").value.trim();
  if (alpha !== "") config.alpha = num("alpha", "alpha");
  const algorithm = select("algorithm").value;
  const notes: string[] = [];
  for (let tries = 0; tries < 4; tries++) {
    try { createAlgorithm(algorithm, config); break; } catch (e) {
      const m = /does not take "(up|down|alpha)"/.exec((e as Error).message);
      if (!m) throw e;
      delete (config as unknown as Record<string, unknown>)[m[1]!];
      notes.push(m[1] === "alpha" ? `${algorithm} has no memory rate: alpha ignored` : `${algorithm} has a fixed ${m[1]}link: the ${m[1]}link compressor is ignored`);
    }
  }
  const batch = input("batch").value.trim();
  const session: SessionSpec = {
    algorithm, config, problem, seed: num("seed", "seed"), rounds: num("rounds", "rounds"),
    batchSize: batch === "" || batch === "full" ? "full" : num("batch", "batch size"),
  };
  return { session, deadlineMs: num("deadline", "deadline"), paceMs: num("pace", "pace"), notes };
}
