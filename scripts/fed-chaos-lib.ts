// The chaos run (issue #10, "Load and soak figures"): a `fedquant serve --out` process and one
// `fedquant join --state` process per client on 127.0.0.1, first undisturbed (the clean run),
// then again while clients are SIGKILLed and restarted, SIGSTOPped and SIGCONTed at random
// (Philox-seeded schedule) and the server is SIGKILLed and restarted with `--resume` twice. The
// two runs' final server states (checkpoint.json's `server`), per-round reports and clients'
// final states are compared. Bounded: every process is killed after `timeoutMs`.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { RandomStream } from "../src/random/index.js";

export interface ChaosOptions {
  dir: string;
  clients: number;
  rounds: number;
  /** pause between rounds (ms): gives the chaos time to land inside the session */
  roundGapMs: number;
  seed: number;
  absent: "repeat" | "skip";
  /** server SIGKILL + --resume, at rounds/(kills+1), 2·rounds/(kills+1), … */
  serverKills: number;
  /** client events (kill+restart or pause) at most */
  maxEvents: number;
  /** gap between events: uniform in [min, max] ms */
  eventGapMs: [number, number];
  /** the kind of client event n is eventKinds[n mod length] (default: drawn, kill or pause with probability ½ each) */
  eventKinds?: ("kill" | "pause")[];
  timeoutMs: number;
  log?: (line: string) => void;
}

export interface ChaosRun {
  reports: { round: number; invited: number[]; participants: number[]; absent: number[]; bitsUp: number; bitsDown: number; bitsDownUnused: number; bitsUpRejected: number; outcome: { loss?: number } }[];
  server: unknown;
  clients: unknown[];
  events: string[];
  seconds: number;
  /** clients that did not receive the session's end (absent "skip" only) */
  unfinished: number[];
}

const CLI = ["--import", "tsx", "src/cli/main.ts"];

