// A pool worker thread (Node worker_threads): loads its own wasm kernel (the main thread's
// flavour, so every encode is bit-identical), builds the clients it hosts from a Recipe, and
// steps them on request. Replies go out on the port, then the shared flag wakes the main thread.
import { parentPort, workerData } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import type { ClientId } from "../../algorithms/index.js";
import { ready, type Flavour } from "../../kernel/index.js";
import { movable, toWire, type Reply, type Request } from "./protocol.js";
import { buildParties, restoreParty, type Party, type Recipe } from "./recipe.js";

const { port, flag } = workerData as { port: MessagePort; flag: SharedArrayBuffer };
const signal = new Int32Array(flag);
let recipe: Recipe | undefined;
let flavour: Flavour | undefined;
let parties = new Map<ClientId, Party>();
/** the main thread's model, shared: read only while the main thread waits for our reply */
let model: Float64Array | undefined;

function reply(r: Reply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(r, transfer);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function party(id: ClientId): Party {
  const p = parties.get(id);
  if (!p) throw new Error(`client ${id} is not hosted by this worker`);
  return p;
}

async function handle(m: Request): Promise<void> {
  switch (m.op) {
    case "init":
      // a reused worker keeps its kernel when the flavour is the same
      if (flavour !== m.flavour) { await ready({ flavour: m.flavour }); flavour = m.flavour; }
      recipe = m.recipe;
      parties = buildParties(m.recipe, m.hosted);
      model = m.model ? new Float64Array(m.model) : undefined;
      return reply({ op: "init" });
    case "step": {
      const uplinks: [ClientId, Uint8Array][] = [];
      for (const [id, bytes] of m.downlinks) {
        const p = party(id);
        try { uplinks.push([id, p.client.step(m.round, bytes, p.oracle)]); } catch (e) {
          // stop here, as the one-thread loop would: the main thread reports the first failure in client order
          return reply({ op: "step", uplinks, failed: { id, error: toWire(e) } }, movable(uplinks.map((u) => u[1])));
        }
      }
      return reply({ op: "step", uplinks }, movable(uplinks.map((u) => u[1])));
    }
    case "loss": {
      const losses: [ClientId, number][] = [];
      for (const [id, p] of parties) {
        try { losses.push([id, p.loss!(model!)]); } catch (e) { return reply({ op: "loss", losses, failed: { id, error: toWire(e) } }); }
      }
      return reply({ op: "loss", losses });
    }
    case "save":
      return reply({ op: "save", states: [...parties].map(([id, p]) => [id, p.client.toJSON(), p.saveOracle()]) });
    case "load":
      for (const [id, state, oracle] of m.states) parties.set(id, restoreParty(recipe!, party(id), state, oracle));
      return reply({ op: "load" });
  }
}

port.on("message", (m: Request) => { handle(m).catch((e) => reply({ op: "error", error: toWire(e) })); });
parentPort?.postMessage("up");
