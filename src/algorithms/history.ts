// Catch-up of missed updates (spec/optimization.md, Artemis "Partial participation": "the server
// keeps the compressed updates each worker missed and sends them when it comes back, so every
// active worker holds the same model"). The server keeps each round's shared downlink message
// until every client has received it; a client checks it is handed exactly the rounds it lacks.
import { FedquantError } from "../errors.js";
import type { Section } from "./envelope.js";
import type { ClientId } from "./types.js";
import { base64ToBytes, bytesToBase64, perClient } from "./vec.js";

export class DownlinkHistory {
  /** round → the shared downlink message carrying that round's update */
  private readonly messages = new Map<number, Uint8Array>();
  /** client → the first round whose message it has not received */
  private readonly next = new Map<ClientId, number>();

  constructor(clients: readonly ClientId[]) {
    for (const c of clients) this.next.set(c, 0);
  }

  push(round: number, msg: Uint8Array): void {
    this.messages.set(round, msg);
  }

  /** The sections client c needs before round k: rounds next(c) … k−1, in order. */
  sectionsFor(client: ClientId, round: number): Section[] {
    const from = this.next.get(client)!;
    const out: Section[] = [];
    for (let r = from; r < round; r++) {
      const bytes = this.messages.get(r);
      if (bytes === undefined) throw new FedquantError("E_STATE", `downlink history lost round ${r}, which client ${client} still needs`);
      out.push({ round: r, slot: 0, bytes });
    }
    return out;
  }

  /** Record that client c has been sent everything before round k, and forget what all clients have. */
  delivered(client: ClientId, round: number): void {
    this.next.set(client, round);
  }

  prune(): void {
    let min = Infinity;
    for (const r of this.next.values()) min = Math.min(min, r);
    for (const r of this.messages.keys()) if (r < min) this.messages.delete(r);
  }

  /** Messages held (for tests and memory reports). */
  get size(): number { return this.messages.size; }

  toJSON(): { next: [ClientId, number][]; messages: [number, string][] } {
    return {
      next: [...this.next],
      messages: [...this.messages].map(([r, b]) => [r, bytesToBase64(b)] as [number, string]),
    };
  }

  load(state: unknown, round: number): void {
    const s = state as { next?: unknown; messages?: unknown };
    if (!s || !Array.isArray(s.next) || !Array.isArray(s.messages)) throw new FedquantError("E_STATE", "checkpoint history must have next and messages arrays");
    for (const [id, r] of perClient(s.next, [...this.next.keys()], "checkpoint history")) {
      if (!Number.isInteger(r) || (r as number) < 0 || (r as number) > round) {
        throw new FedquantError("E_STATE", `checkpoint history entry [${id}, ${JSON.stringify(r)}] is not [known client, round ≤ ${round}]`);
      }
      this.next.set(id, r as number);
    }
    this.messages.clear();
    for (const e of s.messages) {
      if (!Array.isArray(e) || !Number.isInteger(e[0]) || e[0] < 0 || e[0] >= round) throw new FedquantError("E_STATE", "checkpoint history message must be [round < current round, base64]");
      this.messages.set(e[0], base64ToBytes(e[1], `history message of round ${e[0]}`));
    }
    for (const from of this.next.values()) for (let r = from; r < round; r++) {
      if (!this.messages.has(r)) throw new FedquantError("E_STATE", `checkpoint history lacks round ${r}, which a client still needs`);
    }
  }
}

/** A client's check of a catch-up: sections must be rounds from … round−1, slot 0, in order. */
export function expectContiguous(sections: readonly Section[], from: number, round: number, client: ClientId): void {
  if (sections.length > 0 && sections[0]!.round < from) {
    // the server never saw this client's uplink of a round whose downlink it applied (absent
    // with receive(…, { allowAbsent })): its memories moved too, so skipping would not be enough
    throw new FedquantError("E_PROTOCOL", `client ${client} has applied rounds < ${from}, but the downlink of round ${round} starts at round ${sections[0]!.round}: ` +
      "the server did not use this client's uplink of a later round; restore the client's state from before that step");
  }
  if (sections.length !== round - from) {
    throw new FedquantError("E_PROTOCOL", `client ${client} has applied rounds < ${from}; the downlink of round ${round} must carry ${round - from} update(s), it carries ${sections.length}`);
  }
  for (let j = 0; j < sections.length; j++) {
    const s = sections[j]!;
    if (s.round !== from + j || s.slot !== 0) {
      throw new FedquantError("E_PROTOCOL", `client ${client}: downlink section ${j} is round ${s.round} slot ${s.slot}, expected round ${from + j} slot 0`);
    }
  }
}
