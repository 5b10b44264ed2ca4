// The client pool in browsers (issue #13): the clients of a run on Web Workers, with the same
// assignment, gathering and error order as the Node pool (core.ts), so a run is bit-identical to
// one thread. A browser's main thread may not block (Atomics.wait), so every exchange here is
// awaited: step() and federatedLoss() return promises, and simulateAsync() drives them. Buffers
// are transferred, not copied, where the caller no longer needs them; nothing needs
// SharedArrayBuffer (a page without cross-origin isolation has none), so the model for the loss
// curve travels with the request.
import type { ClientId, ClientState } from "../../algorithms/index.js";
import { FedquantError } from "../../errors.js";
import { kernel } from "../../kernel/index.js";
import type { Dataset } from "../../models/index.js";
import { LossRound, PoolCore, StepRound } from "./core.js";
import { fromWire, movable, type Reply, type Request } from "./protocol.js";
import { restoreParty, type Recipe } from "./recipe.js";
import type { ChainState } from "../../sampling/browser.js";

/** The part of a Web Worker the pool uses (a DOM Worker; a test may pass anything alike). */
export interface WorkerLike {
  postMessage(m: unknown, transfer: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
  terminate(): void;
}

/** Makes one pool worker running web-worker.ts. */
export type WorkerFactory = () => WorkerLike;

/**
 * The module worker of this package (dist/federation/pool/web-worker.js, beside this file). With
 * bundlers that do not follow it, pass your own factory:
 * `() => new Worker(new URL("fedquant/dist/federation/pool/web-worker.js", import.meta.url), { type: "module" })`.
 */
export const defaultWorkerFactory: WorkerFactory = () => {
  if (typeof Worker !== "function") throw new FedquantError("E_CONFIG", "threads > 1 in this environment needs Web Workers (or, in Node, the synchronous simulate())");
  // the literal `new Worker(new URL("…", import.meta.url), { type: "module" })`: the form Vite,
  // webpack 5 and Parcel recognise, bundling the worker module with what it imports
  return new Worker(new URL("./web-worker.js", import.meta.url), { type: "module", name: "fedquant pool" });
};

/** One Web Worker, one request in flight at a time. */
class WebThread {
  private pending?: { resolve: (r: Reply) => void; reject: (e: unknown) => void };
  private dead?: FedquantError;

  constructor(private readonly worker: WorkerLike) {
    worker.onmessage = (ev) => {
      const p = this.pending;
      this.pending = undefined;
      const r = ev.data as Reply;
      if (r.op === "error") p?.reject(fromWire(r.error)); else p?.resolve(r);
    };
    // a worker that cannot load its module (or throws outside a request) must not leave us waiting
    worker.onerror = (ev) => {
      ev.preventDefault?.();
      this.dead = new FedquantError("E_WASM", `pool worker failed: ${ev.message || "it could not start (is web-worker.js served?)"}`);
      const p = this.pending;
      this.pending = undefined;
      p?.reject(this.dead);
    };
  }

  request(req: Request, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.pending) return Promise.reject(new FedquantError("E_STATE", "pool worker: a request is already in flight"));
    return new Promise<Reply>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(req, transfer);
    });
  }

  /** Terminate the worker; a request in flight is rejected (E_STATE), never left pending. */
  close(): void {
    this.worker.terminate();
    this.dead ??= new FedquantError("E_STATE", "pool worker: the pool was closed");
    const p = this.pending;
    this.pending = undefined;
    p?.reject(this.dead);
  }
}

/** Every reply, in thread order, a rejected one as { lost }. */
async function gather(replies: Promise<Reply>[], take: (r: Reply | { lost: unknown }) => void): Promise<void> {
  const settled = await Promise.allSettled(replies);
  for (const s of settled) take(s.status === "fulfilled" ? s.value : { lost: s.reason });
}

export class WebClientPool {
  private closed = false;
  private constructor(private readonly core: PoolCore, private readonly threads: WebThread[]) {}

  /** A closed pool has no workers: a request now would find their clients missing. */
  private live(what: string): void {
    if (this.closed) throw new FedquantError("E_STATE", `pool: ${what} after close()`);
  }

