// The server's round engine over any Links (WebSockets, worker ports): handshake with a
// per-client token, rounds with a deadline, validation of every frame before it reaches the
// algorithm, dropping of offenders, rejoin with catch-up. Browser-safe (the demo runs it in a page).
// Its parts: admission.ts (connections before their hello), coordinator-options.ts (settings),
// round-bits.ts (bit and byte counters), coordinator-state.ts (reports, checkpoint state).
import { FedquantError } from "../../errors.js";
import { decodeFrame, encodeFrame, NO_ROUND, type Frame } from "./frames.js";
import { CloseCode, type Link } from "./link.js";
import { Admission, tokenBytes } from "./admission.js";
import { RoundBits } from "./round-bits.js";
import { checkCoordinatorOptions, type CoordinatorOptions } from "./coordinator-options.js";
import { checkCoordinatorState, copyReports, sessionResult, type CoordinatorState, type RoundReport, type SessionResult } from "./coordinator-state.js";
import { isRepeat, type LogEvent, type RoundDriver, type RoundOutcome, type RoundPlan, type RepeatRound } from "./driver.js";

export type { CoordinatorState, RoundReport, SessionResult } from "./coordinator-state.js";
export type { CoordinatorOptions } from "./coordinator-options.js";

interface Slot {
  id: number;
  link?: Link;
  /** Last round whose uplink was accepted (NO_ROUND: none). */
  accepted: number;
  /** Last round this client was invited to (NO_ROUND: none). */
  invited: number;
  /** Attempts (→ their round) it was sent on its current connection and has not answered (bounded). */
  unanswered: Map<number, number>;
  /** Rounds in a row it was sent and did not answer while connected (maxMissedRounds). */
  missed: number;
}

/** waiting: for minClients; open: a round awaits uplinks; between: a round closed, the next not yet open. */
type Phase = "waiting" | "open" | "between" | "paused" | "finished" | "stopped";

/** A late uplink more than this many round openings old is a protocol error, not slowness. */
const MAX_LATE_ATTEMPTS = 64;
export class Coordinator {
  private readonly slots: Slot[];
  private readonly admission: Admission;
  private readonly tally: RoundBits;
  private phase: Phase = "waiting";
  private round = 0;
  /**
   * Counts round openings, repeats included: a round run again is a new attempt, and an uplink
   * names the attempt it answers, so an answer to the abandoned one is never taken for the new.
   */
  private attempt = 0;
  private invited: number[] = [];
  private waitingFor = new Set<number>();
  private uplinks = new Map<number, Uint8Array>();
  private deadline?: ReturnType<typeof setTimeout>;
  private startTimer?: ReturnType<typeof setTimeout>;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private gapTimer?: ReturnType<typeof setTimeout>;
  /** When the current round opened (performance.now(), monotonic): roundEveryMs counts from it. */
  private openedAt = 0;
  private statusTimer?: ReturnType<typeof setInterval>;
  private readonly reports: RoundReport[] = [];
  private resolveDone!: (r: SessionResult) => void;
  private rejectDone!: (e: unknown) => void;
  /** Settles when the last round closes (or rejects if stop() is called first). */
  readonly finished: Promise<SessionResult>;

  constructor(private readonly driver: RoundDriver, private readonly opts: CoordinatorOptions) {
    const n = opts.tokens.length;
    if (n < 1) throw new FedquantError("E_CONFIG", "a federation needs at least one client token");
    const tokens = tokenBytes(opts.tokens);
    this.tally = new RoundBits((m) => driver.bits(m));
    this.slots = tokens.map((_, id) => ({ id, accepted: NO_ROUND, invited: NO_ROUND, unanswered: new Map<number, number>(), missed: 0 }));
    checkCoordinatorOptions(opts, driver.rounds);
    this.admission = new Admission(tokens, opts, {
      log: (e) => this.log(e),
      reject: (link, reason, code) => this.reject(link, reason, code),
      received: (bytes) => { this.tally.wireUp += bytes; },
      over: () => this.phase === "finished" || this.phase === "stopped",
      hello: (link, id, applied, authenticated) => this.hello(link, this.slots[id]!, applied, authenticated),
    });
    if (opts.resume !== undefined) this.restore(opts.resume);
    const every = opts.statusEveryMs ?? 30_000;
    if (every > 0) {
      this.statusTimer = setInterval(() => this.status(), every);
      // a status line must never keep a process alive on its own
      (this.statusTimer as { unref?: () => void }).unref?.();
    }
    this.finished = new Promise((res, rej) => { this.resolveDone = res; this.rejectDone = rej; });
    // a caller that only awaits the reports may never look at finished: keep a rejection from being "unhandled"
    this.finished.catch(() => {});
    if (opts.startTimeoutMs !== undefined) {
      this.startTimer = setTimeout(() => {
        if (this.phase === "waiting" && this.connected().length >= (opts.quorum ?? 1)) {
          this.log({ level: "info", event: "start", message: `start timeout: starting with ${this.connected().length} of ${n} clients` });
          this.openRound();
        }
      }, opts.startTimeoutMs);
    }
  }

