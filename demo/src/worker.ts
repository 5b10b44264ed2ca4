// One federated client in a Web Worker: its own shard, its own copy of the algorithm's client
// state machine (src/algorithms), talking the round protocol either to the page's coordinator
// over this worker's port, or to a Node server (`fedquant serve`) over WebSocket. Joined to a
// server, it also reports the test accuracy of the model it holds (the page has no server model).
import { ready } from "../../src/kernel/index.js";
import type { Dataset } from "../../src/models/index.js";
import { algorithmParticipantFactory } from "../../src/federation/transport/algorithm-driver.js";
import { joinFederation } from "../../src/federation/transport/client.js";
import { linkOverPort, type PortLike, type WebSocketCtor } from "../../src/federation/transport/link.js";
import { Participant, type ParticipantOptions, type ParticipantResult } from "../../src/federation/transport/participant.js";
import { modelAccuracy, testSetFor } from "./accuracy.js";
import { allDigits, digitsLoader, heldOutDigits } from "./digits.js";
import type { ToWorker, WorkerStatus } from "./messages.js";
import { buildModel } from "./model-loader.js";
import { MAX_TRAIN_DIGITS, TEST_DIGITS } from "./settings.js";

const port = self as unknown as PortLike;
const status: WorkerStatus = { fq: "status", state: "starting", bitsUp: 0, bitsDown: 0, bitsUpRejected: 0 };
const post = (patch: Partial<WorkerStatus>): void => { Object.assign(status, patch); port.postMessage({ ...status }); };

function finish(r: ParticipantResult): void {
  post({ state: "done", bitsUp: r.bitsUp, bitsDown: r.bitsDown, bitsUpRejected: r.bitsUpRejected, summary: r.summary });
}

function failed(e: unknown): void {
  post({ state: "failed", message: e instanceof Error ? e.message : String(e) });
}

async function start(m: ToWorker): Promise<void> {
  await ready();
  let described = false;
  let testSet: Dataset | undefined;
  const factory = algorithmParticipantFactory({
    loadDigits: digitsLoader(m.digitsUrl), buildModel,
    observe: ({ round, client, problem }) => {
      const shard = problem.shards[client.id]!;
      if (!described) {
        described = true;
        post({ client: client.id, rows: shard.n, labels: problem.spec.kind === "mnist" ? [...new Set(shard.y)].sort((a, b) => a - b) : undefined });
      }
      const acc = testSet ? modelAccuracy(problem.objective, client.model, testSet) : undefined;
      post({ state: "running", round, localLoss: problem.objective.loss(client.model, shard), accuracy: acc });
    },
  });
  const opts: ParticipantOptions = {
    token: m.token, factory,
    onStep: (s) => post({ bitsUp: s.bitsUp, bitsDown: s.bitsDown }),
    log: (e) => { if (e.event === "welcome") post({ state: "joined", client: e.client }); },
  };
  if (m.mode === "port") {
    const p = new Participant(opts);
    const end = await p.attach(linkOverPort(port, "page"));
    if (p.finished) finish(p.finished);
    else failed(p.failed ?? new Error(`the page closed the session: ${end.bye ?? end.reason}`));
    return;
  }
  // join mode: the session arrives in the welcome; the test digits are loaded by the factory's first call
  const inner = opts.factory;
  opts.factory = async (session, client) => {
    const s = session as { rounds?: number; problem?: { kind?: string; seed?: number; count?: number } };
    if (typeof s.rounds === "number") post({ session: { rounds: s.rounds } });
    // held out only while the training digits leave the last TEST_DIGITS of the order alone
    if (typeof s.problem?.kind === "string" && typeof s.problem.seed === "number" && (s.problem.count ?? 2000) <= MAX_TRAIN_DIGITS) {
      const raw = s.problem.kind === "logistic" ? undefined : heldOutDigits(await allDigits(m.digitsUrl), TEST_DIGITS, s.problem.seed);
      testSet = raw && testSetFor(s.problem.kind, raw);
    }
    return inner(session, client);
  };
  const membership = joinFederation(m.url, { ...opts, WebSocket: WebSocket as unknown as WebSocketCtor });
  finish(await membership.result);
}

port.addEventListener("message", (ev: MessageEvent) => {
  const m = ev.data as ToWorker | undefined;
  if (m?.fq === "init") start(m).catch(failed);
});
