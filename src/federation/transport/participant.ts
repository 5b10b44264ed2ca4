// The client's side of the round protocol over any Link: hello with the token, build the
// algorithm's client from the session, answer each round, apply catch-ups, and rewind a step the
// server did not accept. One Participant outlives its connections (reconnection keeps its state).
import { FedquantError } from "../../errors.js";
import { decodeFrame, encodeFrame, NO_ROUND, type Frame } from "./frames.js";
import { CloseCode, type Link } from "./link.js";
import type { Logger, ParticipantDriver, ParticipantFactory } from "./driver.js";

export interface ParticipantOptions {
  token: string;
  factory: ParticipantFactory;
  /** Frames from the server larger than this are a protocol error (default 64 MiB). */
  maxFrameBytes?: number;
  log?: Logger;
  /** Called after each uplink is sent. */
  onStep?: (info: { round: number; bitsUp: number; bitsDown: number }) => void;
  /**
   * Durable clients: called after each step with the whole client state, before the uplink is
   * sent (so a saved state never lags an uplink the server may use). Save it atomically; a
   * restarted process passes it back as `state`. Throwing stops the client (nothing is sent).
   */
  onState?: (state: ParticipantState) => void;
  /** Resume from a state saved by onState: the hello says its last applied round, the welcome must match its client and session. */
  state?: ParticipantState;
}

/** What a client needs to continue after its process died (plain JSON). */
export interface ParticipantState {
  format: "fedquant.participant";
  version: 1;
  client: number;
  /** the session JSON of the welcome it was built from */
  session: unknown;
  /** the driver's state after the last step (ParticipantDriver.snapshot()) */
  driver: unknown;
  /** that step, until the server acknowledges it: its round, the state before it, its uplink bits */
  pending: { round: number; snapshot: unknown; bits: number } | null;
  lastRound: number;
  counters: { accepted: number; steps: number; catchUps: number; bitsUp: number; bitsDown: number; bitsUpRejected: number };
}

/** Check an untrusted saved state (a file a user points at): E_STATE naming what is wrong. */
export function checkParticipantState(x: unknown): ParticipantState {
  const bad = (why: string): never => { throw new FedquantError("E_STATE", `client state: ${why}`); };
  if (x === null || typeof x !== "object" || Array.isArray(x)) bad("not a JSON object");
  const o = x as Partial<ParticipantState>;
  if (o.format !== "fedquant.participant" || o.version !== 1) bad(`not a fedquant client state (format ${JSON.stringify(o.format)}, version ${JSON.stringify(o.version)})`);
  if (!Number.isInteger(o.client) || o.client! < 0) bad(`client must be an integer ≥ 0, got ${JSON.stringify(o.client)}`);
  if (!Number.isInteger(o.lastRound) || o.lastRound! < -1 || o.lastRound! >= 0xffffffff) bad(`lastRound must be an integer ≥ −1, got ${JSON.stringify(o.lastRound)}`);
  if (o.driver === undefined || o.session === undefined) bad("driver or session missing");
  const p = o.pending;
  if (p !== null && (typeof p !== "object" || p === undefined || !Number.isInteger(p.round) || p.round > o.lastRound! || !(Number.isInteger(p.bits) && p.bits >= 0))) bad("pending step damaged");
  const c = o.counters as Record<string, unknown> | undefined;
  if (!c || typeof c !== "object" || ["accepted", "steps", "catchUps", "bitsUp", "bitsDown", "bitsUpRejected"].some((k) => !(Number.isInteger(c[k]) && (c[k] as number) >= 0))) bad("counters damaged");
  return o as ParticipantState;
}

export interface ParticipantResult {
  client: number;
  summary: unknown;
  /** Uplinks the server accepted. */
  accepted: number;
  /** Rounds stepped (accepted or not) and catch-ups applied. */
  steps: number;
  catchUps: number;
  /** Information bits (ParticipantDriver.bits) sent in uplinks / received in downlinks and catch-ups. */
  bitsUp: number;
  bitsDown: number;
  /** Of bitsUp, the bits of uplinks the server did not use (late, or lost with a connection). */
  bitsUpRejected: number;
}

/** How one connection ended. */
export interface LinkEnd { code: number; reason: string; bye?: string; done: boolean }