  /** The state to resume from (see CoordinatorOptions.resume); meaningful between rounds (in onRound). */
  checkpoint(withReports = true): CoordinatorState {
    const r = (x: number): number => (x === NO_ROUND ? -1 : x);
    return {
      round: this.round,
      accepted: this.slots.map((s) => r(s.accepted)),
      invited: this.slots.map((s) => r(s.invited)),
      // without reports: O(1) per round (serve --out appends them to a log instead)
      reports: !withReports ? [] : copyReports(this.reports),
    };
  }

  private restore(st: CoordinatorState): void {
    checkCoordinatorState(st, this.slots.length, this.driver.rounds);
    this.round = st.round;
    this.slots.forEach((s, i) => {
      s.accepted = st.accepted[i] === -1 ? NO_ROUND : st.accepted[i]!;
      s.invited = st.invited[i] === -1 ? NO_ROUND : st.invited[i]!;
    });
    this.reports.push(...st.reports);
  }

  /** Clients connected and authenticated right now. */
  connected(): number[] { return this.slots.filter((s) => s.link).map((s) => s.id); }

  get currentRound(): number { return this.round; }
  get state(): Phase { return this.phase; }

  /**
   * Hand a new connection to the coordinator: it must say hello with a valid token.
   * `authenticated` is called once its hello is accepted (the connection layer then lifts its
   * pre-hello limits and starts heartbeats).
   */
  attach(link: Link, authenticated?: () => void): void {
    if (this.phase === "finished" || this.phase === "stopped") {
      this.send(link, { type: "bye", round: this.round, reason: "the session is over" });
      link.close(CloseCode.finished, "the session is over");
      return;
    }
    this.admission.attach(link, authenticated);
  }

  /** Log who is missing while the session waits (a resumed server waits for its clients to return). */
  private status(): void {
    if (this.phase !== "waiting" && this.phase !== "paused") return;
    const missing = this.slots.filter((s) => !s.link).map((s) => s.id);
    if (missing.length === 0) return;
    this.log({ level: "info", event: "missing", round: this.round, message: `round ${this.round} waits; missing client(s) ${missing.join(", ")} (${this.connected().length} connected)` });
  }

  /** Close every connection and stop (the finished promise rejects if rounds remain). */
  stop(reason = "server stopping"): void {
    if (this.phase === "stopped") return;
    const wasFinished = this.phase === "finished";
    this.phase = "stopped";
    clearTimeout(this.deadline);
    clearTimeout(this.startTimer);
    clearTimeout(this.retryTimer);
    clearTimeout(this.gapTimer);
    clearInterval(this.statusTimer);
    this.admission.closeAll(CloseCode.goingAway, reason);
    for (const s of this.slots) if (s.link) { const l = s.link; s.link = undefined; l.close(CloseCode.goingAway, reason); }
    if (!wasFinished) this.rejectDone(new FedquantError("E_STATE", `the federation stopped at round ${this.round} of ${this.driver.rounds}: ${reason}`));
  }

  /**
   * The connection layer saw a fault the coordinator cannot (e.g. `ws` refusing a frame over its
   * maxPayload): drop the client behind that link, or reject it if it had not said hello yet.
   */
  linkFault(link: Link, reason: string, code: number = CloseCode.protocol): void {
    const s = this.slots.find((x) => x.link === link);
    if (s) return this.drop(s, reason, code);
    if (this.admission.unpend(link)) {
      this.log({ level: "warn", event: "rejected", peer: link.peer, message: `${link.peer} rejected: ${reason}` });
      link.close(code, reason);
    }
  }

  // ---- handshake ------------------------------------------------------------------------

  private reject(link: Link, reason: string, code: number): void {
    this.log({ level: "warn", event: "rejected", peer: link.peer, message: `${link.peer} rejected: ${reason}` });
    this.send(link, { type: "bye", round: this.round, reason });
    link.close(code, reason);
  }

