// The main thread's handle on one pool worker (Node worker_threads), synchronous on purpose: the
// simulator, Chain.step() and every caller stay synchronous, and a round is one post to each
// worker, the main thread's own share of clients, then one blocking wait per worker
// (Atomics.wait on a shared flag, then receiveMessageOnPort). node:worker_threads is reached
// through process.getBuiltinModule, so nothing here is a static Node import for browser bundles.
import { FedquantError } from "../../errors.js";
import { fromWire, type Reply, type Request } from "./protocol.js";

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

// a worker that cannot even load its code must still answer, or the main thread would wait forever
const BOOT = `const { workerData } = require("node:worker_threads");
const fail = (e) => { workerData.port.postMessage({ op: "error", error: { code: "E_WASM", message: "pool worker failed to start: " + (e && e.message) } });
  const f = new Int32Array(workerData.flag); Atomics.store(f, 0, 1); Atomics.notify(f, 0); };
import(workerData.tsx).then((m) => { m.register(); return import(workerData.entry); }).catch(fail);`;

export class PoolThread {
  private readonly wt: WorkerThreads;
  // types only, through `typeof import`: nothing Node-only is imported for a browser bundle
  private readonly worker: InstanceType<WorkerThreads["Worker"]>;
  private readonly port: InstanceType<WorkerThreads["MessagePort"]>;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private busy = false;
  get pending(): boolean { return this.busy; }

  constructor() {
    this.wt = builtin<WorkerThreads>("node:worker_threads");
    const { port1, port2 } = new this.wt.MessageChannel();
    const e = entry(this.wt);
    const workerData = { port: port2, flag: this.signal.buffer, tsx: e.tsx, entry: String(e.file) };
    this.worker = e.eval
      ? new this.wt.Worker(BOOT, { eval: true, workerData, transferList: [port2] })
      : new this.wt.Worker(e.file, { workerData, transferList: [port2] });
    // idle workers must not keep the process alive, nor may their stderr be lost
    this.worker.unref();
    this.worker.on("error", () => {});
    this.port = port1;
    this.port.unref();
  }

  /** Send a request; the reply is collected by wait(). */
  post(req: Request, transfer: ArrayBuffer[] = []): void {
    if (this.busy) throw new FedquantError("E_STATE", "pool worker: a request is already in flight");
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage(req, transfer);
    this.busy = true;
  }

  /** Block until the worker answers; a worker's error is rethrown here as a FedquantError. */
  wait(): Reply {
    if (!this.busy) throw new FedquantError("E_STATE", "pool worker: nothing to wait for");
    while (Atomics.wait(this.signal, 0, 0, 1000) === "timed-out") { /* a long client step: keep waiting */ }
    this.busy = false;
    // the flag can be seen a moment before the message is in the port's queue: poll briefly
    let got = this.wt.receiveMessageOnPort(this.port);
    for (let i = 0; !got && i < 20000; i++) {
      Atomics.wait(this.signal, 0, 1, 0.5); // a 0.5 ms sleep (the flag stays 1)
      got = this.wt.receiveMessageOnPort(this.port);
    }
    if (!got) throw new FedquantError("E_STATE", "pool worker: signalled without a reply");
    const r = got.message as Reply;
    if (r.op === "error") throw fromWire(r.error);
    return r;
  }

  call(req: Request, transfer: ArrayBuffer[] = []): Reply {
    this.post(req, transfer);
    return this.wait();
  }

  close(): void { void this.worker.terminate(); this.port.close(); }
}

// Started workers are kept for the next pool (a run of several algorithms, a test file): a worker
// costs a thread start, a module graph and a wasm compile. Idle ones never keep the process alive.
const idle: PoolThread[] = [];

/** A worker: an idle one if any, else a new one. */
export function acquireThread(): PoolThread { return idle.pop() ?? new PoolThread(); }

/** Give back a worker after a clean exchange (one whose last request failed is terminated instead). */
export function releaseThread(th: PoolThread, healthy: boolean): void {
  if (healthy && !th.pending) idle.push(th); else th.close();
}

/** Terminate every idle worker (they would otherwise live, unreferenced, until the process exits). */
export function closeIdleThreads(): void { for (const th of idle.splice(0)) th.close(); }
