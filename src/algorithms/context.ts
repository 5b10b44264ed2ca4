// What every party (server or client) of one algorithm run shares: the resolved config, the
// compressor instances, the dimension and the seed — and the memory rates derived from them
// (spec/optimization.md: α = 1/(2(ω_up + 1)), α_down = 1/(2(ω_down + 1)) by default).
import type { Compressor } from "../compressors/index.js";
import { memoryRate } from "./config.js";
import type { ResolvedConfig } from "./types.js";

export interface AlgorithmCore {
  readonly name: string;
  readonly id: number;
  readonly config: ResolvedConfig;
  readonly up: Compressor;
  readonly down: Compressor;
  /** does the algorithm keep an uplink (DIANA) / downlink (MCM) memory */
  readonly upMemory: boolean;
  readonly downMemory: boolean;
}

export class PartyContext {
  readonly config: ResolvedConfig;
  readonly up: Compressor;
  readonly down: Compressor;
  readonly gamma: number;
  /** α (0 without an uplink memory) and α_down (0 without a downlink memory) at this dimension */
  readonly alpha: number;
  readonly alphaDown: number;

  constructor(readonly algo: AlgorithmCore, readonly dim: number, readonly seed: bigint) {
    this.config = algo.config;
    this.up = algo.up;
    this.down = algo.down;
    this.gamma = algo.config.gamma;
    this.alpha = algo.upMemory ? memoryRate(algo.config.alpha, algo.up, dim) : 0;
    this.alphaDown = algo.downMemory ? memoryRate(algo.config.alphaDown, algo.down, dim) : 0;
  }

  get name(): string { return this.algo.name; }
  get id(): number { return this.algo.id; }
}