  /** A hello with slot's token (admission.ts checked everything before the token). */
  private hello(link: Link, slot: Slot, applied: number, authenticated?: () => void): void {
    const reject = (reason: string, code: number): void => this.reject(link, reason, code);
    // the hello's round is the last round the client applied (NO_ROUND: none, a fresh state)
    if (slot.link) {
      // the live connection stays (it is answering, or the heartbeat will end it soon); a twin
      // that cannot be this client continuing is refused for good, any other one may retry
      if (slot.accepted !== NO_ROUND && (applied === NO_ROUND || applied < slot.accepted)) {
        return reject(`client ${slot.id} is connected from ${slot.link.peer} and at round ${slot.accepted}; this connection's state ` +
          `(${applied === NO_ROUND ? "none" : `round ${applied}`}) is older: a stale twin`, CloseCode.stale);
      }
      return reject(`client ${slot.id} is already connected from ${slot.link.peer}; retry once that connection ends`, CloseCode.busy);
    }
    if (slot.accepted !== NO_ROUND && (applied === NO_ROUND || applied < slot.accepted)) {
      // the server's memories for this client include its uplink of round `accepted`: a client
      // without that step (no state, or an older one) can never agree with them again
      return reject(`client ${slot.id}'s state is lost or older than the server's: the server used its uplink of round ${slot.accepted}, ` +
        `it says it applied ${applied === NO_ROUND ? "no round" : `rounds up to ${applied}`}; restart it from its saved state (fedquant join --state)`, CloseCode.stale);
    }
    const rejoin = slot.accepted !== NO_ROUND || slot.invited !== NO_ROUND;
    slot.link = link;
    authenticated?.();
    slot.unanswered.clear(); // answers to rounds of an old connection cannot come on this one
    const s = slot;
    link.onFrame((b) => { if (s.link === link) this.fromClient(s, b); });
    link.onClose((code, reason) => {
      if (s.link !== link) return;
      s.link = undefined;
      this.log({ level: "info", event: "left", client: s.id, round: this.round, message: `client ${s.id} disconnected (${code}${reason ? ` ${reason}` : ""})` });
      this.forget(s.id);
    });
    this.send(link, { type: "welcome", round: this.round, client: s.id, accepted: s.accepted, session: this.driver.session(s.id) });
    this.log({ level: "info", event: rejoin ? "rejoin" : "join", client: s.id, peer: link.peer, round: this.round, message: `client ${s.id} ${rejoin ? "rejoined" : "joined"} from ${link.peer}` });
    this.maybeStart();
  }

  private maybeStart(): void {
    const n = this.connected().length;
    if (this.phase === "waiting" && n >= (this.opts.minClients ?? this.slots.length)) this.openRound();
    else if (this.phase === "paused" && n >= (this.opts.quorum ?? 1)) this.openRound();
  }

  // ---- rounds ---------------------------------------------------------------------------

  private openRound(): void {
    clearTimeout(this.startTimer);
    const candidates = this.connected();
    if (candidates.length < (this.opts.quorum ?? 1)) {
      if (this.phase !== "paused") this.log({ level: "warn", event: "paused", round: this.round, message: `round ${this.round} waits: ${candidates.length} client(s) connected, quorum is ${this.opts.quorum ?? 1}` });
      this.phase = "paused";
      return;
    }
    this.phase = "open";
    this.openedAt = performance.now();
    clearTimeout(this.retryTimer);
    this.attempt++;
    let plan: RoundPlan;
    try {
      plan = this.driver.open(this.round, candidates);
    } catch (e) {
      // a bug of the driver, not of a client: stop loudly rather than take the server down
      this.log({ level: "warn", event: "failed", round: this.round, message: `round ${this.round} could not be opened: ${(e as Error).message}` });
      this.rejectDone(e);
      this.stop(`round ${this.round} failed`);
      return;
    }
    this.invited = [];
    this.waitingFor = new Set();
    this.uplinks = new Map();
    this.tally.open();
    for (const [id, downlink] of [...plan.downlinks].sort((a, b) => a[0] - b[0])) {
      const s = this.slots[id];
      if (!s) throw new FedquantError("E_STATE", `the driver invited client ${id}, which does not exist`);
      this.invited.push(id);
      if (!s.link) continue; // drawn by the algorithm but not connected: absent this round
      let bits = 0;
      for (const c of plan.catchUp?.get(id) ?? []) {
        this.send(s.link, { type: "catchUp", round: c.round, accepted: s.accepted, payload: c.payload });
        bits += this.driver.bits(c.payload);
      }
      this.send(s.link, { type: "round", round: this.round, deadlineMs: this.opts.deadlineMs, accepted: s.accepted, attempt: this.attempt, payload: downlink });
      this.tally.sentDown(id, bits + this.driver.bits(downlink));
      s.invited = this.round;
      s.unanswered.set(this.attempt, this.round);
      for (const a of s.unanswered.keys()) if (a + MAX_LATE_ATTEMPTS < this.attempt) s.unanswered.delete(a);
      this.waitingFor.add(id);
    }
    if (this.waitingFor.size === 0) { this.closeRound(); return; }
    const r = this.round;
    this.deadline = setTimeout(() => {
      if (this.phase !== "open" || this.round !== r) return;
      const missing = [...this.waitingFor];
      this.log({ level: "warn", event: "deadline", round: r, message: `round ${r} deadline (${this.opts.deadlineMs} ms): no uplink from client(s) ${missing.join(", ")}; they sit this round out` });
      this.closeRound();
    }, this.opts.deadlineMs);
  }

