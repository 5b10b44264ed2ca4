// Node-only: run one chain to disk (spec/langevin.md "Output"). Kept samples are appended to the
// samples file as they are drawn; every `checkpointEvery` steps the file is fsynced and the whole
// state (chain: θ, memories, ζ, h^i, round; Welford; observers; the file offset) is written
// atomically. `resume` reloads the last checkpoint, cuts the samples file back to its offset and
// continues: the streams of step k are re-derived from (seed, purpose, k, worker), so the resumed
// run writes exactly the bytes the uninterrupted run would have.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { FedquantError } from "../errors.js";
import { checkSampleOptions, isKept, roundOfSample, type Chain, type ChainState, type Sample } from "./chain.js";
import { readIfExists, removeIfExists, writeAtomic } from "./checkpoint-node.js";
import { SAMPLES_HEADER_BYTES, SampleWriter, type SampleDtype } from "./samples-file-node.js";
import { decodeState, encodeState } from "./state-codec.js";
import { Welford } from "./welford.js";

/** Something that watches the kept samples and whose state is checkpointed with the chain. */
export interface Observer {
  readonly name: string;
  observe(sample: Sample): void;
  save(): ChainState;
  load(state: ChainState): void;
}

export interface RunToDiskOptions {
  chain: Chain;
  samples: number;
  burnIn?: number;
  thin?: number;
  /** output directory (created if missing) */
  dir: string;
  /** file stem: <name>.samples, <name>.ckpt (default "chain") */
  name?: string;
  dtype?: SampleDtype;
  /** steps between checkpoints (default 100) */
  checkpointEvery?: number;
  resume?: boolean;
  /** identifies the configuration; a checkpoint of another configuration is refused on resume */
  fingerprint?: string;
  observers?: Observer[];
  /** called after every step (and after its checkpoint, if any): progress bars; a throw stops the run */
  onStep?: (round: number) => void;
}

export interface RunToDiskResult {
  samplesPath: string;
  checkpointPath: string;
  kept: number;
  welford: Welford;
  /** the step the run resumed from (undefined for a fresh run) */
  resumedFrom?: number;
  /** wall-clock seconds spent on this chain, over every invocation (checkpointed) */
  seconds: number;
}

export function runToDisk(o: RunToDiskOptions): RunToDiskResult {
  const { samples, burnIn, thin } = checkSampleOptions(o);
  const chain = o.chain, name = o.name ?? "chain", every = o.checkpointEvery ?? 100, dtype = o.dtype ?? "float64";
  if (!(Number.isInteger(every) && every >= 1)) throw new FedquantError("E_CONFIG", `runToDisk: checkpointEvery must be an integer ≥ 1, got ${String(o.checkpointEvery)}`);
  if (!/^[\w.-]+$/.test(name)) throw new FedquantError("E_CONFIG", `runToDisk: name "${name}" must be a plain file stem`);
  const samplesPath = join(o.dir, `${name}.samples`), checkpointPath = join(o.dir, `${name}.ckpt`);
  const observers = o.observers ?? [];
  const welford = new Welford(chain.dim);
  const fingerprint = o.fingerprint ?? "";
  const last = roundOfSample(samples - 1, burnIn, thin);

  try { mkdirSync(o.dir, { recursive: true }); } catch (e) { throw new FedquantError("E_IO", `cannot create ${o.dir}: ${(e as Error).message}`, { cause: e }); }
  let writer: SampleWriter, kept = 0, resumedFrom: number | undefined, before = 0;
  const t0 = performance.now();
  const saved = o.resume ? readIfExists(checkpointPath) : undefined;
  if (saved) {
    const s = decodeState(saved);
    if (s.fingerprint !== fingerprint) throw new FedquantError("E_STATE", `cannot resume: ${checkpointPath} was written by another configuration (delete it or run without --resume)`);
    if (s.samples !== samples || s.burnIn !== burnIn || s.thin !== thin || s.dtype !== dtype) throw new FedquantError("E_STATE", `cannot resume: ${checkpointPath} has samples/burnIn/thin/dtype ${s.samples}/${s.burnIn}/${s.thin}/${s.dtype}, the run asks ${samples}/${burnIn}/${thin}/${dtype}`);
    chain.load(s.chain as ChainState);
    welford.load(s.welford as ChainState);
    const obs = (s.observers ?? {}) as Record<string, ChainState>;
    for (const ob of observers) {
      if (!obs[ob.name]) throw new FedquantError("E_STATE", `cannot resume: the checkpoint has no state for observer "${ob.name}"`);
      ob.load(obs[ob.name]!);
    }
    // the offset decides where the samples file is cut: a damaged one must not truncate the header
    // or leave a torn row, so it has to be exactly the end of the checkpoint's `kept` rows
    const rowBytes = chain.dim * (dtype === "float64" ? 8 : 4);
    if (!(Number.isInteger(s.kept) && (s.kept as number) >= 0 && (s.kept as number) <= samples && s.offset === SAMPLES_HEADER_BYTES + (s.kept as number) * rowBytes)) {
      throw new FedquantError("E_STATE", `cannot resume: ${checkpointPath} is damaged (kept ${String(s.kept)} rows at byte offset ${String(s.offset)}; rows are ${rowBytes} bytes after a ${SAMPLES_HEADER_BYTES}-byte header)`);
    }
    kept = s.kept as number;
    before = typeof s.seconds === "number" ? s.seconds : 0;
    writer = SampleWriter.resume(samplesPath, chain.dim, dtype, s.offset);
    resumedFrom = chain.round;
  } else {
    removeIfExists(checkpointPath);
    writer = SampleWriter.create(samplesPath, chain.dim, dtype);
  }

  const checkpoint = () => {
    writer.sync();
    const obs: ChainState = {};
    for (const ob of observers) obs[ob.name] = ob.save();
    writeAtomic(checkpointPath, encodeState({
      fingerprint, samples, burnIn, thin, dtype, kept, offset: writer.offset, seconds: before + (performance.now() - t0) / 1000,
      chain: chain.save(), welford: welford.save(), observers: obs,
    }));
  };

  try {
    if (!saved) checkpoint(); // a run killed before its first checkpoint resumes from step 0
    while (chain.round < last) {
      chain.step();
      const k = chain.round;
      if (isKept(k, burnIn, thin)) {
        const sample: Sample = { index: kept, round: k, theta: Float64Array.from(chain.theta), bits: { ...chain.bits } };
        writer.append(sample.theta);
        welford.push(sample.theta);
        for (const ob of observers) ob.observe(sample);
        kept++;
      }
      if (k % every === 0 || k === last) checkpoint();
      o.onStep?.(k);
    }
  } finally {
    writer.close();
  }
  const seconds = saved && chain.round === last && resumedFrom === last ? before : before + (performance.now() - t0) / 1000;
  return { samplesPath, checkpointPath, kept, welford, seconds, ...(resumedFrom !== undefined ? { resumedFrom } : {}) };
}
