// One E5 run: an algorithm's server and 20 clients exchanging real envelopes round by round (the
// loop of federation/simulator.ts, written out so each part can be timed), test accuracy every
// evalEvery rounds, cumulative payload bits up and down, and the CPU time of each part of a round:
//   gradient — TF.js forward + backward on the client's minibatch (inside the oracle);
//   client   — the rest of client.step: decode the downlink, encode the uplink (fedquant);
//   server   — broadcast + receive: decode the uplinks, aggregate, encode the downlink (fedquant).
import { cpuUsage } from "node:process";
import { createAlgorithm, envelopeBits, toSeed, type AlgorithmConfig, type ClientId, type GradientOracle } from "../algorithms/index.js";
import { FedquantError } from "../errors.js";
import { minibatchOracle } from "../federation/simulator-oracle.js";
import type { Dataset } from "../models/index.js";
import type { TfjsObjective } from "../tfjs/index.js";
import { E5_COMPRESSORS, E5_GAMMA, type E5Algorithm, type E5Size } from "./e5-config.js";

export interface E5Trace {
  label: string;
  algorithm: string;
  compressor: string;
  rounds: number[];
  accuracy: number[];
  /** cumulative payload bits, all clients */
  bitsUp: number[];
  bitsDown: number[];
  /** CPU milliseconds per round (means over the run) */
  ms: { gradient: number; client: number; server: number; evaluation: number };
  /** the round at which the run diverged (a non-finite model or gradient), if it did */
  diverged?: number;
  /** clients per round (bits per client = bits / (rounds × this)) */
  bitsPerClientDivisor: number;
  /** the server's model at the end (not written to the results) */
  finalW?: Float64Array;
}

const cpuMs = () => { const u = cpuUsage(); return (u.user + u.system) / 1000; };

export function algorithmConfig(a: E5Algorithm): AlgorithmConfig {
  const cfg: AlgorithmConfig = { gamma: E5_GAMMA };
  if (a.compressor) cfg.up = E5_COMPRESSORS[a.compressor];
  if (a.compressor && a.downlink) cfg.down = E5_COMPRESSORS[a.compressor];
  return cfg;
}

export function runE5Algorithm(a: E5Algorithm, obj: TfjsObjective, clientsData: readonly Dataset[], test: Dataset, w0: Float64Array, size: E5Size, seed: number, onRound?: (k: number) => void): E5Trace {
  const algo = createAlgorithm(a.name, algorithmConfig(a));
  const s = toSeed(seed);
  const N = clientsData.length;
  const server = algo.createServer({ w0, clients: N, seed: s });
  const clients = Array.from({ length: N }, (_, id) => algo.createClient({ id, w0, seed: s }));
  let gradMs = 0;
  const oracles: GradientOracle[] = clientsData.map((d) => {
    const o = minibatchOracle(obj, d, s, size.batch);
    return (w, out, ctx) => { const t = cpuMs(); o(w, out, ctx); gradMs += cpuMs() - t; };
  });
  const tr: E5Trace = { label: a.label, algorithm: a.name, bitsPerClientDivisor: N, compressor: a.compressor ?? "f32", rounds: [], accuracy: [], bitsUp: [], bitsDown: [], ms: { gradient: 0, client: 0, server: 0, evaluation: 0 } };
  let up = 0, down = 0, clientMs = 0, serverMs = 0, evalMs = 0;
  const record = (k: number) => {
    const t = cpuMs();
    tr.rounds.push(k); tr.accuracy.push(obj.accuracy(server.model, test)); tr.bitsUp.push(up); tr.bitsDown.push(down);
    evalMs += cpuMs() - t;
  };
  record(0);
  for (let k = 1; k <= size.rounds; k++) {
    const round = k - 1;
    if (!server.model.every(Number.isFinite)) { tr.diverged = k - 1; break; }
    let t = cpuMs();
    const downlinks = server.broadcast(round);
    serverMs += cpuMs() - t;
    const uplinks = new Map<ClientId, Uint8Array>();
    for (const [id, bytes] of downlinks) {
      down += envelopeBits(bytes).payloadBits;
      const g0 = gradMs;
      t = cpuMs();
      let msg: Uint8Array;
      try { msg = clients[id]!.step(round, bytes, oracles[id]!); } catch (e) {
        // a non-finite gradient (the run diverged) is refused by the compressors: stop this run here
        if (e instanceof FedquantError && e.code === "E_INPUT") { tr.diverged = k; break; }
        throw e;
      }
      clientMs += cpuMs() - t - (gradMs - g0);
      if (tr.diverged !== undefined) break;
      up += envelopeBits(msg).payloadBits;
      uplinks.set(id, msg);
    }
    if (tr.diverged !== undefined) break;
    t = cpuMs();
    server.receive(round, uplinks);
    serverMs += cpuMs() - t;
    if (k % size.evalEvery === 0 || k === size.rounds) record(k);
    onRound?.(k);
  }
  const R = Math.max(1, tr.diverged ?? size.rounds);
  tr.ms = { gradient: gradMs / R, client: clientMs / R, server: serverMs / R, evaluation: evalMs / tr.rounds.length };
  tr.finalW = server.model.slice();
  return tr;
}