  /**
   * A client that left or was dropped is no longer awaited this round, and an uplink it already
   * sent is discarded: an uplink counts only if its sender is still connected when the round
   * closes, so a client that reconnects is told exactly which of its uplinks were used.
   */
  private forget(id: number): void {
    if (this.phase !== "open") return;
    const held = this.uplinks.get(id);
    if (held) this.tally.rejectedUp(held);
    this.uplinks.delete(id);
    if (this.waitingFor.delete(id) && this.waitingFor.size === 0) this.closeRound();
  }

  private closeRound(): void {
    clearTimeout(this.deadline);
    const r = this.round;
    // value screening needs the whole round (a median over its uplinks): offenders are dropped
    // here, before the algorithm sees any of them, and the round closes with the others
    if (this.driver.screen && this.uplinks.size > 0) {
      let verdict: Map<number, string>;
      try { verdict = this.driver.screen(r, this.uplinks); } catch (e) { verdict = new Map(); this.log({ level: "warn", event: "failed", round: r, message: `uplink screening failed: ${(e as Error).message}` }); }
      for (const [id, why] of verdict) {
        const s = this.slots[id];
        if (!s || !this.uplinks.has(id)) continue;
        this.tally.rejectedUp(this.uplinks.get(id)!);
        this.uplinks.delete(id);
        this.drop(s, `uplink for round ${r} refused: ${why}`);
      }
    }
    const uplinks = this.uplinks;
    let bitsUp = 0;
    for (const u of uplinks.values()) bitsUp += this.driver.bits(u);
    let result: RoundOutcome | RepeatRound;
    try {
      result = this.driver.close(r, uplinks);
    } catch (e) {
      // the uplinks passed check(), so this is a bug of the driver, not of a client: stop loudly
      this.log({ level: "warn", event: "failed", round: r, message: `round ${r} could not be closed: ${(e as Error).message}` });
      this.rejectDone(e);
      this.stop(`round ${r} failed`);
      return;
    }
    if (isRepeat(result)) return this.repeatRound(result.repeat);
    const outcome = result;
    for (const id of uplinks.keys()) { this.slots[id]!.accepted = r; this.slots[id]!.missed = 0; }
    const participants = [...uplinks.keys()].sort((a, b) => a - b);
    const { sentTo, ...bits } = this.tally.close(uplinks);
    const report: RoundReport = {
      round: r, invited: this.invited, participants,
      absent: this.invited.filter((id) => !uplinks.has(id)),
      bitsDown: bits.bitsDown, bitsUp, bitsDownUnused: bits.bitsDownUnused, bitsUpRejected: bits.bitsUpRejected,
      wireBytesDown: bits.wireBytesDown, wireBytesUp: bits.wireBytesUp,
      outcome,
    };
    const every = this.opts.roundEveryMs;
    if (every !== undefined) report.late = performance.now() - this.openedAt > every;
    // sent a round and no answer while still connected: a stalled client costs every round a deadline
    const maxMissed = this.opts.maxMissedRounds ?? 3;
    const evict: Slot[] = [];
    for (const id of sentTo) {
      const s = this.slots[id]!;
      if (uplinks.has(id) || !s.link) continue;
      if (++s.missed >= maxMissed && maxMissed > 0) { s.missed = 0; evict.push(s); }
    }
    this.reports.push(report);
    this.uplinks = new Map();
    this.waitingFor = new Set();
    this.round = r + 1;
    this.phase = "between";
    // after the phase change: a drop must not re-enter closeRound through forget()
    for (const s of evict) this.drop(s, `no answer in ${maxMissed} rounds in a row; reconnect when ready`, CloseCode.evicted, "evicted");
    this.opts.onRound?.(report);
    if ((this.phase as Phase) === "stopped") return; // onRound may stop the federation
    if (this.round >= this.driver.rounds) return this.finish();
    // a microtask, not a call: rounds without any invited client must not grow the stack
    const next = (): void => { if (this.phase === "between") this.openRound(); };
    // a fixed cadence: the next round opens one period after this one opened, at once if that passed
    const wait = every === undefined ? this.opts.roundGapMs ?? 0 : this.openedAt + every - performance.now();
    if (wait > 0) this.gapTimer = setTimeout(next, wait);
    else queueMicrotask(next);
  }

