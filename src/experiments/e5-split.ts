// The per-round time split of E5 at one compressor's settings (issue #12 "Speed and memory"):
// for R rounds × N clients of the E5 CNN, the CPU time of each part of an uplink round, measured
// part by part over the same gradients — TF.js gradient (forward + backward on the client's
// minibatch), fedquant encode, decode (server), aggregation (mean of the N decoded vectors) —
// and, for the Voronoi compressors, the two kernel calls that make up an encode at these
// settings: generating the per-message Gaussian codebook (M × d normals) and the exhaustive
// nearest-codeword search (nb × M × d multiply-adds), each timed alone through the kernel's
// public API on the same inputs, so the remainder of the encode is what fedquant's TypeScript adds.
import { cpuUsage } from "node:process";
import { toSeed } from "../algorithms/index.js";
import { createCompressor } from "../compressors/index.js";
import { minibatchOracle } from "../federation/simulator-oracle.js";
import { kernel } from "../kernel/index.js";
import { RandomStream } from "../random/index.js";
import type { TfjsObjective } from "../tfjs/index.js";
import type { E5Data } from "./e5-model.js";

export interface SplitOptions {
  rounds: number;
  batch: number;
  seed: number;
  compressor: { name: string; params: Record<string, unknown> };
}

/** CPU ms per client per round (aggregate: per round, all clients) and the compression share. */
export interface Split {
  gradient: number; encode: number; decode: number; aggregate: number;
  /** of encode: the codebook and the search alone (Voronoi compressors), else undefined */
  codebook?: number; search?: number;
  /** (encode + decode + aggregate/N) / (gradient + encode + decode + aggregate/N) */
  share: number;
  uplinkBits: number;
}

const cpuMs = () => { const u = cpuUsage(); return (u.user + u.system) / 1000; };

export function e5Split(obj: TfjsObjective, data: E5Data, w0: Float64Array, o: SplitOptions): Split {
  const N = data.clients.length, D = obj.dim, s = toSeed(o.seed);
  const comp = createCompressor(o.compressor.name, o.compressor.params);
  const oracles = data.clients.map((d) => minibatchOracle(obj, d, s, o.batch));
  const g64 = new Float64Array(D);
  const grads: Float32Array[] = [];
  let t = cpuMs();
  for (let r = 0; r < o.rounds; r++) {
    for (let i = 0; i < N; i++) { oracles[i]!(w0, g64, { round: r, client: i }); grads.push(Float32Array.from(g64)); }
  }
  const gradient = cpuMs() - t;
  const rng = (k: number) => RandomStream.of(o.seed, "compress", k, 0);
  const msgs: Uint8Array[] = [];
  t = cpuMs();
  for (let k = 0; k < grads.length; k++) msgs.push(comp.encode(grads[k]!, rng(k)));
  const encode = cpuMs() - t;
  const mean = new Float32Array(D);
  let decode = 0, aggregate = 0;
  for (let r = 0; r < o.rounds; r++) {
    mean.fill(0);
    for (let i = 0; i < N; i++) {
      const k = r * N + i;
      t = cpuMs(); const out = comp.decode(msgs[k]!, D, rng(k)); decode += cpuMs() - t;
      t = cpuMs(); kernel().axpy(mean, 1 / N, out); aggregate += cpuMs() - t;
    }
  }
  const bits = msgs.reduce((a, m) => a + m.length * 8, 0) / msgs.length;
  const split: Split = { gradient: gradient / grads.length, encode: encode / grads.length, decode: decode / grads.length, aggregate: aggregate / o.rounds, share: 0, uplinkBits: bits };
  const p = comp.params as Record<string, unknown>;
  if (o.compressor.name === "dostovoq" || o.compressor.name === "stovoq") {
    const d = Number(p.d ?? 16), M = 2 ** Number(p.codebookBits ?? 13), alpha = Number(p.alpha ?? 1), nb = Math.ceil(D / d);
    const k = kernel();
    const books: Float32Array[] = [];
    t = cpuMs();
    for (let j = 0; j < grads.length; j++) { const b = k.codebookBlocked(rng(j), M, d, alpha); if (j < 2) books.push(b); }
    split.codebook = (cpuMs() - t) / grads.length;
    // DoStoVoQ's rows: g·√D/‖g‖ zero-padded to nb·d
    const rows = grads.map((g) => { const x = new Float32Array(nb * d), sc = Math.sqrt(D / k.sumSquares(g)); for (let j = 0; j < D; j++) x[j] = g[j]! * sc; return x; });
    t = cpuMs();
    for (let j = 0; j < grads.length; j++) k.voronoiSearch(rows[j]!, d, books[j % 2]!, M);
    split.search = (cpuMs() - t) / grads.length;
  }
  const fq = split.encode + split.decode + split.aggregate / N;
  split.share = fq / (split.gradient + fq);
  return split;
}
