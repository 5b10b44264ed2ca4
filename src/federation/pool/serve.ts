// The worker side of the client pool, for both kinds of worker (Node worker_threads: worker.ts;
// Web Workers: web-worker.ts): loads the wasm kernel of the main thread's flavour (so every encode
// is bit-identical), builds the hosted clients from a Recipe and answers the main thread's
// requests. Only the way a reply leaves differs, so it is a parameter.
import type { ClientId } from "../../algorithms/index.js";
import { ready, type Flavour } from "../../kernel/index.js";
import { decodeUplinkOf, uplinkDecoder, type UplinkDecoder } from "./core.js";
import { movable, toWire, type Reply, type Request } from "./protocol.js";
import { buildParties, restoreParty, type Party, type Recipe } from "./recipe.js";

export type ReplyFn = (r: Reply, transfer: ArrayBuffer[]) => void;

/** A request handler for one worker; every request gets exactly one reply (an error one if it throws). */
export function serveClients(send: ReplyFn): (m: Request) => void {
  let recipe: Recipe | undefined;
  let flavour: Flavour | undefined;
  let parties = new Map<ClientId, Party>();
  /** Node: the main thread's model, shared, read only while the main thread waits for our reply */
  let model: Float64Array | undefined;
  /** the server's decode of this run's uplinks (made on the first step that asks for it) */
  let decoder: UplinkDecoder | undefined;

  function party(id: ClientId): Party {
    const p = parties.get(id);
    if (!p) throw new Error(`client ${id} is not hosted by this worker`);
    return p;
  }

  async function handle(m: Request, reply: (r: Reply, transfer?: ArrayBuffer[]) => void): Promise<void> {
    switch (m.op) {
      case "init":
        // a reused worker keeps its kernel when the flavour is the same
        if (flavour !== m.flavour) { await ready({ flavour: m.flavour }); flavour = m.flavour; }
        recipe = m.recipe;
        parties = buildParties(m.recipe, m.hosted);
        model = m.model ? new Float64Array(m.model) : undefined;
        decoder = undefined;
        return reply({ op: "init" });
      case "step": {
        const uplinks: [ClientId, Uint8Array][] = [];
        let failed: { id: ClientId; error: ReturnType<typeof toWire> } | undefined;
        // the server's decode, done here while the other threads still step their clients
        const decode = m.decode && recipe ? (decoder ??= uplinkDecoder(recipe)) : undefined;
        const decoded: [ClientId, Float32Array][] | undefined = decode ? [] : undefined;
        for (const [id, down] of m.downlinks) {
          const p = party(id);
          let bytes: Uint8Array;
          // stop at a failure, as the one-thread loop would: the main thread reports the first one in client order
          try { bytes = p.client.step(m.round, down, p.oracle); } catch (e) { failed = { id, error: toWire(e) }; break; }
          uplinks.push([id, bytes]);
          const x = decode ? decodeUplinkOf(decode, p.client, m.round, id, bytes) : undefined;
          if (x) decoded!.push([id, x]);
        }
        const transfer = movable([...uplinks.map((u) => u[1]), ...(decoded ?? []).map((x) => x[1])]);
        return reply({ op: "step", uplinks, ...(failed ? { failed } : {}), ...(decoded ? { decoded } : {}) }, transfer);
      }
      case "loss": {
        // the model comes with the request where no memory is shared (browsers without isolation)
        const w = m.w ?? model!;
        const losses: [ClientId, number][] = [];
        for (const [id, p] of parties) {
          try { losses.push([id, p.loss!(w)]); } catch (e) { return reply({ op: "loss", losses, failed: { id, error: toWire(e) } }); }
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

  return (m) => {
    // the reply echoes the request's number (thread.ts matches them)
    const reply = (r: Reply, transfer: ArrayBuffer[] = []) => send(m.seq === undefined ? r : { ...r, seq: m.seq }, transfer);
    handle(m, reply).catch((e) => reply({ op: "error", error: toWire(e) }));
  };
}