/** The session of both runs: Artemis with 1-level QSGD both ways, every client in every round. */
export function chaosSession(clients: number, rounds: number) {
  return {
    algorithm: "artemis", config: { gamma: 0.5, up: { name: "qsgd", params: { s: 1 } }, down: { name: "qsgd", params: { s: 1 } } },
    problem: { kind: "logistic" as const, clients, perClient: 100, seed: 3 }, seed: 11, rounds, batchSize: 10,
  };
}
export const chaosTokens = (clients: number): string[] => Array.from({ length: clients }, (_, i) => `chaos-token-${i}-0123456789abcdef`);

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Proc { proc: ChildProcess; exited: Promise<number | null>; err: () => string }
const live = new Set<ChildProcess>();
/** Kill (by pid) every process this module started and that still runs: for a signal handler. */
export function killStarted(): void {
  for (const p of live) { p.kill("SIGCONT"); p.kill("SIGKILL"); }
}
function start(args: string[]): Proc {
  const proc = spawn(process.execPath, [...CLI, ...args], { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
  live.add(proc);
  proc.on("exit", () => live.delete(proc));
  let err = "";
  proc.stdout!.on("data", (d: Buffer) => { err += d.toString(); });
  proc.stderr!.on("data", (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<number | null>((r) => proc.on("exit", (code, sig) => r(sig ? null : code)));
  return { proc, exited, err: () => err.slice(-2000) };
}

function roundsDone(out: string): number {
  const p = join(out, "reports.jsonl");
  if (!existsSync(p)) return 0;
  return readFileSync(p, "utf8").split("\n").filter((l) => l.trim().length > 0).length;
}

/** One session, with chaos or without (`chaos: false`, the clean run). */
export async function runSession(o: ChaosOptions, name: string, chaos: boolean): Promise<ChaosRun> {
  const t0 = performance.now();
  const base = join(o.dir, name);
  mkdirSync(base, { recursive: true });
  const out = join(base, "out");
  const tokens = chaosTokens(o.clients);
  const cfgPath = join(base, "serve.json");
  writeFileSync(cfgPath, JSON.stringify({
    session: chaosSession(o.clients, o.rounds),
    tokens, absent: o.absent, roundGapMs: o.roundGapMs, deadlineMs: 2000, heartbeatMs: 1000, maxMissedRounds: 0,
  }));
  const port = await freePort();
  const url = `ws://127.0.0.1:${port}`;
  const events: string[] = [];
  const note = (s: string) => { const line = `[${((performance.now() - t0) / 1000).toFixed(1)} s] ${s}`; events.push(line); o.log?.(line); };
  const rng = RandomStream.of(o.seed, "test", 0x0c4a05, 0);
  const u = () => rng.uniforms(1)[0]!;

  let server = start(["serve", cfgPath, "--out", out, "--port", String(port), "--quiet"]);
  const joinArgs = (i: number) => ["join", url, "--token", tokens[i]!, "--state", join(base, `client-${i}`), "--quiet", "--retry-for", "120"];
  const clients: Proc[] = tokens.map((_, i) => start(joinArgs(i)));
  const paused = new Set<number>();
  const busy = new Set<number>();
  let serverDone = false;
  const unfinished: number[] = [];
  let failure: string | undefined;
  const guard = setTimeout(() => { failure ??= `timeout after ${o.timeoutMs} ms`; }, o.timeoutMs);

  const killAll = () => {
    for (const c of clients) { c.proc.kill("SIGCONT"); c.proc.kill("SIGKILL"); }
    server.proc.kill("SIGKILL");
  };
  try {
    let kills = 0, n = 0;
    for (;;) {
      if (failure) break;
      const code = await Promise.race([server.exited, sleep(chaos ? o.eventGapMs[0] + u() * (o.eventGapMs[1] - o.eventGapMs[0]) : 200).then(() => "running" as const)]);
      if (code !== "running") {
        if (code === 0) { serverDone = true; break; }
        failure = `the server exited with ${code}: ${server.err()}`;
        break;
      }
      for (const [i, c] of clients.entries()) {
        if (c.proc.exitCode !== null && c.proc.exitCode !== 0 && !busy.has(i)) failure ??= `client ${i} exited with ${c.proc.exitCode}: ${c.err()}`;
      }
      if (!chaos) continue;
      const done = roundsDone(out);
      // no chaos in the last rounds: a client restarted after the server finished has nobody to rejoin
      if (done >= o.rounds - 3) continue;
      if (kills < o.serverKills && done >= ((kills + 1) * o.rounds) / (o.serverKills + 1)) {
        kills++;
        note(`server SIGKILLed after ${done} rounds logged; restarted with --resume`);
        server.proc.kill("SIGKILL");
        await server.exited;
        await sleep(500);
        server = start(["serve", cfgPath, "--out", out, "--port", String(port), "--quiet", "--resume"]);
        continue;
      }
      // client events spread over the session: event n waits for round (n+1)·R/(events+1)
      if (n >= o.maxEvents || done < ((n + 1) * (o.rounds - 3)) / (o.maxEvents + 1)) continue;
      const i = Math.min(o.clients - 1, Math.floor(u() * o.clients));
      if (busy.has(i) || paused.has(i)) continue;
      n++;
      const drawn = u() < 0.5 ? "kill" : "pause";
      if ((o.eventKinds ? o.eventKinds[(n - 1) % o.eventKinds.length] : drawn) === "kill") {
        const wait = Math.round(200 + u() * 1500);
        note(`client ${i} SIGKILLed at round ${done}; restarted after ${wait} ms from its --state`);
        busy.add(i);
        clients[i]!.proc.kill("SIGKILL");
        void clients[i]!.exited.then(() => sleep(wait)).then(() => { clients[i] = start(joinArgs(i)); busy.delete(i); });
      } else {
        const wait = Math.round(300 + u() * 3000);
        note(`client ${i} SIGSTOPped at round ${done} for ${wait} ms`);
        paused.add(i);
        clients[i]!.proc.kill("SIGSTOP");
        void sleep(wait).then(() => { clients[i]!.proc.kill("SIGCONT"); paused.delete(i); });
      }
    }
    if (serverDone) {
      while (busy.size > 0 || paused.size > 0) await sleep(100);
      // with "repeat" every round waits for every drawn client, so all see the end; with "skip"
      // a client restarted in the last rounds may find the session over and the server gone
      const codes = await Promise.race([Promise.all(clients.map((c) => c.exited)), sleep(o.absent === "repeat" ? 60_000 : 15_000).then(() => undefined)]);
      clients.forEach((c, i) => {
        if (c.proc.exitCode === 0) return;
        if (o.absent === "skip" && c.proc.exitCode === null) { unfinished.push(i); note(`client ${i} did not see the end of the session (it was away when the server finished)`); return; }
        failure ??= codes ? `client ${i} ended with ${c.proc.exitCode}: ${c.err()}` : `client ${i} did not finish within 60 s of the server`;
      });
    }
  } finally {
    clearTimeout(guard);
    killAll();
  }
  if (failure) throw new Error(`${name}: ${failure}\nevents:\n${events.join("\n")}`);
  const cp = JSON.parse(readFileSync(join(out, "checkpoint.json"), "utf8")) as { server: unknown };
  const reports = readFileSync(join(out, "reports.jsonl"), "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as ChaosRun["reports"][number]);
  const clientStates = tokens.map((_, i) => (JSON.parse(readFileSync(join(base, `client-${i}`, "client-state.json"), "utf8")) as { driver: unknown }).driver);
  return { reports, server: cp.server, clients: clientStates, events, seconds: (performance.now() - t0) / 1000, unfinished };
}

export interface ChaosComparison {
  sameServer: boolean;
  sameClients: boolean[];
  sameLosses: boolean;
  sameUsedBits: boolean;
  rounds: number;
  finalLoss: [number | undefined, number | undefined];
  absentRounds: number;
  unused: { bitsDownUnused: number; bitsUpRejected: number };
}

export function compare(clean: ChaosRun, chaos: ChaosRun): ChaosComparison {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return {
    sameServer: same(clean.server, chaos.server),
    sameClients: clean.clients.map((c, i) => same(c, chaos.clients[i])),
    sameLosses: same(clean.reports.map((r) => r.outcome.loss), chaos.reports.map((r) => r.outcome.loss)),
    sameUsedBits: same(clean.reports.map((r) => [r.bitsUp, r.bitsDown]), chaos.reports.map((r) => [r.bitsUp, r.bitsDown])),
    rounds: chaos.reports.length,
    finalLoss: [clean.reports.at(-1)?.outcome.loss, chaos.reports.at(-1)?.outcome.loss],
    absentRounds: chaos.reports.filter((r) => r.absent.length > 0).length,
    unused: {
      bitsDownUnused: chaos.reports.reduce((s, r) => s + r.bitsDownUnused, 0),
      bitsUpRejected: chaos.reports.reduce((s, r) => s + r.bitsUpRejected, 0),
    },
  };
}
