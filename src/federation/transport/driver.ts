// What the transport needs from an algorithm, on each side of the wire. The transport moves
// opaque payloads; these two interfaces are where the algorithm's state machines plug in
// (algorithm-driver.ts adapts src/algorithms to them), so the network never re-implements one.

/** The server side, driven one round at a time by the Coordinator. */
export interface RoundDriver {
  /** Rounds are numbered 0 .. rounds − 1. */
  readonly rounds: number;
  /** JSON sent to a client when it joins: everything it needs to build its ParticipantDriver. */
  session(client: number): unknown;
  /**
   * Open a round. `candidates` are the connected clients (ascending ids); the driver returns a
   * downlink for each client it wants in this round (it may sample a subset; a client it names
   * that is not connected counts as absent), and for any of them the past downlinks it must
   * apply first (catch-up after an absence).
   */
  open(round: number, candidates: readonly number[]): RoundPlan;
  /**
   * Validate an uplink (dimension, compressor, parameters, payload) before it can touch the
   * server state; throw a FedquantError saying what is wrong. Must not change any state.
   */
  check(round: number, client: number, uplink: Uint8Array): void;
  /**
   * Optional value screening of a whole round's uplinks (each passed `check`), just before
   * close: returns the clients to refuse, with the reason (e.g. a norm far above the round's
   * median). They are dropped and the round closes without them. Must not change any state.
   */
  screen?(round: number, uplinks: ReadonlyMap<number, Uint8Array>): Map<number, string>;
  /**
   * Close a round with the uplinks that passed `check` before the deadline — or ask for the
   * round to be run again (`{ repeat: why }`) when the algorithm cannot go on without a client
   * that did not answer; the driver must then be back in the state it had before open().
   */
  close(round: number, uplinks: ReadonlyMap<number, Uint8Array>): RoundOutcome | RepeatRound;
  /** The information bits of one algorithm message (what the papers count), exact. */
  bits(message: Uint8Array): number;
  /** JSON summary sent to every client at the end. */
  summary?(): unknown;
}

export interface RoundPlan {
  downlinks: Map<number, Uint8Array>;
  catchUp?: Map<number, { round: number; payload: Uint8Array }[]>;
}

/** Whatever the algorithm reports for a round (loss, distances …), numbers only. */
export type RoundOutcome = Record<string, number>;
export interface RepeatRound { repeat: string }

export function isRepeat(x: RoundOutcome | RepeatRound): x is RepeatRound {
  return typeof (x as { repeat?: unknown }).repeat === "string";
}

/** The client side, driven by a Participant. */
export interface ParticipantDriver {
  /** Apply the round's downlink, compute, and return the uplink. */
  step(round: number, downlink: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Apply a past round's downlink without answering (catch-up after an absence). */
  catchUp?(round: number, downlink: Uint8Array): void;
  /**
   * A copy of the client state before a step, and its restoration: when the server did not
   * accept an uplink (it came late, or the link dropped), the client rewinds to the state it
   * had before that step — exactly as if it had not taken part, which is what the server assumes.
   */
  snapshot(): unknown;
  restore(snapshot: unknown): void;
  /** The information bits of one algorithm message, for the client's own counters. */
  bits(message: Uint8Array): number;
}

/** Builds a client's driver from the session JSON the server sent (untrusted: validate it). */
export type ParticipantFactory = (session: unknown, client: number) => ParticipantDriver | Promise<ParticipantDriver>;

/** One line of the server's or a client's log. */
export interface LogEvent {
  level: "info" | "warn";
  /** Stable name: "join", "rejoin", "left", "dropped", "rejected", "late", "round", "finished", … */
  event: string;
  message: string;
  client?: number;
  round?: number;
  peer?: string;
}
export type Logger = (e: LogEvent) => void;
