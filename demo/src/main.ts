// The demo page: settings → a federation of Web Workers run by the page (or this tab joining a
// Node server), live loss curves, and bit counters — the server's count next to the clients' own.
import "./style.css";
import { ready } from "../../src/kernel/index.js";
import type { RoundReport } from "../../src/federation/transport/coordinator.js";
import type { LogEvent } from "../../src/federation/transport/driver.js";
import type { SessionSpec } from "../../src/federation/transport/session.js";
import { LossCharts } from "./charts.js";
import { input, readSession, setupForm } from "./form.js";
import { formatBits, formatCount, formatLoss } from "./format.js";
import { startJoin } from "./join-run.js";
import { startLocalRun, type LocalRun } from "./local-run.js";
import type { WorkerStatus } from "./messages.js";

interface RunRecord {
  session: SessionSpec;
  initialLoss?: number;
  reports: RoundReport[];
  workers: WorkerStatus[];
  bitsUp: number;
  bitsDown: number;
  wireBytesUp: number;
  wireBytesDown: number;
  /** the server's model at the end (what a test compares with the simulator's) */
  finalW?: number[];
}

/** What the page shows, also readable by tests (test/demo/e2e.test.ts). */
const demo = {
  state: "idle" as "idle" | "running" | "done" | "failed",
  error: undefined as string | undefined,
  runs: [] as RunRecord[],
  join: undefined as WorkerStatus | undefined,
};
(window as unknown as { fedquantDemo: typeof demo }).fedquantDemo = demo;

const digitsUrl = new URL("mnist-digits.bin", document.baseURI).href;
const el = (id: string): HTMLElement => document.getElementById(id)!;
const charts = new LossCharts(el("chart-rounds") as HTMLCanvasElement, el("chart-bits") as HTMLCanvasElement);
let current: LocalRun | undefined;

function show(id: string, value: number, text: string): void {
  const e = el(id);
  e.dataset.value = String(value);
  e.textContent = text;
}

function setState(s: typeof demo.state, line: string): void {
  demo.state = s;
  document.body.dataset.state = s;
  el("status").textContent = line;
}

function log(e: LogEvent): void {
  const li = document.createElement("li");
  li.className = e.level;
  li.textContent = `${e.event}: ${e.message}`;
  el("log").prepend(li);
  while (el("log").childElementCount > 200) el("log").lastElementChild!.remove();
}

function renderCounters(run: RunRecord): void {
  const last = run.reports.at(-1);
  show("c-round", run.reports.length, `${run.reports.length} / ${run.session.rounds}`);
  show("c-loss", last?.outcome.loss ?? run.initialLoss ?? NaN, formatLoss(last?.outcome.loss ?? run.initialLoss));
  show("c-bits-up", run.bitsUp, formatBits(run.bitsUp));
  show("c-bits-down", run.bitsDown, formatBits(run.bitsDown));
  show("c-bits-total", run.bitsUp + run.bitsDown, formatBits(run.bitsUp + run.bitsDown));
  show("c-wire", run.wireBytesUp + run.wireBytesDown, `↑ ${formatCount(run.wireBytesUp)} B · ↓ ${formatCount(run.wireBytesDown)} B`);
  const up = run.workers.reduce((a, w) => a + (w?.bitsUp ?? 0) - (w?.bitsUpRejected ?? 0), 0);
  const down = run.workers.reduce((a, w) => a + (w?.bitsDown ?? 0), 0);
  show("c-workers-up", up, formatBits(up));
  show("c-workers-down", down, formatBits(down));
}

function renderWorker(i: number, w: WorkerStatus): void {
  let card = document.getElementById(`worker-${i}`);
  if (!card) {
    card = document.createElement("div");
    card.id = `worker-${i}`;
    card.className = "worker";
    el("workers").append(card);
  }
  card.dataset.state = w.state;
  const labels = w.labels ? ` · digits ${w.labels.join(", ")}` : "";
  card.innerHTML = "";
  const title = document.createElement("b");
  title.textContent = `client ${w.client ?? i}`;
  const rows = document.createElement("div");
  rows.textContent = `${w.rows ?? "…"} rows${labels}`;
  const prog = document.createElement("div");
  prog.textContent = `${w.state}${w.round !== undefined ? ` · round ${w.round}` : ""}${w.localLoss !== undefined ? ` · local loss ${w.localLoss.toFixed(3)}` : ""}`;
  const bits = document.createElement("div");
  bits.className = "bits";
  bits.textContent = `↑ ${formatCount(w.bitsUp)} · ↓ ${formatCount(w.bitsDown)} bits`;
  card.append(title, rows, prog, bits);
  if (w.message) { const m = document.createElement("div"); m.className = "error"; m.textContent = w.message; card.append(m); }
}

