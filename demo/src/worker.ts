// One federated client in a Web Worker: its own shard, its own copy of the algorithm's client
// state machine (src/algorithms), talking the round protocol either to the page's coordinator
// over this worker's port, or to a Node server (`fedquant serve`) over WebSocket.
import { ready } from "../../src/kernel/index.js";
import { algorithmParticipantFactory } from "../../src/federation/transport/algorithm-driver.js";
import { joinFederation } from "../../src/federation/transport/client.js";
import { linkOverPort, type PortLike, type WebSocketCtor } from "../../src/federation/transport/link.js";
import { Participant, type ParticipantOptions, type ParticipantResult } from "../../src/federation/transport/participant.js";
import { digitsLoader } from "./digits.js";
import type { ToWorker, WorkerStatus } from "./messages.js";

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
  const factory = algorithmParticipantFactory({
    loadDigits: digitsLoader(m.digitsUrl),
    observe: ({ round, client, problem }) => {
      const shard = problem.shards[client.id]!;
      if (!described) {
        described = true;
        post({ client: client.id, rows: shard.n, labels: problem.spec.kind === "mnist" ? [...new Set(shard.y)].sort((a, b) => a - b) : undefined });
      }
      post({ state: "running", round, localLoss: problem.objective.loss(client.model, shard) });
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
  const membership = joinFederation(m.url, { ...opts, WebSocket: WebSocket as unknown as WebSocketCtor });
  finish(await membership.result);
}

port.addEventListener("message", (ev: MessageEvent) => {
  const m = ev.data as ToWorker | undefined;
  if (m?.fq === "init") start(m).catch(failed);
});
