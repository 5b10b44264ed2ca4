// A deliberately naive QLSD family (spec/langevin.md; Vono et al. 2022, Algorithms 1–2) on the toy
// Gaussian model U_ij(θ) = ‖θ − y_ij‖²/2 (flat prior), written from the equations with plain
// number[] state. Shared with the library: the compressor and the Philox streams (which stream
// the minibatch, the compression, the noise and the participation of round k use is the
// library's documented stream layout, src/sampling/streams.ts) — nothing else.
//   QLSD#:  g^i = C(ĝ_i(θ))                                 ĝ_i(θ) = (N_i/|S|) Σ_{j∈S} (θ − y_ij)
//   QLSD*:  g^i = C(ĝ_i(θ) − ĝ_i(θ*))                        (same minibatch S)
//   QLSD++: every ℓ steps ζ = θ, h^i = Σ_j (ζ − y_ij); g^i = C(ĝ_i(θ) − ĝ_i(ζ) + h^i − η^i), η^i += α g^i
//   server: θ ← θ − γ ((b/m) Σ_{i∈A} g^i + η) + √(2γ) Z,  η += α Σ_{i∈A} g^i
// The server's step travels as one float32 vector (the update f32(d), d = (b/m)Σg + η − √(2/γ)Z,
// that every party applies: src/sampling/parties.ts), so the reference rounds d to float32 too.
import type { Compressor } from "../../../src/compressors/index.js";
import type { Dataset } from "../../../src/models/index.js";
import { kernel } from "../../../src/kernel/index.js";
import { compressStream, minibatchStream, noiseStream, participationStream } from "../../../src/sampling/streams.js";

export type Vec = number[];

export interface NaiveQlsd {
  algorithm: "qlsd#" | "qlsd*" | "qlsd++";
  gamma: number;
  compressor: Compressor;
  /** |S| (0: the full local sum) */
  batch: number;
  /** m clients per step (b: all) */
  m: number;
  /** QLSD++: ℓ and α (0: no memory) */
  refresh?: number;
  alpha?: number;
  thetaStar?: Vec;
}

/** ĝ_i(θ) on rows S (all rows when S is undefined). */
function gradEstimate(data: Dataset, theta: Vec, rows: ArrayLike<number> | undefined): Vec {
  const d = theta.length, idx = rows ? Array.from(rows) : [...Array(data.n).keys()];
  const g = new Array<number>(d).fill(0);
  for (const r of idx) for (let j = 0; j < d; j++) g[j] += theta[j]! - data.X[r * d + j]!;
  return g.map((v) => v * (data.n / idx.length));
}

/** θ_1 … θ_K from θ_0 = 0 under chain seed `seed` (already chainSeed(·)). Also returns each client's ζ after each step. */
export function naiveQlsd(p: NaiveQlsd, clients: readonly Dataset[], seed: bigint, K: number): { thetas: Vec[]; zetas: (Vec | undefined)[][] } {
  const b = clients.length, d = clients[0]!.p;
  let theta = new Array<number>(d).fill(0);
  let eta = new Array<number>(d).fill(0);
  const etaI = clients.map(() => new Array<number>(d).fill(0));
  const zeta: (Vec | undefined)[] = clients.map(() => undefined), h: (Vec | undefined)[] = clients.map(() => undefined);
  const epoch = clients.map(() => -1), zetaRound = clients.map(() => -1);
  const alpha = p.alpha ?? 0;
  const thetas: Vec[] = [], zetas: (Vec | undefined)[][] = [];
  const z = new Float32Array(d);
  for (let k = 0; k < K; k++) {
    const A = p.m === b ? [...Array(b).keys()] : Array.from(participationStream(seed, k).sampleWithoutReplacement(b, p.m));
    const sum = new Array<number>(d).fill(0);
    for (const i of A) {
      const rows = p.batch > 0 ? minibatchStream(seed, k, i).sampleWithoutReplacement(clients[i]!.n, p.batch) : undefined;
      let g: Vec;
      if (p.algorithm === "qlsd++") {
        const r0 = k - (k % p.refresh!);
        // a client absent at the refresh step takes ζ^i = θ at its first step of the epoch (oracle.ts)
        if (epoch[i] !== r0) { zeta[i] = theta.slice(); h[i] = gradEstimate(clients[i]!, theta, undefined); epoch[i] = r0; zetaRound[i] = k; }
        if (k === zetaRound[i]) g = h[i]!.slice();
        else {
          const a = gradEstimate(clients[i]!, theta, rows), c = gradEstimate(clients[i]!, zeta[i]!, rows);
          g = a.map((v, j) => v - c[j]! + h[i]![j]!);
        }
      } else {
        g = gradEstimate(clients[i]!, theta, rows);
        if (p.algorithm === "qlsd*") {
          const c = gradEstimate(clients[i]!, p.thetaStar!, rows);
          g = g.map((v, j) => v - c[j]!);
        }
      }
      const v = g.map((x, j) => x - etaI[i]![j]!);
      const msg = p.compressor.encode(Float32Array.from(v), compressStream(seed, k, i));
      const q = Array.from(p.compressor.decode(msg, d));
      etaI[i] = etaI[i]!.map((x, j) => x + alpha * q[j]!);
      q.forEach((x, j) => { sum[j] += x; });
    }
    kernel().fillNormal(noiseStream(seed, k), z);
    const dvec = sum.map((s, j) => (b / p.m) * s + eta[j]! - Math.sqrt(2 / p.gamma) * z[j]!);
    const sent = Float32Array.from(dvec);
    theta = theta.map((t, j) => t - p.gamma * sent[j]!);
    eta = eta.map((e, j) => e + alpha * sum[j]!);
    thetas.push(theta.slice());
    zetas.push(zeta.map((x) => x?.slice()));
  }
  return { thetas, zetas };
}
