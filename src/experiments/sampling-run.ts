// Runs the chains of one sampler of an E4 comparison (spec/experiments.md E4; spec/langevin.md
// "Output"): each chain streamed to <out>/<slug>/chain-<c>.samples with checkpoints, then the
// multi-chain diagnostics (pooled ESS, split R̂) read back from the samples files.
import { join } from "node:path";
import { createCompressor } from "../compressors/index.js";
import type { Compressor } from "../compressors/index.js";
import { FedquantError } from "../errors.js";
import { samplerThreads } from "../federation/pool/index.js";
import { RandomStream } from "../random/index.js";
import {
  chainSeed, diagnose, federatedSampler, readSamples, runToDisk,
  type BayesModel, type BitTotals, type Chain, type ChainDiagnostics, type Observer, type SamplerParams, type SamplingAlgorithm, type Welford,
} from "../sampling/index.js";
import type { CompressorConfig, E4Common, SamplerEntryConfig } from "./e4-config.js";

export type ProgressFactory = (label: string, total: number) => { tick(n?: number): void; stop(): void };

/** One sampler of a comparison, ready to build. */
export interface SamplerRun {
  label: string;
  /** file-safe name of its output folder */
  slug: string;
  algorithm: string;
  compressor: string;
  build(): SamplingAlgorithm;
}

const COMPRESSED = new Set(["qlsd#", "qlsd*", "qlsd++"]);
const NAMES: Record<string, string> = { lsd: "LSD", sgld: "SGLD", "qlsd#": "QLSD#", "qlsd*": "QLSD*", "qlsd++": "QLSD++" };

export function compressorLabel(c: CompressorConfig): string {
  const p = Object.entries(c.params).map(([k, v]) => (k === "s" && typeof v === "number" && v > 2 && Number.isInteger(Math.log2(v)) ? `s=2^${Math.log2(v)}` : `${k}=${String(v)}`));
  return p.length ? `${c.name} ${p.join(" ")}` : c.name;
}

