// A federation inside one page: the server (the algorithm's server state machine behind the
// transport's Coordinator) runs here, each client in its own Web Worker. The page and workers
// exchange the same protocol frames as a WebSocket federation, so every bit shown was sent.
import { createAlgorithmRoundDriver, type AlgorithmRoundDriver } from "../../src/federation/transport/algorithm-driver.js";
import { Coordinator, type RoundReport, type SessionResult } from "../../src/federation/transport/coordinator.js";
import type { LogEvent } from "../../src/federation/transport/driver.js";
import { linkOverPort } from "../../src/federation/transport/link.js";
import type { SessionSpec } from "../../src/federation/transport/session.js";
import { digitsLoader } from "./digits.js";
import type { ToWorker, WorkerStatus } from "./messages.js";

export interface LocalRunOptions {
  deadlineMs: number;
  /** pause between rounds, to watch the curves grow */
  paceMs: number;
  digitsUrl: string;
  onReport(r: RoundReport): void;
  onWorker(index: number, s: WorkerStatus): void;
  onLog(e: LogEvent): void;
}

export interface LocalRun {
  driver: AlgorithmRoundDriver;
  done: Promise<SessionResult>;
  stop(): void;
}

function randomToken(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

export async function startLocalRun(session: SessionSpec, o: LocalRunOptions): Promise<LocalRun> {
  const driver = await createAlgorithmRoundDriver(session, { loadDigits: digitsLoader(o.digitsUrl) });
  const n = driver.problem.shards.length;
  const tokens = Array.from({ length: n }, randomToken);
  const coordinator = new Coordinator(driver, {
    tokens, deadlineMs: o.deadlineMs, maxFrameBytes: 64 << 20, roundGapMs: o.paceMs,
    log: o.onLog, onRound: o.onReport,
  });
  const ended = new Set<number>();
  let allEnded!: () => void;
  const workersEnded = new Promise<void>((r) => { allEnded = r; });
  const workers = tokens.map((token, i) => {
    const w = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: `fedquant client ${i}` });
    w.addEventListener("message", (ev: MessageEvent) => {
      const m = ev.data as WorkerStatus;
      if (m?.fq !== "status") return;
      o.onWorker(i, m);
      if (m.state === "done" || m.state === "failed") { ended.add(i); if (ended.size === n) allEnded(); }
      // a client that cannot go on (bad session, a failed step) would leave the others waiting
      if (m.state === "failed" && coordinator.state !== "finished") coordinator.stop(`client ${i} failed: ${m.message ?? "unknown error"}`);
    });
    w.addEventListener("error", (ev) => o.onLog({ level: "warn", event: "worker-error", message: `worker ${i}: ${ev.message}` }));
    // the link first: the worker's hello must find the coordinator listening
    coordinator.attach(linkOverPort(w, `worker ${i}`));
    w.postMessage({ fq: "init", mode: "port", token, digitsUrl: o.digitsUrl } satisfies ToWorker);
    return w;
  });
  const terminate = (): void => { for (const w of workers) w.terminate(); };
  // done once the server finished and every worker reported its own final counts (or 5 s passed)
  const done = coordinator.finished.then(async (r) => {
    await Promise.race([workersEnded, new Promise((res) => setTimeout(res, 5000))]);
    terminate();
    return r;
  }, (e: unknown) => { terminate(); throw e; });
  return { driver, done, stop() { coordinator.stop("stopped from the page"); terminate(); } };
}
