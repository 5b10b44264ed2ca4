// A deliberately naive re-implementation of every federated update rule, written from the
// equations of spec/optimization.md and the papers they cite (issue #11), with plain number[]
// state and one loop over rounds. It shares with the library only the compressors and the
// Philox streams they draw from (src/algorithms/streams.ts: which stream a message of round k
// and party i uses is part of the wire contract); everything else — who is active, the weight
// 1/(pN), the memories, the errors, the model views — is recomputed here from the equations.
import type { Compressor } from "../../../src/compressors/index.js";
import { downlinkStream, participationStream, privateDownlinkStream, uplinkStream } from "../../../src/algorithms/streams.js";
import type { RandomStream } from "../../../src/random/index.js";

export type Vec = number[];
/** ∇F_i at w (the same function the library's clients are handed). */
export type Grad = (i: number, w: Vec, round: number) => Vec;

export interface RefConfig {
  gamma: number;
  up: Compressor;
  down: Compressor;
  /** Bernoulli participation probability p (1 = everyone, every round) */
  p: number;
  alpha?: number;
  alphaDown?: number;
  beta?: number;
  eta?: number;
  serverMemory?: "all-workers" | "active-workers";
  /** "first-gradient": h^i starts at worker i's first gradient (f32), sent once uncompressed */
  memoryInit?: "zero" | "first-gradient";
}

export interface RefRound {
  /** the server's model after the round */
  server: Vec;
  /** the point where each worker computed its gradient this round (undefined if inactive) */
  evalPoints: (Vec | undefined)[];
}

const zeros = (d: number): Vec => new Array<number>(d).fill(0);

/** C(x): encode the float32 rounding of x with `rng`, decode it (what the receiver gets). */
export function compress(c: Compressor, x: Vec, rng: RandomStream): Vec {
  const msg = c.encode(Float32Array.from(x), rng);
  return Array.from(c.decode(msg, x.length));
}

/** S_k: each worker independently with probability p (spec: "Partial participation"). */
export function activeSet(seed: bigint, round: number, n: number, p: number): number[] {
  if (p === 1) return [...Array(n).keys()];
  const u = participationStream(seed, round).uniforms(n);
  return [...Array(n).keys()].filter((i) => u[i]! < p);
}

export type RuleName = "sgd" | "qsgd" | "diana" | "biqsgd" | "artemis" | "artemis-nd" | "mcm" | "rand-mcm" | "dore" | "artemis-ef" | "double-squeeze" | "ef-sgd";

/**
 * Run `rounds` rounds of algorithm `name` from w0 with N workers. For the names whose link is
 * uncompressed by definition (sgd both ways, qsgd/diana down) pass the identity compressor.
 */
