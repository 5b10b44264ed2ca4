// A federation inside one page: the server (the algorithm's server state machine behind the
// transport's Coordinator) runs here, each client in its own Web Worker. The page and workers
// exchange the same protocol frames as a WebSocket federation, so every bit shown was sent.
//
// A run's result must not depend on the machine's speed. Without a deadline (the default) each
// round waits for every worker, so the trajectory is the simulator's on any machine: the workers
// are in this page, they cannot be lost without a "failed" status (which stops the run). With a
// deadline, a slow worker sits rounds out — that is then the point of the run (stragglers), and
// the page says so. Either way no worker is evicted for missed rounds (maxMissedRounds 0): a
// worker behind a port cannot reconnect, so eviction would lose it for the rest of the run.
import { createAlgorithmRoundDriver, type AlgorithmRoundDriver } from "../../src/federation/transport/algorithm-driver.js";
import { Coordinator, type RoundReport, type SessionResult } from "../../src/federation/transport/coordinator.js";
import type { LogEvent, RoundDriver } from "../../src/federation/transport/driver.js";
import { linkOverPort } from "../../src/federation/transport/link.js";
import type { SessionSpec } from "../../src/federation/transport/session.js";
import { digitsLoader } from "./digits.js";
import type { ToWorker, WorkerStatus } from "./messages.js";
import { buildModel } from "./model-loader.js";

/** setTimeout's largest delay: "no deadline" (≈ 24.8 days; the ROUND frame carries it as a u32). */
export const NO_DEADLINE_MS = 2 ** 31 - 1;

export interface LocalRunOptions {
  /** undefined: wait for every client in every round */
  deadlineMs: number | undefined;
  /** pause between rounds, to watch the curves grow */
  paceMs: number;
  digitsUrl: string;
  onReport(r: RoundReport, perClient: { up: number[]; down: number[] }): void;
  onWorker(index: number, s: WorkerStatus): void;
  onLog(e: LogEvent): void;
}

export interface LocalRun {
  driver: AlgorithmRoundDriver;
  done: Promise<SessionResult>;
  /** stop the run; `done` then rejects with E_STATE (the page shows "stopped") */
  stop(): void;
  readonly stopped: boolean;
}

function randomToken(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/**
 * The driver, watched: the information bits of each client's downlink (open) and uplink (check,
 * called once per received uplink before the round closes), so the page can show per-client bits.
 * Only uplinks of the round's participants count, as in the coordinator's own bitsUp.
 */
function perClientBits(driver: AlgorithmRoundDriver, n: number): { watched: RoundDriver; take(participants: number[]): { up: number[]; down: number[] } } {
  let up = new Map<number, number>(), down = new Map<number, number>();
  const watched: RoundDriver = {
    rounds: driver.rounds,
    session: (c) => driver.session(c),
    open(round, candidates) {
      const plan = driver.open(round, candidates);
      up = new Map(); down = new Map();
      for (const [id, d] of plan.downlinks) down.set(id, driver.bits(d));
      return plan;
    },
    check(round, client, uplink) { driver.check(round, client, uplink); up.set(client, driver.bits(uplink)); },
    screen: (round, uplinks) => driver.screen!(round, uplinks),
    close: (round, uplinks) => driver.close(round, uplinks),
    bits: (m) => driver.bits(m),
    summary: () => driver.summary!(),
  };
  return {
    watched,
    take(participants) {
      const u = new Array<number>(n).fill(0), d = new Array<number>(n).fill(0);
      for (const id of participants) { u[id] = up.get(id) ?? 0; d[id] = down.get(id) ?? 0; }
      return { up: u, down: d };
    },
  };
}

export async function startLocalRun(session: SessionSpec, o: LocalRunOptions): Promise<LocalRun> {
  const driver = await createAlgorithmRoundDriver(session, { loadDigits: digitsLoader(o.digitsUrl), buildModel });
  const n = driver.problem.shards.length;
  const tokens = Array.from({ length: n }, randomToken);
  const bits = perClientBits(driver, n);
  const coordinator = new Coordinator(bits.watched, {
    tokens, deadlineMs: o.deadlineMs ?? NO_DEADLINE_MS, maxFrameBytes: 64 << 20, roundGapMs: o.paceMs,
    maxMissedRounds: 0, statusEveryMs: 0,
    log: o.onLog, onRound: (r) => o.onReport(r, bits.take(r.participants)),
  });
  const ended = new Set<number>();
  let allEnded!: () => void;
  const workersEnded = new Promise<void>((r) => { allEnded = r; });
  let stopped = false;
  const workers = tokens.map((token, i) => {
    const w = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: `fedquant client ${i}` });
    w.addEventListener("message", (ev: MessageEvent) => {
      const m = ev.data as WorkerStatus;
      if (m?.fq !== "status") return;
      o.onWorker(i, m);
      if (m.state === "done" || m.state === "failed") { ended.add(i); if (ended.size === n) allEnded(); }
      // a client that cannot go on (bad session, a failed step) would leave the others waiting
      if (m.state === "failed" && !stopped && coordinator.state !== "finished") coordinator.stop(`client ${i} failed: ${m.message ?? "unknown error"}`);
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
  return {
    driver, done,
    get stopped() { return stopped; },
    stop() { if (stopped) return; stopped = true; coordinator.stop("stopped from the page"); terminate(); },
  };
}