export function slugOf(label: string): string {
  return label.replace(/\+/g, "p").replace(/#/g, "sharp").replace(/\*/g, "star").replace(/\^/g, "_").replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").toLowerCase();
}

/**
 * The samplers of a config: uncompressed ones (lsd, sgld) once, compressed ones once per compressor
 * (or with their own). `thetaStar` feeds qlsd*.
 */
export function samplerRuns(cfg: E4Common, model: BayesModel, thetaStar?: () => Float64Array): SamplerRun[] {
  const runs: SamplerRun[] = [];
  for (const e of cfg.samplers) {
    const comps: (CompressorConfig | undefined)[] = !COMPRESSED.has(e.algorithm) ? [e.compressor] : e.compressor ? [e.compressor] : cfg.compressors;
    for (const c of comps) {
      const name = NAMES[e.algorithm]! + (e.algorithm === "qlsd++" && e.memory === false ? " (no memory)" : "");
      const label = e.label ? (comps.length > 1 ? `${e.label} ${compressorLabel(c!)}` : e.label) : c ? `${name} ${compressorLabel(c)}` : name;
      runs.push({
        label, slug: slugOf(label), algorithm: e.algorithm, compressor: c ? compressorLabel(c) : "identity",
        build: () => federatedSampler(model, samplerParams(cfg, e, c ? makeCompressor(c) : undefined, thetaStar)),
      });
    }
  }
  const seen = new Set<string>();
  for (const r of runs) {
    if (seen.has(r.slug)) throw new FedquantError("E_CONFIG", `two samplers are both named "${r.label}": give one a distinct "label"`);
    seen.add(r.slug);
  }
  return runs;
}

function makeCompressor(c: CompressorConfig): Compressor {
  return createCompressor(c.name, c.params);
}

function samplerParams(cfg: E4Common, e: SamplerEntryConfig, compressor: Compressor | undefined, thetaStar?: () => Float64Array): SamplerParams {
  const p: SamplerParams = { algorithm: e.algorithm, stepSize: e.stepSize ?? cfg.stepSize };
  if (e.algorithm !== "lsd") p.batchSize = e.batchSize ?? cfg.batchSize;
  if (compressor) p.compressor = compressor;
  if (e.algorithm === "qlsd++") {
    p.refresh = e.refresh ?? cfg.refresh;
    if (e.memory !== undefined) p.memory = e.memory;
    if (e.alpha !== undefined) p.alpha = e.alpha;
  }
  if (e.participation !== undefined) p.participation = e.participation;
  if (e.algorithm === "qlsd*") {
    if (!thetaStar) throw new FedquantError("E_CONFIG", "qlsd* needs the mode θ*, which this experiment does not provide");
    p.thetaStar = thetaStar();
  }
  return p;
}

/** θ_0 of chain c: base + jitter · N(0, I), the normals from the chain's own init stream. */
export function initialPoint(base: Float64Array, jitter: number, seed: number, chain: number): Float64Array {
  const t = Float64Array.from(base);
  if (jitter > 0) {
    const z = RandomStream.of(chainSeed(seed, chain), "init", 1, 0).normals(t.length);
    for (let j = 0; j < t.length; j++) t[j] += jitter * z[j]!;
  }
  return t;
}

export interface ChainOutcome {
  chain: number;
  /** the chain itself, at its last step */
  final: Chain;
  welford: Welford;
  bits: BitTotals;
  observers: Observer[];
  samplesPath: string;
  /** wall-clock seconds of the chain over every invocation (from its checkpoints) */
  seconds: number;
  resumedFrom?: number;
}

export interface RunOutcome { run: SamplerRun; chains: ChainOutcome[]; diagnostics: ChainDiagnostics; stepsPerChain: number }

export interface RunChainsOptions {
  out: string;
  cfg: E4Common;
  resume: boolean;
  init(chain: number): Float64Array;
  observers(chain: number): Observer[];
  /** identifies the configuration in the checkpoints */
  fingerprint: string;
  progress?: ProgressFactory;
  /** override the sampler (MALA reference) */
  algorithm?: SamplingAlgorithm;
  samples?: number;
  burnIn?: number;
  thin?: number;
  /** coordinates for ESS / R̂ (default: the first cfg.diagnosticCoordinates) */
  coords?: number[];
  /** threads for a federated sampler's clients (federation/pool, bit-exact); default 1 */
  threads?: number;
}

export function runChains(run: SamplerRun, o: RunChainsOptions): RunOutcome {
  const cfg = o.cfg;
  const samples = o.samples ?? cfg.samples, burnIn = o.burnIn ?? cfg.burnIn, thin = o.thin ?? cfg.thin;
  const steps = burnIn + samples * thin;
  const alg = o.algorithm ?? run.build();
  const bar = o.progress?.(run.label, steps * cfg.chains);
  const chains: ChainOutcome[] = [];
  try {
    for (let c = 0; c < cfg.chains; c++) {
      const parallel = (o.threads ?? 1) > 1 ? samplerThreads(o.threads!) : undefined;
      const chain: Chain = alg.init({ seed: cfg.seed, chain: c, theta0: o.init(c), parallel });
      const observers = o.observers(c);
      let last = 0;
      let res: ReturnType<typeof runToDisk>;
      try {
        res = runToDisk({
          chain, samples, burnIn, thin, dir: join(o.out, run.slug), name: `chain-${c}`, dtype: cfg.dtype,
          checkpointEvery: cfg.checkpointEvery, resume: o.resume, fingerprint: `${o.fingerprint}|${run.label}|chain ${c}`, observers,
          onStep: (k) => { bar?.tick(k - last); last = k; },
        });
      } finally { chain.close?.(); }
      if (res.resumedFrom !== undefined) bar?.tick(steps - last);
      chains.push({
        chain: c, final: chain, welford: res.welford, bits: { ...chain.bits }, observers, samplesPath: res.samplesPath,
        seconds: res.seconds, ...(res.resumedFrom !== undefined ? { resumedFrom: res.resumedFrom } : {}),
      });
    }
  } finally { bar?.stop(); }
  const draws = chains.map((c) => readSamples(c.samplesPath).rows);
  const d = draws[0]![0]!.length;
  const coords = o.coords ?? Array.from({ length: Math.min(d, cfg.diagnosticCoordinates) }, (_, j) => j);
  return { run, chains, diagnostics: diagnose(draws, coords), stepsPerChain: steps };
}