export function runReference(name: RuleName, cfg: RefConfig, w0: Vec, N: number, seed: bigint, rounds: number, grad: Grad): RefRound[] {
  const D = w0.length, { gamma, up, down, p } = cfg;
  // the DIANA family's ĝ = (1/(pN)) Σ_{i∈S} Δ^i + h, h = (1/N) Σ_i h^i (spec "Artemis")
  const c = 1 / (p * N);
  const memoryOn = !["sgd", "qsgd", "biqsgd", "double-squeeze", "ef-sgd"].includes(name);
  const alpha = memoryOn ? (cfg.alpha ?? 1 / (2 * (up.omega(D) + 1))) : 0;
  const alphaDown = cfg.alphaDown ?? 1 / (2 * (down.omega(D) + 1));
  const eta = cfg.eta ?? (down.unbiased ? 1 / (down.omega(D) + 1) : 1);
  const beta = cfg.beta ?? 1;
  const serverMemory = cfg.serverMemory ?? "all-workers";

  let w = w0.slice();                                 // the server's model (x for Dore/DoubleSqueeze)
  let view = w0.slice();                              // the shared view of Artemis-ND / MCM
  const H = w0.slice();                               // MCM's downlink memory
  const Hi = Array.from({ length: N }, () => w0.slice());      // Rand-MCM's H^i
  const views = Array.from({ length: N }, () => w0.slice());   // Rand-MCM's ŵ^i
  const hi = Array.from({ length: N }, () => zeros(D));        // worker memories h^i
  const hiServer = Array.from({ length: N }, () => zeros(D));  // the server's copies (active-workers)
  let h = zeros(D);                                   // the server memory (1/N) Σ h^i
  const started = new Array<boolean>(N).fill(cfg.memoryInit !== "first-gradient");
  const err = Array.from({ length: N }, () => zeros(D));       // worker errors δ^i / e^i
  let errServer = zeros(D);                           // server error δ / e
  const out: RefRound[] = [];

  for (let k = 0; k < rounds; k++) {
    const S = activeSet(seed, k, N, p);
    // Rand-MCM: each active worker gets its own compression of w_{k−1} − H^i (k > 0)
    if (name === "rand-mcm" && k > 0) {
      for (const i of S) {
        const x = compress(down, w.map((v, t) => v - Hi[i]![t]!), privateDownlinkStream(seed, k - 1, i));
        views[i] = Hi[i]!.map((v, t) => v + x[t]!);
        Hi[i] = Hi[i]!.map((v, t) => v + alphaDown * x[t]!);
      }
    }
    const evalPoints: (Vec | undefined)[] = new Array(N).fill(undefined);
    const sent: Vec[] = [];                           // the decoded uplinks of S, in order
    const init: (Vec | undefined)[] = [];             // ι^i: h^i_0 of the workers of S starting this round
    for (const i of S) {
      const at = name === "rand-mcm" ? views[i]! : name === "mcm" || name === "artemis-nd" ? view : w;
      evalPoints[i] = at.slice();
      const g = grad(i, at.slice(), k);
      const rng = uplinkStream(seed, k, i);
      if (name === "double-squeeze" || name === "ef-sgd") {
        // error feedback: send C(a·g + e^i), keep the residual (Tang et al. 2019; Zheng et al. 2019)
        const a = name === "ef-sgd" ? gamma : 1;
        const pv = g.map((v, t) => a * v + err[i]![t]!);
        const v = compress(up, pv, rng);
        err[i] = pv.map((x, t) => x - v[t]!);
        sent.push(v);
      } else {
        // the authors' smart initialisation: h^i_0 = g^i at the worker's first gradient (in f32, as sent)
        if (memoryOn && !started[i]) { hi[i] = g.map(Math.fround); started[i] = true; init[sent.length] = hi[i]!.slice(); }
        const delta = compress(up, g.map((v, t) => v - hi[i]![t]!), rng);     // Δ^i = C_up(g^i − h^i)
        hi[i] = hi[i]!.map((v, t) => v + alpha * delta[t]!);
        sent.push(delta);
      }
    }
    // ĝ (DIANA family) or v (error feedback): the weighted sum over the active workers
    const sum = zeros(D);
    for (let j = 0; j < S.length; j++) {
      // active-workers: the server's h^i, which is h^i_0 itself in the round it arrives; all-workers: ι^i
      if (init[j] && serverMemory === "active-workers") hiServer[S[j]!] = init[j]!.slice();
      const extra = serverMemory === "active-workers" && memoryOn ? hiServer[S[j]!]! : init[j] ?? zeros(D);
      for (let t = 0; t < D; t++) sum[t] += sent[j]![t]! + extra[t]!;
    }
    const ghat = sum.map((s, t) => c * s + (serverMemory === "all-workers" ? h[t]! : 0));
    // memory step: h += α (1/N) Σ_{i∈S} Δ^i, or the server's copy of each active h^i
    if (memoryOn) {
      if (serverMemory === "all-workers") {
        const plain = zeros(D);
        for (const v of sent) for (let t = 0; t < D; t++) plain[t] += v[t]!;
        h = h.map((v, t) => v + (alpha / N) * plain[t]!);
        for (const x of init) if (x) h = h.map((v, t) => v + x[t]! / N);     // h = (1/N) Σ_i h^i again
      } else S.forEach((i, j) => { hiServer[i] = hiServer[i]!.map((v, t) => v + alpha * sent[j]![t]!); });
    }
    const dl = downlinkStream(seed, k);
    switch (name) {
      case "sgd": case "qsgd": case "diana": case "biqsgd": case "artemis": {
        const x = compress(down, ghat, dl);           // w_k = w_{k−1} − γ C_down(ĝ_k) on every party
        w = w.map((v, t) => v - gamma * x[t]!);
        break;
      }
      case "artemis-nd": {
        const x = compress(down, ghat, dl);           // workers: ŵ −= γ C_down(ĝ); server: exact ĝ
        view = view.map((v, t) => v - gamma * x[t]!);
        w = w.map((v, t) => v - gamma * ghat[t]!);
        break;
      }
      case "mcm": {
        w = w.map((v, t) => v - gamma * ghat[t]!);    // the central model is never degraded
        const x = compress(down, w.map((v, t) => v - H[t]!), dl);      // C_down(Ω_k), Ω_k = w_k − H_{k−1}
        view = H.map((v, t) => v + x[t]!);
        for (let t = 0; t < D; t++) H[t] += alphaDown * x[t]!;
        break;
      }
      case "rand-mcm":
        w = w.map((v, t) => v - gamma * ghat[t]!);
        break;
      case "dore": {
        // DORE (Liu et al. 2019, Alg. 1): q = x^{k+1} − x̂^k + η e = η e − γ ĝ; q̂ = C(q); e = q − q̂; x̂ += β q̂
        const q = ghat.map((g, t) => eta * errServer[t]! - gamma * g);
        const qh = compress(down, q, dl);
        errServer = q.map((v, t) => v - qh[t]!);
        w = w.map((v, t) => v + beta * qh[t]!);
        break;
      }
      case "artemis-ef": {
        // the Artemis authors' "Dore": ω = C_down(ĝ + η e), e = ĝ + η e − ω, w_k = w_{k−1} − γ ω everywhere
        const v = ghat.map((g, t) => g + eta * errServer[t]!);
        const x = compress(down, v, dl);
        errServer = v.map((a, t) => a - x[t]!);
        w = w.map((a, t) => a - gamma * x[t]!);
        break;
      }
      case "double-squeeze": case "ef-sgd": {
        const pv = ghat.map((v, t) => v + errServer[t]!);
        const vbar = compress(down, pv, dl);
        errServer = pv.map((v, t) => v - vbar[t]!);
        const step = name === "ef-sgd" ? 1 : gamma;
        w = w.map((v, t) => v - step * vbar[t]!);
        break;
      }
    }
    out.push({ server: w.slice(), evalPoints });
  }
  return out;
}