export class Participant {
  client?: number;
  driver?: ParticipantDriver;
  private pending?: { round: number; snapshot: unknown; bits: number };
  /** State before the catch-ups of the round about to open. */
  private preRound?: { state: unknown };
  private queue: Promise<void> = Promise.resolve();
  private acceptedCount = 0;
  private steps = 0;
  private catchUps = 0;
  private bitsUp = 0;
  private bitsDown = 0;
  private bitsUpRejected = 0;
  private lastRound = -1;
  private result?: ParticipantResult;
  private failure?: Error;

  private restored?: ParticipantState;
  private session?: unknown;

  constructor(private readonly opts: ParticipantOptions) {
    if (opts.state !== undefined) {
      const st = checkParticipantState(opts.state);
      this.restored = st;
      this.lastRound = st.lastRound;
      const k = st.counters;
      this.acceptedCount = k.accepted; this.steps = k.steps; this.catchUps = k.catchUps;
      this.bitsUp = k.bitsUp; this.bitsDown = k.bitsDown; this.bitsUpRejected = k.bitsUpRejected;
    }
  }

  /** The state a restarted process resumes from (see ParticipantOptions.onState); undefined before the welcome. */
  exportState(): ParticipantState | undefined {
    if (!this.driver || this.client === undefined) return undefined;
    return {
      format: "fedquant.participant", version: 1, client: this.client, session: this.session,
      driver: this.driver.snapshot(), pending: this.pending ? { ...this.pending } : null, lastRound: this.lastRound,
      counters: { accepted: this.acceptedCount, steps: this.steps, catchUps: this.catchUps, bitsUp: this.bitsUp, bitsDown: this.bitsDown, bitsUpRejected: this.bitsUpRejected },
    };
  }

  /** Set once a DONE frame arrived. */
  get finished(): ParticipantResult | undefined { return this.result; }
  /** Set when this participant cannot go on (bad session, a step failed, the server broke the protocol). */
  get failed(): Error | undefined { return this.failure; }

  /** Run the protocol over one connection; resolves when it closes. */
  attach(link: Link): Promise<LinkEnd> {
    return new Promise((resolve) => {
      let bye: string | undefined;
      link.onClose((code, reason) => {
        // frames already queued are handled before we report the end of the link
        this.queue = this.queue.then(() => resolve({ code, reason, bye, done: this.result !== undefined }));
      });
      link.onFrame((bytes) => {
        const max = this.opts.maxFrameBytes ?? 64 * 2 ** 20;
        let f: Frame;
        try {
          if (bytes.length > max) throw new FedquantError("E_PROTOCOL", `server frame of ${bytes.length} bytes exceeds the ${max}-byte maximum`);
          f = decodeFrame(bytes);
        } catch (e) {
          this.fail(link, e as Error);
          return;
        }
        if (f.type === "bye") { bye = f.reason; this.opts.log?.({ level: "warn", event: "bye", client: this.client, message: `server: ${f.reason}` }); return; }
        this.queue = this.queue.then(() => this.handle(link, f)).catch((e: unknown) => this.fail(link, e as Error));
      });
      // the last round this client applied: the server refuses a twin or a lost state with it
      link.send(encodeFrame({ type: "hello", round: this.lastRound < 0 ? NO_ROUND : this.lastRound, token: this.opts.token }));
    });
  }

  private fail(link: Link, e: Error): void {
    this.failure ??= e;
    this.opts.log?.({ level: "warn", event: "failed", client: this.client, message: e.message });
    link.close(CloseCode.protocol, e.message);
  }

