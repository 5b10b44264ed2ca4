// Admission of connections before their hello (docs/network.md "Availability", "What is
// validated" 1–3): the bounded waiting room, the handshake timer, the size and shape of the first
// frame, the wrong-token limit per address, and the constant-time token match. What a valid hello
// then means for its client (twin, stale state, rejoin) is the Coordinator's decision.
import { FedquantError } from "../../errors.js";
import { decodeFrame, type Frame } from "./frames.js";
import { CloseCode, type Link } from "./link.js";
import { PendingGate, WrongTokenLimit } from "./gate.js";
import type { LogEvent } from "./driver.js";

const utf8 = new TextEncoder();

/** Compare a presented token with a secret without an early exit (no timing oracle on the prefix). */
function sameToken(secret: Uint8Array, presented: Uint8Array): boolean {
  let diff = secret.length ^ presented.length;
  for (let i = 0; i < secret.length; i++) diff |= secret[i]! ^ (presented[i % Math.max(1, presented.length)] ?? 0);
  return diff === 0;
}

/** Each client's token as bytes; E_CONFIG for an empty or shared one. */
export function tokenBytes(tokens: readonly string[]): Uint8Array[] {
  const seen = new Set<string>();
  return tokens.map((t, id) => {
    if (typeof t !== "string" || t.length === 0) throw new FedquantError("E_CONFIG", `token of client ${id} must be a non-empty string`);
    if (seen.has(t)) throw new FedquantError("E_CONFIG", `clients share a token (client ${id}); each client needs its own`);
    seen.add(t);
    return utf8.encode(t);
  });
}

export interface AdmissionOptions {
  maxFrameBytes: number;
  handshakeMs?: number;
  maxPending?: number;
  maxPendingPerAddress?: number;
  maxWrongTokens?: number;
  wrongTokenWindowMs?: number;
}

export interface AdmissionHooks {
  log(e: LogEvent): void;
  /** Tell the peer why (a bye frame) and close with `code`. */
  reject(link: Link, reason: string, code: number): void;
  /** Bytes of a pre-hello frame (the wire counters). */
  received(bytes: number): void;
  /** Whether the session is over (a right token then gets 4005). */
  over(): boolean;
  /** A hello with client `id`'s token; `applied` is the last round it says it applied (NO_ROUND: none). */
  hello(link: Link, id: number, applied: number, authenticated?: () => void): void;
}

export class Admission {
  private readonly pending: PendingGate<Link>;
  private readonly timers = new Map<Link, ReturnType<typeof setTimeout>>();
  private readonly wrongTokens: WrongTokenLimit;

  constructor(private readonly tokens: readonly Uint8Array[], private readonly opts: AdmissionOptions, private readonly hooks: AdmissionHooks) {
    this.pending = new PendingGate<Link>({ maxPending: opts.maxPending ?? 64, maxPerAddress: opts.maxPendingPerAddress ?? 16 });
    this.wrongTokens = new WrongTokenLimit({ maxWrong: opts.maxWrongTokens ?? 10, windowMs: opts.wrongTokenWindowMs ?? 60_000 });
  }

  /** A new connection waits here until its hello (or its eviction, or the handshake timeout). */
  attach(link: Link, authenticated?: () => void): void {
    // a full waiting room evicts its oldest occupant rather than refusing the newcomer: an
    // honest client says hello within a round trip, a silent one only ages (docs/network.md)
    for (const old of this.pending.admit(link, link.address ?? link.peer)) {
      this.unpend(old);
      this.hooks.log({ level: "warn", event: "rejected", peer: old.peer, message: `${old.peer} evicted: too many connections waiting for a hello (it was the oldest)` });
      old.close(CloseCode.full, "too many pending connections");
    }
    this.timers.set(link, setTimeout(() => {
      if (!this.unpend(link)) return;
      this.hooks.log({ level: "warn", event: "rejected", peer: link.peer, message: `${link.peer} sent no hello within ${this.opts.handshakeMs ?? 10_000} ms` });
      link.close(CloseCode.timeout, "no hello in time");
    }, this.opts.handshakeMs ?? 10_000));
    link.onClose(() => { this.unpend(link); });
    link.onFrame((bytes) => {
      if (!this.unpend(link)) return;
      this.handshake(link, bytes, authenticated);
    });
  }

  /** Take a link out of the waiting room; false if it was not there. */
  unpend(link: Link): boolean {
    clearTimeout(this.timers.get(link));
    this.timers.delete(link);
    return this.pending.remove(link);
  }

  /** Close every waiting connection (the server stops). */
  closeAll(code: number, reason: string): void {
    for (const l of this.pending.all()) { this.unpend(l); l.close(code, reason); }
  }

  private handshake(link: Link, bytes: Uint8Array, authenticated?: () => void): void {
    this.hooks.received(bytes.length);
    const reject = (reason: string, code: number): void => this.hooks.reject(link, reason, code);
    if (bytes.length > this.opts.maxFrameBytes) return reject(`frame of ${bytes.length} bytes exceeds the ${this.opts.maxFrameBytes}-byte maximum`, CloseCode.tooBig);
    let f: Frame;
    try { f = decodeFrame(bytes); } catch (e) { return reject((e as Error).message, CloseCode.protocol); }
    if (f.type !== "hello") return reject(`expected a hello frame first, got ${f.type}`, CloseCode.protocol);
    const address = link.address ?? link.peer;
    const wait = this.wrongTokens.blockedFor(address);
    if (wait > 0) return reject(`too many wrong tokens from ${address}; try again in ${Math.ceil(wait / 1000)} s`, CloseCode.throttled);
    const presented = utf8.encode(f.token);
    let id = -1;
    for (const [i, t] of this.tokens.entries()) if (sameToken(t, presented)) id = i;
    if (id < 0) { this.wrongTokens.wrong(address); return reject("wrong token", CloseCode.unauthorized); }
    if (this.hooks.over()) return reject("the session is over", CloseCode.finished);
    this.hooks.hello(link, id, f.round, authenticated);
  }
}
