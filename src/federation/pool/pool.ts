// A pool of threads hosting the clients of one run (issue #13), Node: clients are independent
// within a round (own data, state and Philox streams), so running them on other threads changes
// no bit. Assignment and gathering are core.ts's; this file talks to worker_threads synchronously
// (thread.ts), so simulate() and Chain.step() stay synchronous. Downlink and uplink buffers are
// moved (transferred), not copied, where the caller no longer needs them; the model for the loss
// curve is written once into shared memory, not sent.
import type { ClientId, ClientState } from "../../algorithms/index.js";
import { FedquantError } from "../../errors.js";
import { kernel } from "../../kernel/index.js";
import type { Dataset } from "../../models/index.js";
import type { ChainState } from "../../sampling/browser.js";
import { LossRound, PoolCore, StepRound, uplinkDecoder, type UplinkDecoder } from "./core.js";
import { movable, type Reply } from "./protocol.js";
import { restoreParty, type Recipe } from "./recipe.js";
import { acquireThread, releaseThread, type PoolThread } from "./thread.js";

export { checkThreads } from "./core.js";

export interface PoolState { clients: ClientState[]; oracles: ChainState[] }

export class ClientPool {
  private readonly core: PoolCore;
  private readonly threads: PoolThread[] = [];
  /** false once a worker failed: its state is unknown, so it is not reused */
  private healthy = true;
  /** the model at which the workers evaluate F_i (optimisation runs with workers only) */
  private readonly shared?: Float64Array;
  /** the server's uplink decode, run by the thread that made each uplink (ServerBase.receive `decoded`) */
  private readonly decode: UplinkDecoder;

  /**
   * `threads` is capped at the number of clients (T − 1 workers are started); data(id) is the
   * client's dataset. Throws what building a client throws, from whichever thread.
   */
  constructor(threads: number, private readonly recipe: Recipe, private readonly ids: readonly ClientId[], data: (id: ClientId) => Dataset) {
    this.core = new PoolCore(threads, recipe, ids, data);
    this.decode = uplinkDecoder(recipe);
    const flavour = kernel().flavour;
    // shared, not sent: the workers read w from here for the loss curve (no copy per evaluation)
    const model = this.core.workers > 0 && recipe.kind === "optimizer" ? new SharedArrayBuffer(8 * recipe.w0.length) : undefined;
    if (model) this.shared = new Float64Array(model);
    try {
      for (const hosted of this.core.hosted) {
        const th = acquireThread();
        this.threads.push(th);
        th.post({ op: "init", flavour, recipe, hosted, model });
      }
      this.core.buildMine();
      let err: unknown;
      for (const th of this.threads) { try { th.wait(); } catch (e) { err ??= e; } }
      if (err !== undefined) throw err;
    } catch (e) { this.healthy = false; this.close(); throw e; }
  }

  /** Threads in use, the calling one included. */
  get size(): number { return this.threads.length + 1; }

  /** Every worker's reply, in thread order (a failed wait becomes { lost }). */
  private gather(posted: readonly PoolThread[], take: (r: Reply | { lost: unknown }) => void): void {
    for (const th of posted) {
      let r: Reply;
      try { r = th.wait(); } catch (e) { this.healthy = false; take({ lost: e }); continue; }
      take(r);
    }
  }

  /**
   * Step every client addressed by `downlinks` (round `round`); returns their uplinks in the
   * order of `downlinks`. With `move`, the downlink buffers are transferred (detached here).
   * Each thread also decodes the uplinks it made, as the server would; the map carries them
   * (attachDecoded), so server.receive(round, map) only aggregates (the serial part of a round).
   */
  step(round: number, downlinks: ReadonlyMap<ClientId, Uint8Array>, move = false): Map<ClientId, Uint8Array> {
    const s = new StepRound(this.core, round, downlinks, this.decode);
    const posted: PoolThread[] = [];
    this.threads.forEach((th, t) => {
      const b = s.batches[t]!;
      if (b.length === 0) return;
      th.post({ op: "step", round, downlinks: b, decode: true }, move ? movable(b.map((x) => x[1])) : []);
      posted.push(th);
    });
    s.runMine();
    this.gather(posted, (r) => s.take(r));
    return s.result();
  }

  /**
   * F(w) = (1/N) Σ_i F_i(w) over the pool's clients (optimisation runs), each F_i evaluated on the
   * thread that holds the client's data; bit-identical to federatedLoss (core.ts LossRound).
   */
  federatedLoss(w: Float64Array): number {
    this.core.checkLossRecipe();
    const shared = this.shared;
    if (shared) {
      if (w.length !== shared.length) throw new FedquantError("E_DIM", `pool: a model of ${w.length} coordinates for ${shared.length}`);
      shared.set(w);
      for (const th of this.threads) th.post({ op: "loss" });
    }
    const l = new LossRound(this.core);
    l.runMine(w);
    if (shared) this.gather(this.threads, (r) => l.take(r));
    return l.result();
  }

  /** Every client's checkpoint and oracle state, in the order of the id list. */
  save(): PoolState {
    for (const th of this.threads) th.post({ op: "save" });
    const got = new Map<ClientId, [ClientState, ChainState | undefined]>();
    for (const [id, p] of this.core.local) got.set(id, [p.client.toJSON(), p.saveOracle()]);
    let err: unknown;
    for (const th of this.threads) {
      // every worker is waited for, so none is left with an unread reply
      try {
        const r = th.wait();
        if (r.op === "save") for (const [id, c, o] of r.states) got.set(id, [c, o]);
      } catch (e) { this.healthy = false; err ??= e; }
    }
    if (err !== undefined) throw err;
    return { clients: this.ids.map((id) => got.get(id)![0]), oracles: this.ids.map((id) => got.get(id)![1] ?? {}) };
  }

  /** Restore every client (states in the order of the id list). */
  load(clients: readonly ClientState[], oracles: readonly ChainState[]): void {
    if (clients.length !== this.ids.length || oracles.length !== this.ids.length) throw new FedquantError("E_STATE", `pool: ${clients.length} client states for ${this.ids.length} clients`);
    const batches: [ClientId, ClientState, ChainState | undefined][][] = this.threads.map(() => []);
    const local = new Map(this.core.local);
    this.ids.forEach((id, j) => {
      const t = this.core.home.get(id)!;
      if (t === 0) local.set(id, restoreParty(this.recipe, local.get(id)!, clients[j]!, oracles[j]));
      else batches[t - 1]!.push([id, clients[j]!, oracles[j]]);
    });
    this.threads.forEach((th, t) => th.post({ op: "load", states: batches[t]! }));
    let err: unknown;
    for (const th of this.threads) { try { th.wait(); } catch (e) { this.healthy = false; err ??= e; } }
    if (err !== undefined) throw err;
    this.core.local = local;
  }

  /** Release the workers (kept warm for the next pool; closeIdleThreads() ends them). */
  close(): void {
    for (const th of this.threads) releaseThread(th, this.healthy);
    this.threads.length = 0;
  }
}
