// The settings panel: fill its choices from the registries, copy settings.ts's limits onto the
// inputs (so the browser's spinners agree with the check), read the inputs into text fields for
// parseSettings, and preload them from the page's query string.
import { algorithmNames } from "../../src/algorithms/index.js";
import { compressorNames } from "../../src/compressors/index.js";
import { CNN_DIM, LIMITS, parseSettings, type Settings, type SettingsFields } from "./settings.js";

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

/** Dimension of each problem's model: MNIST softmax 785 × 10, the CNN 5,386, the logistic toy 2. */
function dimOf(problem: string): number { return problem === "mnist" ? 7850 : problem === "mnist-cnn" ? CNN_DIM : 2; }

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
  const mnist = select("problem").value !== "logistic";
  for (const id of ["labels", "count"]) input(id).disabled = !mnist;
}

export function setupForm(): void {
  fill(select("algorithm"), algorithmNames(), "artemis");
  fill(select("up"), compressorNames(), "qsgd");
  fill(select("down"), compressorNames(), "qsgd");
  for (const [id, l] of Object.entries(LIMITS)) {
    const el = document.getElementById(id);
    if (!(el instanceof HTMLInputElement) || el.type !== "number") continue;
    el.min = String(l.min); el.max = String(l.max);
  }
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

/** The inputs as text, as the user left them (limits are checked by parseSettings, not here). */
export function readFields(): SettingsFields {
  const v = (id: string): string => (document.getElementById(id) as HTMLInputElement | HTMLSelectElement).value;
  return {
    problem: v("problem"), clients: v("clients"), labels: v("labels"), count: v("count"), seed: v("seed"),
    algorithm: v("algorithm"), up: v("up"), "up-params": v("up-params"), down: v("down"), "down-params": v("down-params"),
    gamma: v("gamma"), alpha: v("alpha"), participation: v("participation"), batch: v("batch"),
    rounds: v("rounds"), deadline: v("deadline"), pace: v("pace"), target: v("target"),
  };
}

export function readSettings(): Settings { return parseSettings(readFields()); }
