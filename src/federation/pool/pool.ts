// A pool of threads hosting the clients of one run (issue #13): clients are independent within a
// round (own data, state and Philox streams), so running them on other threads changes no bit.
// Assignment is deterministic — the j-th client of the id list lives on thread j mod T, thread 0
// being the calling thread — and uplinks are gathered in the order of the downlinks, so the server
// sees exactly what the one-thread loop would give it. Downlink and uplink buffers are moved
// (transferred), not copied, where the caller no longer needs them.
import { describeValue } from "../../describe.js";
import type { ClientId, ClientState } from "../../algorithms/index.js";
import { FedquantError } from "../../errors.js";
import { kernel } from "../../kernel/index.js";
import type { Dataset } from "../../models/index.js";
import type { ChainState } from "../../sampling/browser.js";
import { movable, type Reply, type WireError } from "./protocol.js";
import { buildParties, restoreParty, type HostedClient, type Party, type Recipe } from "./recipe.js";
import { acquireThread, fromWire, releaseThread, type PoolThread } from "./thread.js";

/** Checks a thread count (an integer ≥ 1). */
export function checkThreads(t: unknown, what = "threads"): number {
  if (typeof t !== "number" || !Number.isInteger(t) || t < 1 || t > 1024) throw new FedquantError("E_CONFIG", `${what} must be an integer in [1, 1024], got ${describeValue(t)}`);
  return t;
}

export interface PoolState { clients: ClientState[]; oracles: ChainState[] }

export class ClientPool {
  /** thread index of each client id */
  private readonly home = new Map<ClientId, number>();
  private local: Map<ClientId, Party>;
  private readonly threads: PoolThread[] = [];
  /** false once a worker failed: its state is unknown, so it is not reused */
  private healthy = true;

  /**
   * `threads` is capped at the number of clients (T − 1 workers are started); data(id) is the
   * client's dataset. Throws what building a client throws, from whichever thread.
   */
  constructor(threads: number, private readonly recipe: Recipe, private readonly ids: readonly ClientId[], data: (id: ClientId) => Dataset) {
    const T = Math.min(checkThreads(threads), ids.length);
    const hosted: HostedClient[][] = Array.from({ length: T }, () => []);
    ids.forEach((id, j) => { this.home.set(id, j % T); hosted[j % T]!.push({ id, data: data(id) }); });
    const flavour = kernel().flavour;
    try {
      for (let t = 1; t < T; t++) {
        const th = acquireThread();
        this.threads.push(th);
        th.post({ op: "init", flavour, recipe, hosted: hosted[t]! });
      }
      this.local = buildParties(recipe, hosted[0]!);
      let err: unknown;
      for (const th of this.threads) { try { th.wait(); } catch (e) { err ??= e; } }
      if (err !== undefined) throw err;
    } catch (e) { this.healthy = false; this.close(); throw e; }
  }

  /** Threads in use, the calling one included. */
  get size(): number { return this.threads.length + 1; }

  /**
   * Step every client addressed by `downlinks` (round `round`); returns their uplinks in the
   * order of `downlinks`. With `move`, the downlink buffers are transferred (detached here).
   */
  step(round: number, downlinks: ReadonlyMap<ClientId, Uint8Array>, move = false): Map<ClientId, Uint8Array> {
    const order = [...downlinks.keys()];
    const batches: [ClientId, Uint8Array][][] = this.threads.map(() => []);
    const mine: ClientId[] = [];
    for (const [id, bytes] of downlinks) {
      const t = this.home.get(id);
      if (t === undefined) throw new FedquantError("E_PROTOCOL", `round ${round}: a downlink for client ${id}, who is not in this pool`);
      if (t === 0) mine.push(id); else batches[t - 1]!.push([id, bytes]);
    }
    const posted: PoolThread[] = [];
    this.threads.forEach((th, t) => {
      const b = batches[t]!;
      if (b.length === 0) return;
      th.post({ op: "step", round, downlinks: b }, move ? movable(b.map((x) => x[1])) : []);
      posted.push(th);
    });
    const up = new Map<ClientId, Uint8Array>();
    const failures: { id: ClientId; error: unknown }[] = [];
    for (const id of mine) {
      const p = this.local.get(id)!;
      try { up.set(id, p.client.step(round, downlinks.get(id)!, p.oracle)); } catch (e) { failures.push({ id, error: e }); break; }
    }
    for (const th of posted) {
      let r: Reply;
      try { r = th.wait(); } catch (e) { this.healthy = false; failures.push({ id: -1, error: e }); continue; }
      if (r.op !== "step") continue;
      for (const [id, bytes] of r.uplinks) up.set(id, bytes);
      if (r.failed) failures.push({ id: r.failed.id, error: fromWire(r.failed.error as WireError) });
    }
    if (failures.length > 0) {
      // the error the one-thread loop would have met first: the earliest failing client in order
      const pos = (id: ClientId) => (id < 0 ? -1 : order.indexOf(id));
      failures.sort((a, b) => pos(a.id) - pos(b.id));
      throw failures[0]!.error;
    }
    const out = new Map<ClientId, Uint8Array>();
    for (const id of order) out.set(id, up.get(id)!);
    return out;
  }

  /** Every client's checkpoint and oracle state, in the order of the id list. */
  save(): PoolState {
    for (const th of this.threads) th.post({ op: "save" });
    const got = new Map<ClientId, [ClientState, ChainState | undefined]>();
    for (const [id, p] of this.local) got.set(id, [p.client.toJSON(), p.saveOracle()]);
    for (const th of this.threads) {
      const r = th.wait();
      if (r.op === "save") for (const [id, c, o] of r.states) got.set(id, [c, o]);
    }
    return { clients: this.ids.map((id) => got.get(id)![0]), oracles: this.ids.map((id) => got.get(id)![1] ?? {}) };
  }

  /** Restore every client (states in the order of the id list). */
  load(clients: readonly ClientState[], oracles: readonly ChainState[]): void {
    if (clients.length !== this.ids.length || oracles.length !== this.ids.length) throw new FedquantError("E_STATE", `pool: ${clients.length} client states for ${this.ids.length} clients`);
    const batches: [ClientId, ClientState, ChainState | undefined][][] = this.threads.map(() => []);
    const local = new Map(this.local);
    this.ids.forEach((id, j) => {
      const t = this.home.get(id)!;
      if (t === 0) local.set(id, restoreParty(this.recipe, local.get(id)!, clients[j]!, oracles[j]));
      else batches[t - 1]!.push([id, clients[j]!, oracles[j]]);
    });
    this.threads.forEach((th, t) => th.post({ op: "load", states: batches[t]! }));
    let err: unknown;
    for (const th of this.threads) { try { th.wait(); } catch (e) { err ??= e; } }
    if (err !== undefined) throw err;
    this.local = local;
  }

  /** Release the workers (kept warm for the next pool; closeIdleThreads() ends them). */
  close(): void {
    for (const th of this.threads) releaseThread(th, this.healthy);
    this.threads.length = 0;
  }
}
