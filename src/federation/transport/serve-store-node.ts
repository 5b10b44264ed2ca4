// Node-only: `fedquant serve --out`'s checkpoint in O(1) per round (docs/network.md
// "Checkpoints"): the round reports go to an append-only log (reports.jsonl, one JSON line per
// round, fsynced), and a rolling snapshot (checkpoint.json: session, tokens, the algorithm's
// server, the coordinator without its reports) is replaced atomically after the log. A crash
// leaves the previous snapshot or the new one; the log may hold lines past the snapshot's round
// (appended, snapshot not yet renamed) or a torn last line — both are ignored (and cut off when
// the session resumes). A failed write is logged and retried with the next checkpoint: the
// pending reports stay queued, the log is cut back to its last good length first.
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";
import { FedquantError } from "../../errors.js";
import type { RoundReport } from "./coordinator.js";
import type { ServeCheckpoint } from "./serve-checkpoint.js";
import { writeServeCheckpoint } from "./serve-checkpoint-node.js";

const utf8 = new TextEncoder();

export class ServeStore {
  private queue: RoundReport[] = [];
  /** Bytes of the log known to be complete lines, fsynced. */
  private good: number;
  /** Rounds the snapshot on disk covers. */
  private saved: number;
  /** Failures in a row (for logs). */
  failures = 0;

  /**
   * `snapshotPath` is checkpoint.json, `logPath` the reports log next to it. `rounds` is how many
   * reports the log must already hold (a resumed session: the snapshot's round; else 0 — the log
   * is then started afresh).
   */
  constructor(readonly snapshotPath: string, readonly logPath: string, rounds = 0) {
    this.saved = rounds;
    this.good = rounds === 0 ? 0 : goodLength(logPath, rounds);
    // cut what a crash left past the snapshot: those rounds will be run again
    const fd = openSync(logPath, existsSync(logPath) ? "r+" : "w");
    try { ftruncateSync(fd, this.good); fsyncSync(fd); } finally { closeSync(fd); }
  }

  /** Queue a closed round's report (every round, in order). */
  add(report: RoundReport): void { this.queue.push(report); }

  /**
   * Append the queued reports and replace the snapshot (whose coordinator.reports must be empty
   * and whose coordinator.round = saved + queued). Returns the error instead of throwing: the
   * caller logs it and the next call retries everything still queued.
   */
  save(snapshot: ServeCheckpoint): Error | undefined {
    try {
      if (snapshot.coordinator.reports.length !== 0) throw new FedquantError("E_STATE", "the snapshot must not carry reports (they go to the log)");
      if (snapshot.coordinator.round !== this.saved + this.queue.length) {
        throw new FedquantError("E_STATE", `the snapshot is at round ${snapshot.coordinator.round}, the log at ${this.saved} with ${this.queue.length} queued`);
      }
      if (this.queue.length > 0) {
        const bytes = utf8.encode(this.queue.map((r) => JSON.stringify(r) + "\n").join(""));
        let fd: number;
        try { fd = openSync(this.logPath, "r+"); } catch (e) { throw new FedquantError("E_IO", `cannot open ${this.logPath}: ${(e as Error).message}`, { cause: e }); }
        try {
          // a failed earlier append may have left part of a line: cut back to the last good byte
          if (fstatSync(fd).size !== this.good) ftruncateSync(fd, this.good);
          let off = 0;
          while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off, this.good + off);
          fsyncSync(fd);
        } catch (e) {
          throw new FedquantError("E_IO", `cannot append to ${this.logPath}: ${(e as Error).message}`, { cause: e });
        } finally { closeSync(fd); }
        this.good += bytes.length;
        this.saved += this.queue.length;
        this.queue = [];
      }
      writeServeCheckpoint(this.snapshotPath, { ...snapshot, version: 2, reportsLog: { path: basename(this.logPath), rounds: this.saved } });
      this.failures = 0;
      return undefined;
    } catch (e) {
      this.failures++;
      return e as Error;
    }
  }

  /** Reports not yet on disk. */
  get queued(): number { return this.queue.length; }
}

function basename(p: string): string { return p.replace(/^.*[\\/]/, ""); }

/** Bytes of the first `rounds` lines of the log; E_STATE if it holds fewer complete lines. */
function goodLength(logPath: string, rounds: number): number {
  const bytes = existsSync(logPath) ? readFileSync(logPath) : new Uint8Array(0);
  let lines = 0, i = 0;
  for (; i < bytes.length && lines < rounds; i++) if (bytes[i] === 0x0a) lines++;
  if (lines < rounds) throw new FedquantError("E_STATE", `the reports log ${logPath} holds ${lines} complete round(s), the checkpoint needs ${rounds}`);
  return i;
}

/** The first `rounds` reports of a log (E_STATE if fewer, or a line is damaged). */
export function readReportsLog(logPath: string, rounds: number): RoundReport[] {
  const end = goodLength(logPath, rounds);
  const text = new TextDecoder().decode(readFileSync(logPath).subarray(0, end));
  const lines = text.split("\n").slice(0, rounds);
  return lines.map((l, k) => {
    try { return JSON.parse(l) as RoundReport; } catch {
      throw new FedquantError("E_STATE", `the reports log ${logPath} is damaged at round ${k}`);
    }
  });
}
