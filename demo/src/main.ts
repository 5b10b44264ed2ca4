// The demo page: settings → a federation of Web Workers run by the page (or this tab joining a
// Node server), live curves (loss, loss against bits, test accuracy, per-client bits and
// participation), bit counters — the server's count next to the clients' own — and a runs table.
import "./style.css";
import { ready } from "../../src/kernel/index.js";
import type { Dataset, Objective } from "../../src/models/index.js";
import type { RoundReport } from "../../src/federation/transport/coordinator.js";
import type { LogEvent } from "../../src/federation/transport/driver.js";
import type { SessionSpec } from "../../src/federation/transport/session.js";
import { modelAccuracy, testSetFor } from "./accuracy.js";
import { RunCharts } from "./charts.js";
import { ClientCharts } from "./client-charts.js";
import { allDigits, heldOutDigits } from "./digits.js";
import { readSettings, setupForm, input } from "./form.js";
import { formatBits, formatCount, formatLoss, formatMs } from "./format.js";
import { startJoin } from "./join-run.js";
import { NO_DEADLINE_MS, startLocalRun, type LocalRun } from "./local-run.js";
import type { WorkerStatus } from "./messages.js";
import { accuracyChartShown, runLabel, type RunData } from "./results.js";
import { TEST_DIGITS } from "./settings.js";
import { renderSummary, setupDownloads } from "./summary-view.js";

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
  /** what the table, the downloads and the legends use */
  data: RunData;
  /** the round deadline the coordinator used (NO_DEADLINE_MS: none, every round waits for every worker) */
  deadlineMs: number;
}

type State = "idle" | "running" | "done" | "stopped" | "failed";

/** What the page shows, also readable by tests (test/demo/e2e.test.ts). */
const demo = {
  state: "idle" as State,
  error: undefined as string | undefined,
  runs: [] as RunRecord[],
  join: undefined as WorkerStatus | undefined,
  /** join mode: one point per round the server sent (round, local loss, bits, accuracy) */
  joinRounds: [] as { round: number; localLoss?: number; accuracy?: number; bitsUp: number; bitsDown: number }[],
};
(window as unknown as { fedquantDemo: typeof demo }).fedquantDemo = demo;

const digitsUrl = new URL("mnist-digits.bin", document.baseURI).href;
const el = (id: string): HTMLElement => document.getElementById(id)!;
const charts = new RunCharts(el("chart-rounds") as HTMLCanvasElement, el("chart-bits") as HTMLCanvasElement, el("chart-acc") as HTMLCanvasElement);
const clientCharts = new ClientCharts(el("chart-clients") as HTMLCanvasElement, el("participation-raster") as HTMLCanvasElement);
let current: LocalRun | undefined;
let target: number | undefined;

function show(id: string, value: number, text: string): void {
  const e = el(id);
  e.dataset.value = String(value);
  e.textContent = text;
}

