// Validation and defaults of algorithm configs (spec/optimization.md: α = 1/(2(ω_up + 1)),
// α_down = 1/(2(ω_down + 1)), s-quantization with s = 1 both ways as in E3). Every rejection is
// an E_CONFIG that says which key, what was expected and what was found.
import { createCompressor, type Compressor } from "../compressors/index.js";
import { describeValue, isPlainObject } from "../describe.js";
import { FedquantError } from "../errors.js";
import type { AlgorithmConfig, CompressorChoice, CompressorRef, Participation, ResolvedConfig } from "./types.js";

/** The keys an algorithm may take besides the universal gamma, participation, aggregate. */
export type OptionalKey = "up" | "down" | "alpha" | "alphaDown" | "beta" | "eta" | "serverMemory" | "memoryInit" | "broadcast";

export interface ConfigRules {
  /** accepted optional keys */
  keys: readonly OptionalKey[];
  /** the uplink / downlink compressor when not given (identity for a fixed, uncompressed link) */
  upDefault: CompressorRef;
  downDefault: CompressorRef;
  /** why a key is refused, for the keys users reach for by mistake */
  hints?: Partial<Record<OptionalKey, string>>;
}

const UNIVERSAL = ["gamma", "participation", "aggregate"] as const;
const KEY_TYPES: Record<string, string> = {
  gamma: "a number", up: "a compressor name (a string) or {name, params} (an object)", down: "a compressor name (a string) or {name, params} (an object)",
  alpha: "a number", alphaDown: "a number", beta: "a number", eta: "a number", participation: "a number or an object",
  aggregate: "a string", serverMemory: "a string", memoryInit: "a string", broadcast: "a string",
};
export const IDENTITY: CompressorRef = { name: "identity", params: {} };
export const QSGD1: CompressorRef = { name: "qsgd", params: { s: 1 } };
/** The scaled sign (1 bit per coordinate), the error-feedback algorithms' default. */
export const SIGN: CompressorRef = { name: "sign", params: { bucket: 0 } };

function bad(algo: string, msg: string): never {
  throw new FedquantError("E_CONFIG", `${algo}: ${msg}`);
}

// the type first ("got string \"0.1\""), so a wrong-typed value reads as such
const show = describeValue;

function unitInterval(algo: string, key: string, v: unknown, openLeft: boolean): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v > 1 || v < 0 || (openLeft && v === 0)) {
    bad(algo, `${key} must be a number in ${openLeft ? "(0, 1]" : "[0, 1]"}, got ${show(v)}`);
  }
  return v;
}

/** A compressor choice → its canonical {name, params} (params as the compressor reports them). */
export function compressorRef(algo: string, key: string, choice: CompressorChoice): CompressorRef {
  let name: string, params: Record<string, unknown>;
  if (typeof choice === "string") { name = choice; params = {}; }
  else if (isPlainObject(choice) && typeof (choice as { name?: unknown }).name === "string") {
    name = (choice as { name: string }).name;
    const p = (choice as { params?: unknown }).params;
    if (p !== undefined && !isPlainObject(p)) bad(algo, `${key}.params must be an object, got ${show(p)}`);
    params = { ...(p as Record<string, unknown> | undefined) };
  } else bad(algo, `${key} must be a compressor name (a string), {name, params} or a Compressor (an object), got ${show(choice)}`);
  let c: Compressor;
  try { c = createCompressor(name, params); } catch (e) {
    if (e instanceof FedquantError) bad(algo, `${key}: ${e.message.replace(/^E_CONFIG: /, "")}`);
    throw e;
  }
  return { name: c.name, params: { ...c.params } };
}

export function instantiate(ref: CompressorRef): Compressor {
  return createCompressor(ref.name, ref.params);
}

function participation(algo: string, v: unknown): Participation {
  if (v === undefined) return { kind: "bernoulli", p: 1 };
  if (typeof v === "number") return { kind: "bernoulli", p: unitInterval(algo, "participation", v, true) };
  if (isPlainObject(v)) {
    const o = v;
    if (o.kind === "bernoulli") {
      const p = unitInterval(algo, "participation.p", o.p, true);
      if (o.redrawEmpty === undefined || o.redrawEmpty === false) return { kind: "bernoulli", p };
      if (o.redrawEmpty !== true) bad(algo, `participation.redrawEmpty must be true or false, got ${show(o.redrawEmpty)}`);
      return { kind: "bernoulli", p, redrawEmpty: true };
    }
    if (o.kind === "fixed") {
      if (typeof o.m !== "number" || !Number.isInteger(o.m) || o.m < 1) bad(algo, `participation.m must be an integer ≥ 1, got ${show(o.m)}`);
      return { kind: "fixed", m: o.m };
    }
  }
  return bad(algo, `participation must be a probability p in (0, 1] (a number), or an object {kind: "bernoulli", p, redrawEmpty?} or {kind: "fixed", m}, got ${show(v)}`);
}