function describe(s: SessionSpec): string {
  const c = s.config as { up?: { name: string; params?: object }; down?: { name: string; params?: object } };
  const comp = (x?: { name: string; params?: object }): string => (x ? `${x.name}${x.params && Object.keys(x.params).length ? JSON.stringify(x.params).replace(/"/g, "") : ""}` : "fixed");
  return `${s.algorithm} ↑${comp(c.up)} ↓${comp(c.down)}`;
}

async function start(): Promise<void> {
  if (demo.state === "running") return;
  el("notes").textContent = "";
  el("workers").replaceChildren();
  let read: ReturnType<typeof readSession>;
  try { read = readSession(); } catch (e) { setState("failed", (e as Error).message); demo.error = (e as Error).message; return; }
  el("notes").textContent = read.notes.join("; ");
  for (let i = 0; i < read.session.problem.clients; i++) renderWorker(i, { fq: "status", state: "starting", bitsUp: 0, bitsDown: 0, bitsUpRejected: 0 });
  const run: RunRecord = { session: read.session, reports: [], workers: [], bitsUp: 0, bitsDown: 0, wireBytesUp: 0, wireBytesDown: 0 };
  setState("running", `starting ${read.session.problem.clients} clients…`);
  try {
    await ready();
    let addPoint: ((round: number, bits: number, loss: number) => void) | undefined;
    current = await startLocalRun(read.session, {
      deadlineMs: read.deadlineMs, paceMs: read.paceMs, digitsUrl,
      onLog: log,
      onWorker: (i, w) => { run.workers[i] = w; renderWorker(i, w); renderCounters(run); },
      onReport: (r) => {
        run.reports.push(r);
        run.bitsUp += r.bitsUp; run.bitsDown += r.bitsDown;
        run.wireBytesUp += r.wireBytesUp; run.wireBytesDown += r.wireBytesDown;
        if (r.outcome.loss !== undefined) addPoint?.(r.round, run.bitsUp + run.bitsDown, r.outcome.loss);
        renderCounters(run);
        el("status").textContent = `round ${r.round + 1} of ${read.session.rounds}: ${r.participants.length} client(s) took part`;
      },
    });
    run.initialLoss = current.driver.initialLoss;
    demo.runs.push(run);
    addPoint = charts.addRun(describe(read.session), run.initialLoss ?? NaN);
    renderCounters(run);
    el("dim").textContent = `model dimension ${current.driver.problem.dim}; each client below is a Web Worker holding its own shard ` +
      `(${current.driver.problem.shards.map((s) => s.n).join(" + ")} rows); counts are information bits of the compressed messages, as the papers count them`;
    await current.done;
    run.finalW = Array.from(current.driver.server.model);
    renderCounters(run);
    setState("done", `finished ${run.reports.length} rounds: loss ${formatLoss(run.initialLoss)} → ${formatLoss(run.reports.at(-1)?.outcome.loss)}`);
  } catch (e) {
    demo.error = (e as Error).message;
    setState("failed", (e as Error).message);
  } finally {
    current = undefined;
  }
}

function join(): void {
  const url = input("join-url").value.trim(), token = input("join-token").value.trim();
  if (!/^wss?:\/\//.test(url) || token === "") { el("join-status").textContent = "give the server's ws:// address and this client's token"; return; }
  document.body.dataset.mode = "join";
  el("join-status").textContent = `joining ${url}…`;
  startJoin(url, token, digitsUrl, (s) => {
    demo.join = s;
    document.body.dataset.join = s.state;
    const loss = s.localLoss !== undefined ? ` · local loss ${s.localLoss.toFixed(4)}` : "";
    const end = s.state === "done" ? ` · server's final loss ${formatLoss((s.summary as { loss?: number } | undefined)?.loss ?? undefined)}` : "";
    el("join-status").textContent = `${s.state}${s.client !== undefined ? ` as client ${s.client}` : ""}` +
      `${s.round !== undefined ? ` · round ${s.round}` : ""}${loss} · sent ${formatBits(s.bitsUp)} bits, received ${formatBits(s.bitsDown)} bits${end}` +
      `${s.message ? ` · ${s.message}` : ""}`;
  });
}

setupForm();
el("start").addEventListener("click", () => void start());
el("stop").addEventListener("click", () => { current?.stop(); });
el("clear").addEventListener("click", () => charts.clear());
el("join-btn").addEventListener("click", join);
const q = new URLSearchParams(location.search);
if (q.has("join")) { input("join-url").value = q.get("join")!; input("join-token").value = q.get("token") ?? ""; join(); }
else if (q.get("autostart") === "1") void start();