  /**
   * `threads` (the calling one included) is capped at the number of clients; T − 1 workers are
   * made by `makeWorker`. Rejects with what building a client throws, from whichever thread.
   */
  static async create(threads: number, recipe: Recipe, ids: readonly ClientId[], data: (id: ClientId) => Dataset, makeWorker: WorkerFactory = defaultWorkerFactory): Promise<WebClientPool> {
    const core = new PoolCore(threads, recipe, ids, data);
    const flavour = kernel().flavour;
    const made: WebThread[] = [];
    try {
      for (let t = 0; t < core.workers; t++) made.push(new WebThread(makeWorker()));
      const inits = made.map((th, t) => th.request({ op: "init", flavour, recipe, hosted: core.hosted[t]! }));
      core.buildMine();
      let err: unknown;
      await gather(inits, (r) => { if ("lost" in r) err ??= r.lost; });
      if (err !== undefined) throw err;
    } catch (e) { for (const th of made) th.close(); throw e; }
    return new WebClientPool(core, made);
  }

  get size(): number { return this.threads.length + 1; }

  /** As ClientPool.step, awaited: the uplinks in the order of `downlinks`. */
  async step(round: number, downlinks: ReadonlyMap<ClientId, Uint8Array>, move = false): Promise<Map<ClientId, Uint8Array>> {
    this.live("step");
    const s = new StepRound(this.core, round, downlinks);
    const replies: Promise<Reply>[] = [];
    this.threads.forEach((th, t) => {
      const b = s.batches[t]!;
      if (b.length > 0) replies.push(th.request({ op: "step", round, downlinks: b }, move ? movable(b.map((x) => x[1])) : []));
    });
    s.runMine();
    await gather(replies, (r) => s.take(r));
    return s.result();
  }

  /** As ClientPool.federatedLoss, awaited (w is copied to each worker). */
  async federatedLoss(w: Float64Array): Promise<number> {
    this.live("loss");
    this.core.checkLossRecipe();
    const replies = this.threads.map((th) => th.request({ op: "loss", w }));
    const l = new LossRound(this.core);
    l.runMine(w);
    await gather(replies, (r) => l.take(r));
    return l.result();
  }

  /** As ClientPool.save, awaited: every client's checkpoint and oracle state, in the order of the id list. */
  async save(): Promise<{ clients: ClientState[]; oracles: ChainState[] }> {
    this.live("save");
    const replies = this.threads.map((th) => th.request({ op: "save" }));
    const got = new Map<ClientId, [ClientState, ChainState | undefined]>();
    for (const [id, p] of this.core.local) got.set(id, [p.client.toJSON(), p.saveOracle()]);
    let err: unknown;
    // every worker is waited for, so none is left with a request in flight
    await gather(replies, (r) => {
      if ("lost" in r) err ??= r.lost;
      else if (r.op === "save") for (const [id, c, o] of r.states) got.set(id, [c, o]);
    });
    if (err !== undefined) throw err;
    const ids = this.core.ids;
    return { clients: ids.map((id) => got.get(id)![0]), oracles: ids.map((id) => got.get(id)![1] ?? {}) };
  }

  /** As ClientPool.load, awaited: restore every client (states in the order of the id list). */
  async load(clients: readonly ClientState[], oracles: readonly ChainState[]): Promise<void> {
    this.live("load");
    const ids = this.core.ids;
    if (clients.length !== ids.length || oracles.length !== ids.length) throw new FedquantError("E_STATE", `pool: ${clients.length} client states and ${oracles.length} oracle states for ${ids.length} clients`);
    const batches: [ClientId, ClientState, ChainState | undefined][][] = this.threads.map(() => []);
    const local = new Map(this.core.local);
    ids.forEach((id, j) => {
      const t = this.core.home.get(id)!;
      if (t === 0) local.set(id, restoreParty(this.core.recipe, local.get(id)!, clients[j]!, oracles[j]));
      else batches[t - 1]!.push([id, clients[j]!, oracles[j]]);
    });
    let err: unknown;
    await gather(this.threads.map((th, t) => th.request({ op: "load", states: batches[t]! })), (r) => { if ("lost" in r) err ??= r.lost; });
    if (err !== undefined) throw err;
    this.core.local = local;
  }

  /** Terminate the workers. */
  close(): void { this.closed = true; for (const th of this.threads) th.close(); this.threads.length = 0; }
}
