// The main thread's handle on one pool worker (Node worker_threads), synchronous on purpose: the
// simulator, Chain.step() and every caller stay synchronous, and a round is one post to each
// worker, the main thread's own share of clients, then one blocking wait per worker
// (Atomics.wait on a shared flag, then receiveMessageOnPort; the handshake is protocol.ts's:
// numbered requests, the flag set to the number of the reply posted, DEAD once the worker thread
// has ended). A blocked main thread runs no event-loop callback (no 'exit' event), hence the flag
// set by the worker's own exit handler. node:worker_threads is reached
// through process.getBuiltinModule, so nothing here is a static Node import for browser bundles.
import { FedquantError } from "../../errors.js";
import { DEAD, fromWire, nextSeq, type Reply, type Request } from "./protocol.js";
import { killWorker, spawnWorker } from "./warden.js";

type WorkerThreads = typeof import("node:worker_threads");
type NodeModule = typeof import("node:module");

function builtin<T>(name: string): T {
  const get = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process?.getBuiltinModule;
  if (typeof get !== "function") {
    throw new FedquantError("E_CONFIG", "threads > 1 needs Node ≥ 20.16 (worker_threads and process.getBuiltinModule); in a browser run with threads: 1");
  }
  return get(name) as T;
}

/**
 * Where the worker's code is: worker.js beside this module once built; from the TypeScript
 * sources (tests, tsx) a bootstrap registers tsx in the worker first.
 */
function entry(wt: WorkerThreads): { file: string | URL; eval: boolean; tsx?: string } {
  const here = import.meta.url;
  // a computed name: bundlers must not take the Node-only worker for a browser asset
  const name = (ext: string) => `worker.${ext}`;
  if (!here.endsWith(".ts")) return { file: new URL(name("js"), here), eval: false };
  const { createRequire } = builtin<NodeModule>("node:module");
  const { pathToFileURL } = builtin<typeof import("node:url")>("node:url");
  void wt;
  // the ESM build of tsx's API (its CommonJS one resolves its own chunks wrongly from eval code)
  const api = createRequire(here).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs");
  return { file: new URL(name("ts"), here), eval: true, tsx: pathToFileURL(api).href };
}

// a worker that cannot even load its code must still answer, or the main thread would wait forever:
// the error (unnumbered: it answers whatever was asked) and the flag at DEAD
const BOOT = `const { workerData } = require("node:worker_threads");
const f = new Int32Array(workerData.flag);
const dead = () => { Atomics.store(f, 0, ${DEAD}); Atomics.notify(f, 0); };
process.on("exit", dead);
const fail = (e) => { workerData.port.postMessage({ op: "error", error: { code: "E_WASM", message: "pool worker failed to start: " + (e && e.message) } }); dead(); };
import(workerData.tsx).then((m) => { m.register(); return import(workerData.entry); }).catch(fail);`;

/** How long a reply may lag behind its flag before the exchange is called broken (ms). */
const LAG_MS = 2000;

export class PoolThread {
  private readonly wt: WorkerThreads;
  // types only, through `typeof import`: nothing Node-only is imported for a browser bundle
  /** the worker, started and watched by the warden (warden.ts) */
  private readonly worker: number;
  private readonly port: InstanceType<WorkerThreads["MessagePort"]>;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private busy = false;
  /** the number of the last request posted */
  private seq = 0;
  get pending(): boolean { return this.busy; }
  /** false once the worker thread has ended (it set the flag to DEAD) */
  get alive(): boolean { return Atomics.load(this.signal, 0) !== DEAD; }

  /**
   * `code` (tests): a worker script of one's own, evaluated with the same workerData { port, flag };
   * `resourceLimits` (tests): those of worker_threads.
   */
  constructor(code?: string, resourceLimits?: Record<string, number>) {
    this.wt = builtin<WorkerThreads>("node:worker_threads");
    const { port1, port2 } = new this.wt.MessageChannel();
    const e = entry(this.wt);
    const workerData = { port: port2, flag: this.signal.buffer, tsx: e.tsx, entry: String(e.file) };
    const ev = code !== undefined || e.eval;
    this.worker = spawnWorker(this.wt, { source: ev ? code ?? BOOT : String(e.file), eval: ev, workerData, resourceLimits });
    // an idle worker's port must not keep the process alive
    this.port = port1;
    this.port.unref();
  }