  private async handle(link: Link, f: Frame): Promise<void> {
    if (this.failure) return;
    switch (f.type) {
      case "welcome": {
        if (this.client !== undefined && this.client !== f.client) {
          throw new FedquantError("E_PROTOCOL", `the server calls this client ${f.client}, it joined as ${this.client}`);
        }
        if (!this.driver) {
          const st = this.restored;
          if (st && st.client !== f.client) throw new FedquantError("E_STATE", `the saved state is client ${st.client}'s, the server calls this token's client ${f.client}`);
          if (st && JSON.stringify(st.session) !== JSON.stringify(f.session)) throw new FedquantError("E_STATE", "the saved state belongs to another session than the one this server runs");
          this.client = f.client;
          this.session = f.session;
          this.driver = await this.opts.factory(f.session, f.client);
          if (st) {
            try { this.driver.restore(st.driver); } catch (e) {
              throw new FedquantError("E_STATE", `the saved client state does not fit this session: ${(e as Error).message}`, { cause: e });
            }
            this.pending = st.pending ?? undefined;
            this.restored = undefined;
          }
        }
        this.settle(f.accepted);
        this.unwindCatchUps();
        if (this.lastRound >= f.round) {
          // only a server resumed from a checkpoint older than the rounds it already acknowledged
          // can be behind its client (docs/network.md "Checkpoints and --resume"): one step can be
          // rewound, several applied ones cannot — going on would desynchronise the memories
          throw new FedquantError("E_STATE", `the server is at round ${f.round}, but this client already applied round ${this.lastRound} ` +
            `(the server resumed from an older checkpoint); restart this client from a state saved before round ${f.round}`);
        }
        this.opts.log?.({ level: "info", event: "welcome", client: f.client, round: f.round, message: `joined as client ${f.client} at round ${f.round}` });
        return;
      }
      case "catchUp": {
        const d = this.need();
        this.settle(f.accepted);
        if (!d.catchUp) throw new FedquantError("E_PROTOCOL", `the server sent a catch-up for round ${f.round}, but this algorithm has none`);
        // catch-ups belong to the round they precede: a rewind of that round undoes them too,
        // because the server will send them again next time
        this.preRound ??= { state: d.snapshot() };
        d.catchUp(f.round, f.payload);
        this.catchUps++;
        this.bitsDown += d.bits(f.payload);
        return;
      }
      case "round": {
        const d = this.need();
        this.settle(f.accepted);
        if (f.round <= this.lastRound) throw new FedquantError("E_PROTOCOL", `round ${f.round} after round ${this.lastRound}: rounds must increase`);
        this.lastRound = f.round;
        this.bitsDown += d.bits(f.payload);
        const snapshot = this.preRound ? this.preRound.state : d.snapshot();
        this.preRound = undefined;
        const up = await d.step(f.round, f.payload);
        const bits = d.bits(up);
        this.pending = { round: f.round, snapshot, bits };
        this.steps++;
        this.bitsUp += bits;
        if (this.opts.onState) this.opts.onState(this.exportState()!);
        link.send(encodeFrame({ type: "uplink", round: f.round, attempt: f.attempt, payload: up }));
        this.opts.onStep?.({ round: f.round, bitsUp: this.bitsUp, bitsDown: this.bitsDown });
        return;
      }
      case "done": {
        this.settle(f.accepted);
        this.unwindCatchUps();
        this.result = {
          client: this.client ?? -1, summary: f.summary, accepted: this.acceptedCount, steps: this.steps,
          catchUps: this.catchUps, bitsUp: this.bitsUp, bitsDown: this.bitsDown, bitsUpRejected: this.bitsUpRejected,
        };
        this.opts.log?.({ level: "info", event: "done", client: this.client, round: f.round, message: `session finished after round ${f.round}` });
        return;
      }
      default:
        throw new FedquantError("E_PROTOCOL", `unexpected ${f.type} frame from the server`);
    }
  }

  private need(): ParticipantDriver {
    if (!this.driver) throw new FedquantError("E_PROTOCOL", "the server sent a round before the welcome");
    return this.driver;
  }

  /** Catch-ups applied for a round that never came (the link dropped): the server will resend them. */
  private unwindCatchUps(): void {
    if (!this.preRound) return;
    this.driver!.restore(this.preRound.state);
    this.preRound = undefined;
  }

  /** The server says its last accepted uplink from us: keep the pending step, or rewind it. */
  private settle(accepted: number): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    if (accepted !== NO_ROUND && accepted >= p.round) { this.acceptedCount++; return; }
    this.driver!.restore(p.snapshot);
    this.bitsUpRejected += p.bits;
    this.lastRound = Math.min(this.lastRound, p.round - 1); // the server may run that round again
    this.opts.log?.({ level: "info", event: "rewind", client: this.client, round: p.round, message: `uplink for round ${p.round} was not used by the server; state rewound` });
  }
}
