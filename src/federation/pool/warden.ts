// The thread that starts and watches the pool's workers (Node). A main thread blocked in
// Atomics.wait runs no event-loop callback, so it never sees a worker's 'exit' event, and a worker
// killed without running JavaScript (out of heap: its isolate is stopped) cannot say so itself. The
// warden's event loop is always free: it starts each pool worker as its own child and, on that
// child's 'exit', sets the worker's shared flag to DEAD (protocol.ts) and notifies, waking the
// caller, which then throws E_STATE instead of waiting forever.
import { DEAD } from "./protocol.js";

type WorkerThreads = typeof import("node:worker_threads");

/** What the warden starts: a file, or code to evaluate, with its workerData (holding `port` and `flag`). */
export interface Spawn {
  source: string;
  eval: boolean;
  workerData: { port: unknown; flag: SharedArrayBuffer } & Record<string, unknown>;
  resourceLimits?: Record<string, number>;
}

const WARDEN = `const { parentPort, Worker } = require("node:worker_threads");
const live = new Map();
parentPort.on("message", (m) => {
  if (m.kill !== undefined) { const w = live.get(m.kill); live.delete(m.kill); if (w) void w.terminate(); return; }
  const s = m.spawn;
  const w = new Worker(s.eval ? s.source : new URL(s.source), { eval: s.eval, workerData: s.workerData, transferList: [s.workerData.port], resourceLimits: s.resourceLimits });
  live.set(m.id, w);
  w.on("error", () => {});
  w.on("exit", () => { live.delete(m.id); const f = new Int32Array(s.workerData.flag); Atomics.store(f, 0, ${DEAD}); Atomics.notify(f, 0); });
});`;

let warden: InstanceType<WorkerThreads["Worker"]> | undefined;
let next = 0;

/** Start a pool worker under the warden (started on first use; it never keeps the process alive). */
export function spawnWorker(wt: WorkerThreads, s: Spawn): number {
  if (!warden) {
    warden = new wt.Worker(WARDEN, { eval: true });
    warden.unref();
    warden.on("error", () => { warden = undefined; });
  }
  const id = next++;
  warden.postMessage({ id, spawn: s }, [s.workerData.port as never]);
  return id;
}

/** Terminate a worker started by spawnWorker. */
export function killWorker(id: number): void { warden?.postMessage({ kill: id }); }