  /** Send a request; the reply is collected by wait(). */
  post(req: Request, transfer: ArrayBuffer[] = []): void {
    if (this.busy) throw new FedquantError("E_STATE", "pool worker: a request is already in flight");
    // checked before posting, so that nothing (a transferred downlink) is detached for nothing
    if (!this.alive) throw this.startError() ?? new FedquantError("E_STATE", "pool worker: the worker thread has exited");
    this.seq = nextSeq(this.seq);
    this.port.postMessage({ ...req, seq: this.seq }, transfer);
    this.busy = true;
  }

  /** Block until the worker answers; a worker's error is rethrown here as a FedquantError. */
  wait(): Reply {
    if (!this.busy) throw new FedquantError("E_STATE", "pool worker: nothing to wait for");
    this.busy = false;
    // Sleep while the flag holds anything but our number or DEAD. Waiting on the value just read
    // cannot lose a wake-up (a change since the load returns "not-equal" at once), and a wake-up
    // for an older number (a late notify) only sends us back to sleep. No time limit: a client
    // step may be long, and a worker that ends sets DEAD.
    for (let v = Atomics.load(this.signal, 0); v !== this.seq && v !== DEAD; v = Atomics.load(this.signal, 0)) {
      Atomics.wait(this.signal, 0, v, 1000);
    }
    const r = this.take();
    if (r.op === "error") throw fromWire(r.error);
    return r;
  }

  /** Our reply from the port: posted before the flag was set, so it is queued (a bounded wait otherwise). */
  private take(): Reply {
    const until = Date.now() + LAG_MS;
    for (;;) {
      const got = this.wt.receiveMessageOnPort(this.port);
      if (got) {
        const r = got.message as Reply;
        if (r.seq === this.seq) return r;
        if (r.seq === undefined && r.op === "error") return r; // the worker could not start (BOOT)
        continue; // an older reply nobody waited for: not ours
      }
      if (!this.alive) throw new FedquantError("E_STATE", "pool worker: the worker thread exited without answering");
      if (Date.now() > until) throw new FedquantError("E_STATE", `pool worker: no reply ${LAG_MS} ms after its signal`);
      Atomics.wait(this.signal, 0, this.seq, 1); // a 1 ms sleep (the flag stays at our number unless the worker ends)
    }
  }

  /** The error of a worker that could not start (BOOT's unnumbered reply), if it is queued. */
  private startError(): FedquantError | undefined {
    for (let got = this.wt.receiveMessageOnPort(this.port); got; got = this.wt.receiveMessageOnPort(this.port)) {
      const r = got.message as Reply;
      if (r.seq === undefined && r.op === "error") return fromWire(r.error);
    }
    return undefined;
  }

  call(req: Request, transfer: ArrayBuffer[] = []): Reply {
    this.post(req, transfer);
    return this.wait();
  }

  close(): void { killWorker(this.worker); this.port.close(); }
}

// Started workers are kept for the next pool (a run of several algorithms, a test file): a worker
// costs a thread start, a module graph and a wasm compile. Idle ones never keep the process alive.
const idle: PoolThread[] = [];

/** A worker: an idle one if any, else a new one. */
export function acquireThread(): PoolThread {
  for (let th = idle.pop(); th; th = idle.pop()) { if (th.alive) return th; th.close(); }
  return new PoolThread();
}

/** Give back a worker after a clean exchange (one whose last request failed is terminated instead). */
export function releaseThread(th: PoolThread, healthy: boolean): void {
  if (healthy && !th.pending && th.alive) idle.push(th); else th.close();
}

/** Terminate every idle worker (they would otherwise live, unreferenced, until the process exits). */
export function closeIdleThreads(): void { for (const th of idle.splice(0)) th.close(); }
