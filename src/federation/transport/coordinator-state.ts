// What a Coordinator reports and resumes from (plain JSON): the per-round report, the session's
// result, and the state between rounds that `checkpoint()` returns and `resume` restores —
// checked field by field here, since it comes back from a file.
import { FedquantError } from "../../errors.js";
import type { RoundOutcome } from "./driver.js";

/** What a coordinator needs to resume between rounds (plain JSON). */
export interface CoordinatorState {
  /** The next round to open (= rounds closed so far). */
  round: number;
  /** Per client: the last round whose uplink the server used (-1: none). */
  accepted: number[];
  /** Per client: the last round it was invited to (-1: none). */
  invited: number[];
  /** The reports of the rounds closed so far, in order. */
  reports: RoundReport[];
}

export interface RoundReport {
  round: number;
  /** Clients sent a downlink this round. */
  invited: number[];
  /** Clients whose uplink was accepted (passed validation before the deadline). */
  participants: number[];
  /** Invited but no accepted uplink: late, disconnected or dropped. */
  absent: number[];
  /** Algorithm information bits (RoundDriver.bits) of this round's downlinks (incl. catch-up) to the participants, and of the accepted uplinks. */
  bitsDown: number;
  bitsUp: number;
  /** Downlink bits sent to invited clients whose uplink was not used (late, disconnected, dropped): sent, not used. */
  bitsDownUnused?: number;
  /** Uplink bits received but not used (late, refused by validation, lost with their sender), since the previous report. */
  bitsUpRejected?: number;
  /** Every byte of every frame sent / received (protocol heads, handshakes, late and rejected frames) since the previous report. */
  wireBytesDown: number;
  wireBytesUp: number;
  outcome: RoundOutcome;
  /** With roundEveryMs: this round closed after its period had run out (the next opened at once, late). */
  late?: boolean;
}

export interface SessionResult {
  reports: RoundReport[];
  bitsUp: number;
  bitsDown: number;
  bitsDownUnused: number;
  bitsUpRejected: number;
  wireBytesUp: number;
  wireBytesDown: number;
}

/** A session's result: its reports and their sums. */
export function sessionResult(reports: RoundReport[]): SessionResult {
  const sum = (k: "bitsUp" | "bitsDown" | "wireBytesUp" | "wireBytesDown" | "bitsDownUnused" | "bitsUpRejected"): number => reports.reduce((a, r) => a + (r[k] ?? 0), 0);
  return {
    reports, bitsUp: sum("bitsUp"), bitsDown: sum("bitsDown"), bitsDownUnused: sum("bitsDownUnused"), bitsUpRejected: sum("bitsUpRejected"),
    wireBytesUp: sum("wireBytesUp"), wireBytesDown: sum("wireBytesDown"),
  };
}

/** A deep copy of reports (a checkpoint must not share arrays the coordinator keeps using). */
export function copyReports(reports: readonly RoundReport[]): RoundReport[] {
  return reports.map((x) => ({ ...x, invited: [...x.invited], participants: [...x.participants], absent: [...x.absent], outcome: { ...x.outcome } }));
}

/** Check a checkpointed state for `n` clients and a session of `rounds` rounds (E_STATE naming what is wrong). */
export function checkCoordinatorState(st: CoordinatorState, n: number, rounds: number): void {
  const bad = (why: string): never => { throw new FedquantError("E_STATE", `coordinator checkpoint: ${why}`); };
  if (st === null || typeof st !== "object") bad("not an object");
  if (!Number.isInteger(st.round) || st.round < 0 || st.round > rounds) bad(`round must be an integer in [0, ${rounds}], got ${JSON.stringify(st.round)}`);
  if (st.round >= rounds) bad(`the session already finished (${rounds} rounds): nothing to resume`);
  for (const key of ["accepted", "invited"] as const) {
    const a = st[key];
    if (!Array.isArray(a) || a.length !== n || a.some((x) => !Number.isInteger(x) || x < -1 || x >= st.round)) {
      bad(`${key} must list, for each of the ${n} clients, -1 or a round below ${st.round}`);
    }
  }
  if (!Array.isArray(st.reports) || st.reports.length !== st.round) bad(`it must hold one report per closed round (${st.round}), it holds ${Array.isArray(st.reports) ? st.reports.length : "none"}`);
  st.reports.forEach((x, i) => {
    const ids = (v: unknown): boolean => Array.isArray(v) && v.every((id) => Number.isInteger(id) && id >= 0 && id < n);
    const count = (v: unknown): boolean => typeof v === "number" && Number.isInteger(v) && v >= 0;
    if (x === null || typeof x !== "object" || x.round !== i || !ids(x.invited) || !ids(x.participants) || !ids(x.absent)
      || !count(x.bitsUp) || !count(x.bitsDown) || !count(x.wireBytesUp) || !count(x.wireBytesDown)
      || x.outcome === null || typeof x.outcome !== "object" || Object.values(x.outcome).some((v) => typeof v !== "number" && v !== null)) {
      bad(`report ${i} is damaged`);
    }
  });
}