  /**
   * The driver needs this round again (its algorithm cannot complete it without an absent
   * client): nobody's uplink counts, and the round reopens when a client (re)joins or after
   * one more deadline. Downlink bits already sent count as unused in this round's report.
   */
  private repeatRound(why: string): void {
    const r = this.round;
    for (const [, u] of this.uplinks) this.tally.rejectedUp(u);
    this.uplinks = new Map();
    this.waitingFor = new Set();
    this.tally.abandon();
    this.phase = "paused";
    this.log({ level: "warn", event: "repeat", round: r, message: `round ${r} will be run again: ${why}` });
    this.retryTimer = setTimeout(() => { if (this.phase === "paused" && this.round === r) this.openRound(); }, this.opts.deadlineMs);
  }

  private finish(): void {
    this.phase = "finished";
    const summary = this.driver.summary?.() ?? null;
    for (const s of this.slots) {
      if (!s.link) continue;
      const l = s.link;
      s.link = undefined;
      this.send(l, { type: "done", round: this.round - 1, accepted: s.accepted, summary });
      l.close(CloseCode.finished, "the session is over");
    }
    clearInterval(this.statusTimer);
    this.log({ level: "info", event: "finished", round: this.round - 1, message: `finished ${this.reports.length} rounds` });
    this.resolveDone(sessionResult(this.reports));
  }

  // ---- frames from authenticated clients ------------------------------------------------

  private fromClient(s: Slot, bytes: Uint8Array): void {
    this.tally.wireUp += bytes.length;
    if (bytes.length > this.opts.maxFrameBytes) return this.drop(s, `frame of ${bytes.length} bytes exceeds the ${this.opts.maxFrameBytes}-byte maximum`, CloseCode.tooBig);
    let f: Frame;
    try { f = decodeFrame(bytes); } catch (e) { return this.drop(s, (e as Error).message); }
    if (f.type !== "uplink") return this.drop(s, `clients may only send uplink frames after the hello, got ${f.type}`);
    const openAttempt = this.phase === "open" ? this.attempt : -1;
    if (f.attempt !== openAttempt || f.round !== this.round) {
      // an answer to a round (or an earlier attempt at this round) that closed before it
      // arrived: the client was slow, not malicious — it was counted absent, the uplink is ignored
      if (f.attempt !== openAttempt && s.unanswered.get(f.attempt) === f.round) {
        s.unanswered.delete(f.attempt);
        this.tally.rejectedUp(f.payload);
        this.log({ level: "info", event: "late", client: s.id, round: f.round, message: `late uplink from client ${s.id} for round ${f.round} ignored (now round ${this.round})` });
        return;
      }
      return this.drop(s, `uplink for round ${f.round} (attempt ${f.attempt}), but the open round is ${this.phase === "open" ? `${this.round} (attempt ${this.attempt})` : "none"}`);
    }
    if (!this.waitingFor.has(s.id)) {
      return this.drop(s, this.uplinks.has(s.id) ? `second uplink for round ${f.round}` : `uplink for round ${f.round}, to which it was not invited`);
    }
    try {
      this.driver.check(f.round, s.id, f.payload);
    } catch (e) {
      this.tally.rejectedUp(f.payload);
      return this.drop(s, `invalid uplink for round ${f.round}: ${(e as Error).message}`);
    }
    this.uplinks.set(s.id, f.payload.slice());
    s.unanswered.delete(f.attempt);
    this.waitingFor.delete(s.id);
    if (this.waitingFor.size === 0) this.closeRound();
  }

  /** Drop an offender: log why, tell it, close its connection; the round goes on without it. */
  private drop(s: Slot, reason: string, code: number = CloseCode.protocol, event = "dropped"): void {
    const l = s.link;
    if (!l) return;
    s.link = undefined;
    this.log({ level: "warn", event, client: s.id, round: this.round, peer: l.peer, message: `client ${s.id} dropped: ${reason}` });
    this.send(l, { type: "bye", round: this.round, reason });
    l.close(code, reason);
    this.forget(s.id);
  }

  private send(link: Link, f: Frame): void {
    const bytes = encodeFrame(f);
    this.tally.wireDown += bytes.length;
    link.send(bytes);
  }

  private log(e: LogEvent): void { this.opts.log?.(e); }
}