/**
 * Check `cfg` against an algorithm's rules and fill the defaults. α and α_down stay undefined
 * when not given: their defaults depend on ω(D), known once a party is built with w0.
 */
export function resolveConfig(algo: string, cfg: AlgorithmConfig, rules: ConfigRules): ResolvedConfig {
  if (!isPlainObject(cfg)) bad(algo, `config must be an object with at least gamma, got ${show(cfg)}`);
  const allowed = new Set<string>([...UNIVERSAL, ...rules.keys]);
  for (const key of Object.keys(cfg)) {
    if ((cfg as unknown as Record<string, unknown>)[key] === undefined) continue;
    if (!allowed.has(key)) {
      const hint = rules.hints?.[key as OptionalKey];
      bad(algo, `does not take "${key}"${hint ? ` (${hint})` : ""}; it takes ${[...allowed].join(", ")}`);
    }
  }
  // a null is not "the default": name the type each key takes
  for (const [key, v] of Object.entries(cfg)) if (v === null) bad(algo, `${key} must be ${KEY_TYPES[key] ?? "set or left out"}, got null`);
  const g = cfg.gamma;
  if (typeof g !== "number" || !Number.isFinite(g) || g <= 0) bad(algo, `gamma (the step size) must be a finite number > 0, got ${show(g)}`);
  const aggregate = cfg.aggregate ?? "mean";
  if (aggregate !== "mean" && aggregate !== "sum") bad(algo, `aggregate must be "mean" or "sum", got ${show(aggregate)}`);
  const out: Record<string, unknown> = {
    gamma: g,
    up: compressorRef(algo, "up", cfg.up ?? rules.upDefault),
    down: compressorRef(algo, "down", cfg.down ?? rules.downDefault),
    participation: participation(algo, cfg.participation),
    aggregate,
  };
  const has = (k: OptionalKey) => rules.keys.includes(k);
  const upC = instantiate(out.up as CompressorRef), downC = instantiate(out.down as CompressorRef);
  if (has("alpha")) {
    if (cfg.alpha !== undefined) out.alpha = unitInterval(algo, "alpha", cfg.alpha, false);
    else if (!upC.unbiased) bad(algo, `the uplink compressor ${upC.name} is biased (ω = ∞): give alpha explicitly (the default 1/(2(ω+1)) needs a finite ω)`);
  }
  if (has("alphaDown")) {
    if (cfg.alphaDown !== undefined) out.alphaDown = unitInterval(algo, "alphaDown", cfg.alphaDown, false);
    else if (!downC.unbiased) bad(algo, `the downlink compressor ${downC.name} is biased (ω = ∞): give alphaDown explicitly`);
  }
  if (has("beta")) out.beta = cfg.beta === undefined ? 1 : unitInterval(algo, "beta", cfg.beta, true);
  if (has("eta") && cfg.eta !== undefined) out.eta = unitInterval(algo, "eta", cfg.eta, false);
  if (has("serverMemory")) {
    const m = cfg.serverMemory ?? "all-workers";
    if (m !== "all-workers" && m !== "active-workers") bad(algo, `serverMemory must be "all-workers" or "active-workers", got ${show(m)}`);
    out.serverMemory = m;
  }
  if (has("memoryInit")) {
    const m = cfg.memoryInit ?? "zero";
    if (m !== "zero" && m !== "first-gradient") bad(algo, `memoryInit must be "zero" or "first-gradient", got ${show(m)}`);
    // the authors' smart initialisation sets the memory α moves; with α = 0 there is none
    if (m === "first-gradient" && out.alpha === 0) bad(algo, `memoryInit "first-gradient" needs an uplink memory: alpha must be > 0, got 0`);
    if (m === "first-gradient") out.memoryInit = m;
  }
  if (has("broadcast")) {
    const b = cfg.broadcast ?? "update";
    if (b !== "update" && b !== "model") bad(algo, `broadcast must be "update" or "model", got ${show(b)}`);
    out.broadcast = b;
  }
  return out as unknown as ResolvedConfig;
}

/** The memory rate a party uses: the configured one, or 1/(2(ω(D) + 1)). */
export function memoryRate(explicit: number | undefined, c: Compressor, dim: number): number {
  if (explicit !== undefined) return explicit;
  const w = c.omega(dim);
  if (!Number.isFinite(w)) throw new FedquantError("E_CONFIG", `${c.name} has no finite ω at dimension ${dim}: give the memory rate explicitly`);
  return 1 / (2 * (w + 1));
}

/** Canonical JSON of a resolved config, to compare a checkpoint's config with an algorithm's. */
export function configKey(c: ResolvedConfig): string {
  return JSON.stringify(c);
}