function setState(s: State, line: string): void {
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

const pct = (a: number | undefined): string => (a === undefined ? "–" : `${(100 * a).toFixed(1)} %`);

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
  const acc = run.data.rows.at(-1)?.accuracy ?? run.data.initialAccuracy;
  show("c-acc", acc ?? NaN, pct(acc));
  const ms = run.data.wallMs ?? run.data.rows.at(-1)?.ms;
  show("c-time", ms ?? NaN, ms === undefined ? "–" : formatMs(ms));
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

/** The accuracy chart stays while any run on the page has held-out digits (results.ts accuracyChartShown). */
function showAccuracyChart(kinds: readonly string[]): void {
  document.body.dataset.accuracy = accuracyChartShown(kinds) ? "shown" : "hidden";
}

const tableRuns = (): RunData[] => demo.runs.map((r) => r.data);
const refreshSummary = (): void => renderSummary(tableRuns(), target);

/** The held-out digits of an MNIST session (with the bias column the softmax model expects). */
async function testSetOf(s: SessionSpec): Promise<Dataset | undefined> {
  if (s.problem.kind === "logistic") return undefined;
  return testSetFor(s.problem.kind, heldOutDigits(await allDigits(digitsUrl), TEST_DIGITS, s.problem.seed));
}

async function start(): Promise<void> {
  if (demo.state === "running") return;
  el("notes").textContent = "";
  el("workers").replaceChildren();
  let read: ReturnType<typeof readSettings>;
  try { read = readSettings(); } catch (e) { setState("failed", (e as Error).message); demo.error = (e as Error).message; return; }
  target = read.target;
  document.body.dataset.problem = read.session.problem.kind;
  showAccuracyChart([...demo.runs.map((r) => r.session.problem.kind), read.session.problem.kind]);
  const deadlineNote = read.deadlineMs === undefined ? [] : [`deadline ${read.deadlineMs} ms: a client slower than that sits the round out, so the result depends on this machine's speed`];
  el("notes").textContent = [...read.notes, ...deadlineNote].join("; ");
  const n = read.session.problem.clients;
  for (let i = 0; i < n; i++) renderWorker(i, { fq: "status", state: "starting", bitsUp: 0, bitsDown: 0, bitsUpRejected: 0 });
  const data: RunData = { label: runLabel(read.session), session: read.session, rows: [], state: "running" };
  const run: RunRecord = { session: read.session, reports: [], workers: [], bitsUp: 0, bitsDown: 0, wireBytesUp: 0, wireBytesDown: 0, data, deadlineMs: read.deadlineMs ?? NO_DEADLINE_MS };
  demo.error = undefined;
  setState("running", `starting ${n} clients…`);
  clientCharts.reset(n);
  // wall time from the click: loading the digits and starting the workers count too
  const t0 = performance.now();
  try {
    await ready();
    const testSet = await testSetOf(read.session);
    let addPoint: ReturnType<RunCharts["addRun"]> | undefined;
    let model: (() => Float64Array) | undefined, objective: Objective | undefined;
    const acc = (): number | undefined => (testSet && model && objective ? modelAccuracy(objective, model(), testSet) : undefined);
    current = await startLocalRun(read.session, {
      deadlineMs: read.deadlineMs, paceMs: read.paceMs, digitsUrl,
      onLog: log,
      onWorker: (i, w) => { run.workers[i] = w; renderWorker(i, w); renderCounters(run); },
      onReport: (r, per) => {
        run.reports.push(r);
        run.bitsUp += r.bitsUp; run.bitsDown += r.bitsDown;
        run.wireBytesUp += r.wireBytesUp; run.wireBytesDown += r.wireBytesDown;
        const a = acc();
        data.rows.push({ round: r.round, loss: r.outcome.loss, accuracy: a, bitsUp: r.bitsUp, bitsDown: r.bitsDown, participants: r.participants, clientBitsUp: per.up, clientBitsDown: per.down, ms: performance.now() - t0 });
        addPoint?.(r.round, run.bitsUp + run.bitsDown, r.outcome.loss, a);
        clientCharts.add(r.round, per.up, r.participants);
        renderCounters(run);
        refreshSummary();
        el("status").textContent = `round ${r.round + 1} of ${read.session.rounds}: ${r.participants.length} client(s) took part`;
      },
    });
    const driver = current.driver;
    model = () => driver.server.model;
    objective = driver.problem.objective;
    run.initialLoss = driver.initialLoss;
    data.initialLoss = driver.initialLoss;
    data.initialAccuracy = acc();
    demo.runs.push(run);
    addPoint = charts.addRun(data.label, run.initialLoss, data.initialAccuracy);
    renderCounters(run);
    refreshSummary();
    el("dim").textContent = `model dimension ${driver.problem.dim}; each client below is a Web Worker holding its own shard ` +
      `(${driver.problem.shards.map((s) => s.n).join(" + ")} rows); counts are information bits of the compressed messages, as the papers count them` +
      (testSet ? `; test accuracy on ${TEST_DIGITS} held-out digits` : "");
    await current.done;
    run.finalW = Array.from(driver.server.model);
    data.wallMs = performance.now() - t0;
    data.state = "done";
    renderCounters(run);
    refreshSummary();
    setState("done", `finished ${run.reports.length} rounds in ${formatMs(data.wallMs)}: loss ${formatLoss(run.initialLoss)} → ${formatLoss(run.reports.at(-1)?.outcome.loss)}`);
  } catch (e) {
    data.wallMs = performance.now() - t0;
    if (current?.stopped) {
      // the user's Stop: the coordinator's E_STATE is how a stopped federation ends, not a failure
      data.state = "stopped";
      setState("stopped", `stopped after ${run.reports.length} of ${read.session.rounds} rounds`);
    } else {
      data.state = "failed";
      demo.error = (e as Error).message;
      setState("failed", (e as Error).message);
    }
    refreshSummary();
  } finally {
    current = undefined;
  }
}

function join(): void {
  const url = input("join-url").value.trim(), token = input("join-token").value.trim();
  if (!/^wss?:\/\//.test(url) || token === "") { el("join-status").textContent = "give the server's ws:// address and this client's token"; return; }
  document.body.dataset.mode = "join";
  el("join-status").textContent = `joining ${url}…`;
  setState("running", `joining ${url} as a client`);
  let addPoint: ReturnType<RunCharts["addRun"]> | undefined;
  let lastRound = -1;
  startJoin(url, token, digitsUrl, (s) => {
    demo.join = s;
    document.body.dataset.join = s.state;
    if (s.client !== undefined && !addPoint) {
      addPoint = charts.addRun(`join: client ${s.client} (its local loss; accuracy of the model it holds)`, undefined, undefined, "loss of this client's model on its shard");
    }
    if (s.round !== undefined && s.round > lastRound && s.state === "running") {
      lastRound = s.round;
      demo.joinRounds.push({ round: s.round, localLoss: s.localLoss, accuracy: s.accuracy, bitsUp: s.bitsUp, bitsDown: s.bitsDown });
      addPoint?.(s.round, s.bitsUp + s.bitsDown, s.localLoss, s.accuracy);
    }
    show("c-round", demo.joinRounds.length, `${demo.joinRounds.length}${s.session ? ` / ${s.session.rounds}` : ""}`);
    show("c-loss", s.localLoss ?? NaN, `${formatLoss(s.localLoss)} (local)`);
    show("c-workers-up", s.bitsUp - s.bitsUpRejected, formatBits(s.bitsUp - s.bitsUpRejected));
    show("c-workers-down", s.bitsDown, formatBits(s.bitsDown));
    show("c-acc", s.accuracy ?? NaN, pct(s.accuracy));
    const summary = s.summary as { loss?: number } | undefined;
    const end = s.state === "done" ? ` · server's final loss ${formatLoss(summary?.loss ?? undefined)}` : "";
    el("join-status").textContent = `${s.state}${s.client !== undefined ? ` as client ${s.client}` : ""}` +
      `${s.round !== undefined ? ` · round ${s.round}` : ""} · sent ${formatBits(s.bitsUp)} bits, received ${formatBits(s.bitsDown)} bits${end}` +
      `${s.message ? ` · ${s.message}` : ""}`;
    if (s.state === "done") setState("done", `joined session finished after ${demo.joinRounds.length} rounds${end}`);
    if (s.state === "failed") setState("failed", s.message ?? "the join failed");
  });
}

setupForm();
setupDownloads(tableRuns, () => target);
el("start").addEventListener("click", () => void start());
el("stop").addEventListener("click", () => { current?.stop(); });
el("clear").addEventListener("click", () => { if (demo.state !== "running") { charts.clear(); demo.runs = []; showAccuracyChart([]); refreshSummary(); } });
el("join-btn").addEventListener("click", join);
const q = new URLSearchParams(location.search);
if (q.has("join")) { input("join-url").value = q.get("join")!; input("join-token").value = q.get("token") ?? ""; join(); }
else if (q.get("autostart") === "1") void start();
