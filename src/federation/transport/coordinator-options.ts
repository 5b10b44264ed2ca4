// What a Coordinator is configured with, and the check of those settings (every number a user
// can put in a serve config passes here before any timer or socket exists).
import { FedquantError } from "../../errors.js";
import type { CoordinatorState, RoundReport } from "./coordinator-state.js";
import type { Logger } from "./driver.js";

export interface CoordinatorOptions {
  /** Client i authenticates with tokens[i]; there are tokens.length clients. */
  tokens: readonly string[];
  /** How long a round waits for uplinks; later ones count as absent. */
  deadlineMs: number;
  /** Frames larger than this (bytes) get their sender dropped. */
  maxFrameBytes: number;
  /** Clients that must have joined before round 0 opens (default: all). */
  minClients?: number;
  /** Open a round only with at least this many connected clients, else pause (default 1). */
  quorum?: number;
  /** After this long, start with whoever joined if they reach the quorum (default: never). */
  startTimeoutMs?: number;
  /** A connection must say hello within this time (default 10 s). */
  handshakeMs?: number;
  /** Connections that have not said hello yet, at most; a newcomer past it evicts the oldest (default 64). */
  maxPending?: number;
  /** Of those, from one address (Link.address), at most; again the oldest goes (default 16). */
  maxPendingPerAddress?: number;
  /** Wrong tokens from one address within wrongTokenWindowMs before its hellos are refused for the rest of the window (default 10 per 60 s). */
  maxWrongTokens?: number;
  wrongTokenWindowMs?: number;
  /**
   * A connected client that was sent a round and did not answer in this many rounds in a row is
   * disconnected (close 4009, it may come back); 0 never (default 3). Stalled clients otherwise
   * cost a full deadline in every round that draws them.
   */
  maxMissedRounds?: number;
  /** While waiting or paused, log which clients are missing every this many ms (default 30 s; 0 never). */
  statusEveryMs?: number;
  /** Pause between one round's close and the next round's open (default 0; demos slow down to watch). */
  roundGapMs?: number;
  /**
   * Open a round every this many ms, counted from the previous round's opening (default: off;
   * exclusive with roundGapMs). A round that takes longer opens the next at once and its report
   * says `late: true` — a fixed cadence, not a gap after each round.
   */
  roundEveryMs?: number;
  log?: Logger;
  onRound?: (report: RoundReport) => void;
  /**
   * Resume a session from `checkpoint()` (taken in onRound, i.e. between rounds): the next round,
   * each client's last accepted uplink, the reports so far. The driver must be restored to the
   * same point. Clients reconnect with their tokens; their welcome says what the server used.
   */
  resume?: CoordinatorState;
}

/** setTimeout's largest delay (a signed 32-bit count of ms). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** E_CONFIG for the first setting out of range (tokens are checked by admission.ts). */
export function checkCoordinatorOptions(opts: CoordinatorOptions, rounds: number): void {
  const n = opts.tokens.length;
  const pos = (name: string, v: number | undefined, min: number): void => {
    if (v !== undefined && !(Number.isFinite(v) && v >= min)) throw new FedquantError("E_CONFIG", `${name} must be a number ≥ ${min}, got ${v}`);
  };
  // a delay above 2^31 − 1 ms makes setTimeout fire at once; the deadline also travels as a u32
  // in every ROUND frame, so a fractional one would fail the first send instead of the config
  const ms = (name: string, v: number | undefined, min: number): void => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min && v <= MAX_TIMER_MS)) {
      throw new FedquantError("E_CONFIG", `${name} must be an integer number of ms in [${min}, ${MAX_TIMER_MS}], got ${v}`);
    }
  };
  if (opts.deadlineMs === undefined) throw new FedquantError("E_CONFIG", "deadlineMs is required");
  if (opts.maxFrameBytes === undefined) throw new FedquantError("E_CONFIG", "maxFrameBytes is required (the bound on untrusted frames)");
  ms("deadlineMs", opts.deadlineMs, 1);
  ms("roundGapMs", opts.roundGapMs, 0);
  ms("roundEveryMs", opts.roundEveryMs, 1);
  if (opts.roundEveryMs !== undefined && opts.roundGapMs) throw new FedquantError("E_CONFIG", `roundGapMs (${opts.roundGapMs}) and roundEveryMs (${opts.roundEveryMs}) exclude each other: a gap after each round, or a round every period`);
  ms("startTimeoutMs", opts.startTimeoutMs, 0);
  ms("handshakeMs", opts.handshakeMs, 1);
  pos("maxFrameBytes", opts.maxFrameBytes, 64);
  pos("quorum", opts.quorum, 1);
  pos("minClients", opts.minClients, 1);
  pos("maxPending", opts.maxPending, 1);
  pos("maxPendingPerAddress", opts.maxPendingPerAddress, 1);
  pos("maxWrongTokens", opts.maxWrongTokens, 1);
  ms("wrongTokenWindowMs", opts.wrongTokenWindowMs, 1);
  pos("maxMissedRounds", opts.maxMissedRounds, 0);
  ms("statusEveryMs", opts.statusEveryMs, 0);
  if ((opts.minClients ?? n) > n) throw new FedquantError("E_CONFIG", `minClients ${opts.minClients} exceeds the ${n} clients`);
  if (!(Number.isInteger(rounds) && rounds >= 1)) throw new FedquantError("E_CONFIG", `rounds must be an integer ≥ 1, got ${rounds}`);
}
