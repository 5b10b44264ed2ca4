// The sampler server as a state machine (spec/langevin.md; QLSD, Vono et al. 2022, Algorithms 1–2):
// θ_{k+1} = θ_k − γ ((b/m) Σ_{i∈A_k} g_k^i + η_k) + √(2γ) Z_{k+1},  η_{k+1} = η_k + α Σ_{i∈A_k} g_k^i.
// With full participation b/m = 1 and A_k = all clients; without memory η ≡ 0.
import { FedquantError } from "../errors.js";
import { kernel } from "../kernel/index.js";
import { messageBits } from "../wire/index.js";
import type { ResolvedParams } from "./options.js";
import { encodeDownlink, NO_REFRESH } from "./messages.js";
import { compressStream, noiseStream, participationStream } from "./streams.js";

export interface Uplink { client: number; bytes: Uint8Array }

/** Exact bit counts from the encoded bytes (spec/compressors.md). */
export interface BitTotals {
  /** Σ payload bits of every uplink (what the papers count) */
  upPayload: number;
  /** Σ total bits of every uplink (header included) */
  upTotal: number;
  /** Σ bits of every downlink frame */
  down: number;
  /** number of uplink messages */
  messages: number;
}

export interface SamplerServerState {
  round: number;
  theta: Float64Array;
  eta?: Float64Array;
  zeta?: Float64Array;
  zetaRound: number;
  bits: BitTotals;
}

export interface SamplerServer {
  /** the round the server is at (= number of completed steps) */
  readonly round: number;
  /** θ_round (a live view: copy it to keep it) */
  readonly theta: Float64Array;
  readonly bits: Readonly<BitTotals>;
  /** clients taking part in a round, increasing */
  participants(round: number): Uint32Array;
  broadcast(round: number): Uint8Array;
  receive(round: number, uplinks: readonly Uplink[]): void;
  save(): SamplerServerState;
  load(state: SamplerServerState): void;
}

export function createSamplerServer(params: ResolvedParams, seed: bigint, theta0: Float64Array): SamplerServer {
  const { dim, stepSize: gamma, alpha, participation: m, clients: b, compressor, controlVariate, refresh } = params;
  if (theta0.length !== dim) throw new FedquantError("E_DIM", `sampler server: θ_0 has length ${theta0.length}, expected d = ${dim}`);
  let round = 0;
  let theta = Float64Array.from(theta0);
  let eta = alpha > 0 ? new Float64Array(dim) : undefined;
  // the server remembers ζ only to hand it to clients that missed its refresh (partial participation)
  let zeta: Float64Array | undefined;
  let zetaRound = NO_REFRESH;
  let bits: BitTotals = { upPayload: 0, upTotal: 0, down: 0, messages: 0 };
  const noise = new Float32Array(dim);
  const sum = new Float64Array(dim);
  const sigma = Math.sqrt(2 * gamma), scale = b / m;
  const all = Uint32Array.from({ length: b }, (_, i) => i);

  function expect(r: number, what: string): void {
    if (r !== round) throw new FedquantError("E_STATE", `sampler server: ${what} for round ${r}, the server is at round ${round}`);
  }

  return {
    get round() { return round; },
    get theta() { return theta; },
    get bits() { return bits; },
    participants(r) {
      return m === b ? all : participationStream(seed, r).sampleWithoutReplacement(b, m);
    },
    broadcast(r) {
      expect(r, "broadcast");
      if (controlVariate === "svrg" && r % refresh === 0) { zeta = Float64Array.from(theta); zetaRound = r; }
      // with partial participation a client may have missed the refresh: ζ rides along (costs downlink only)
      const withZeta = controlVariate === "svrg" && m < b && r !== zetaRound;
      const bytes = encodeDownlink(seed, { round: r, theta, refreshRound: controlVariate === "svrg" ? zetaRound : NO_REFRESH, ...(withZeta ? { zeta: zeta! } : {}) });
      bits.down += 8 * bytes.length;
      return bytes;
    },
    receive(r, uplinks) {
      expect(r, "uplinks");
      const active = this.participants(r);
      if (uplinks.length !== active.length) throw new FedquantError("E_PROTOCOL", `round ${r}: expected ${active.length} uplinks, got ${uplinks.length}`);
      const byClient = new Map<number, Uint8Array>();
      for (const u of uplinks) {
        if (byClient.has(u.client)) throw new FedquantError("E_PROTOCOL", `round ${r}: two uplinks from client ${u.client}`);
        byClient.set(u.client, u.bytes);
      }
      // sum in client order, whatever the arrival order: the float result is then reproducible
      sum.fill(0);
      let up = 0, upTotal = 0;
      for (const i of active) {
        const bytes = byClient.get(i);
        if (!bytes) throw new FedquantError("E_PROTOCOL", `round ${r}: client ${i} was drawn but sent nothing`);
        const g = compressor.decode(bytes, dim, compressStream(seed, r, i));
        for (let j = 0; j < dim; j++) sum[j] += g[j]!;
        const mb = messageBits(bytes);
        up += mb.payloadBits; upTotal += mb.totalBits;
      }
      kernel().fillNormal(noiseStream(seed, r), noise);
      const next = new Float64Array(dim);
      for (let j = 0; j < dim; j++) {
        const drift = scale * sum[j]! + (eta ? eta[j]! : 0);
        next[j] = theta[j]! - gamma * drift + sigma * noise[j]!;
      }
      if (eta) for (let j = 0; j < dim; j++) eta[j] += alpha * sum[j]!;
      for (let j = 0; j < dim; j++) {
        if (!Number.isFinite(next[j]!) || Math.abs(next[j]!) > 3e38) throw new FedquantError("E_STATE", `round ${r}: θ_${r + 1}[${j}] = ${next[j]} — the chain diverged (reduce stepSize; γ·L should be well below 1)`);
      }
      theta = next;
      bits = { upPayload: bits.upPayload + up, upTotal: bits.upTotal + upTotal, down: bits.down, messages: bits.messages + active.length };
      round++;
    },
    save() {
      return {
        round, theta: Float64Array.from(theta), zetaRound, bits: { ...bits },
        ...(eta ? { eta: Float64Array.from(eta) } : {}),
        ...(zeta ? { zeta: Float64Array.from(zeta) } : {}),
      };
    },
    load(s) {
      if (!(s.theta instanceof Float64Array && s.theta.length === dim)) throw new FedquantError("E_STATE", `sampler server: saved θ is not a Float64Array of length ${dim}`);
      if (alpha > 0 && !(s.eta instanceof Float64Array && s.eta.length === dim)) throw new FedquantError("E_STATE", "sampler server: saved state has no memory η");
      round = s.round; theta = Float64Array.from(s.theta); zetaRound = s.zetaRound; bits = { ...s.bits };
      eta = s.eta ? Float64Array.from(s.eta) : undefined;
      zeta = s.zeta ? Float64Array.from(s.zeta) : undefined;
    },
  };
}
