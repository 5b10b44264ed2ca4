// `fedquant compressors [--dim N]`: compress one Gaussian vector with every registered
// compressor (in a few showcase settings) and print bits per coordinate, the relative error
// ‖C(x) − x‖²/‖x‖², and encode/decode throughput.
import type { Command } from "commander";
import { compressorNames, createCompressor, type Compressor } from "../../compressors/index.js";
import { FedquantError } from "../../errors.js";
import { ready, kernel } from "../../kernel/index.js";
import { RandomStream } from "../../random/index.js";
import { messageBits } from "../../wire/index.js";

/** Settings shown for each compressor (others fall back to their defaults). */
export function showcase(name: string, dim: number): Record<string, unknown>[] {
  const k = Math.max(1, Math.round(dim / 100));
  switch (name) {
    case "qsgd": return [{ s: 1 }, { s: 1, coding: "elias" }, { s: 4, bucket: 512, coding: "elias" }, { s: 16, bucket: 512 }];
    case "sign": return [{}, { bucket: 512 }];
    case "topk": case "randk": return [{ k }];
    case "crosspolytope": return [{ draws: 1 }, { draws: 64 }];
    default: return [{}];
  }
}

export interface CompressorRow {
  compressor: string; params: Record<string, unknown>; bitsPerCoord: number; totalBitsPerCoord: number;
  relError: number; encodeMcoordPerS: number; decodeMcoordPerS: number;
}

function timeIt(fn: () => void, minMs: number): number {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  do { fn(); n++; t = performance.now(); } while (t - t0 < minMs);
  return (t - t0) / n;
}

export function measureCompressor(c: Compressor, x: Float32Array, minMs = 150): CompressorRow {
  const rng = RandomStream.of(1, "compress", 0, 0);
  const msg = c.encode(x, rng);
  const y = c.decode(msg, x.length);
  let err = 0, nx = 0;
  for (let i = 0; i < x.length; i++) { err += (y[i]! - x[i]!) ** 2; nx += x[i]! * x[i]!; }
  let round = 1;
  const encMs = timeIt(() => c.encode(x, RandomStream.of(1, "compress", round++, 0)), minMs);
  const decMs = timeIt(() => c.decode(msg, x.length), minMs);
  const b = messageBits(msg);
  return {
    compressor: c.name, params: { ...c.params },
    bitsPerCoord: b.payloadBits / x.length, totalBitsPerCoord: b.totalBits / x.length,
    relError: err / nx, encodeMcoordPerS: x.length / encMs / 1e3, decodeMcoordPerS: x.length / decMs / 1e3,
  };
}

export function registerCompressors(program: Command): void {
  program.command("compressors")
    .description("compress a Gaussian vector with every compressor: bits/coordinate, relative error, throughput (params as JSON, ready for a config)")
    .option("--dim <n>", "dimension of the vector", "65536")
    .option("--seed <n>", "seed of the Gaussian vector", "1")
    .option("--json", "print JSON instead of a table")
    .action(async (opts: { dim: string; seed: string; json?: boolean }) => {
      const dim = Number(opts.dim);
      if (!Number.isInteger(dim) || dim < 1 || dim > 1 << 26) throw new FedquantError("E_CONFIG", `--dim must be an integer in 1..2^26, got ${opts.dim}`);
      const seed = Number(opts.seed);
      if (!Number.isSafeInteger(seed) || seed < 0) throw new FedquantError("E_CONFIG", `--seed must be a non-negative integer, got ${opts.seed}`);
      await ready();
      const x = RandomStream.of(seed, "test").normals(dim);
      const rows: CompressorRow[] = [];
      for (const name of compressorNames()) {
        for (const params of showcase(name, dim)) rows.push(measureCompressor(createCompressor(name, params), x));
      }
      if (opts.json) { console.log(JSON.stringify({ dim, kernel: kernel().flavour, rows }, null, 2)); return; }
      console.log(`fedquant compressors — x ~ N(0, I_${dim}), kernel: wasm ${kernel().flavour}`);
      const head = ["compressor", "params", "bits/coord", "incl. header", "‖C(x)−x‖²/‖x‖²", "encode Mcoord/s", "decode Mcoord/s"];
      // params as real JSON: a cell can be pasted as a config's "params" (examples/*.json)
      const cells = rows.map((r) => [r.compressor, JSON.stringify(r.params), r.bitsPerCoord.toFixed(4), r.totalBitsPerCoord.toFixed(4),
        r.relError.toPrecision(4), r.encodeMcoordPerS.toFixed(1), r.decodeMcoordPerS.toFixed(1)]);
      const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
      const line = (c: string[]) => c.map((v, i) => (i < 2 ? v.padEnd(w[i]!) : v.padStart(w[i]!))).join("  ");
      console.log(line(head));
      console.log(w.map((n) => "-".repeat(n)).join("  "));
      for (const c of cells) console.log(line(c));
    });
}
