// Serve checkpoints in O(1) per round (issue #10, problems 8 and 1): the reports go to an
// append-only log and a fixed-size snapshot is replaced atomically, so a round's checkpoint
// writes the same bytes at round 10 and at round 200; a process SIGKILLed at random points
// always leaves a snapshot and a log that agree (the log may run ahead; that tail is cut on
// resume); a failed write is retried by the next save with nothing lost.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RandomStream } from "../../src/random/index.js";
import { ServeStore, readReportsLog } from "../../src/federation/transport/serve-store-node.js";
import { readServeCheckpoint } from "../../src/federation/transport/serve-checkpoint-node.js";
import { storeReport, storeSession, storeSnapshot, storeTokens } from "./hardening/store-fixture.js";

const root = mkdtempSync(join(tmpdir(), "fedquant-store-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fresh(name: string): string { const d = join(root, name); mkdirSync(d, { recursive: true }); return d; }

describe("serve checkpoints in O(1) per round", () => {
  it("writes the same snapshot bytes at round 11 and round 99 (and at 101 and 120), and one log line per round", () => {
    const dir = fresh("flat");
    const store = new ServeStore(join(dir, "checkpoint.json"), join(dir, "reports.jsonl"));
    const sizes: number[] = [], logs: number[] = [];
    for (let r = 0; r < 120; r++) {
      store.add(storeReport(r));
      expect(store.save(storeSnapshot(r + 1))).toBeUndefined();
      sizes.push(statSync(join(dir, "checkpoint.json")).size);
      logs.push(statSync(join(dir, "reports.jsonl")).size);
    }
    // the snapshot holds round numbers only, no history: equal sizes wherever they have as many digits
    expect(sizes[98]).toBe(sizes[10]);
    expect(sizes[119]).toBe(sizes[100]);
    // each round appends exactly its own report as one line
    for (const r of [10, 100, 119]) expect(logs[r]! - logs[r - 1]!).toBe(JSON.stringify(storeReport(r)).length + 1);
    const cp = readServeCheckpoint(join(dir, "checkpoint.json"), storeSession, storeTokens);
    expect(cp.coordinator.reports).toEqual(Array.from({ length: 120 }, (_, r) => storeReport(r)));
  });

  it("retries a failed write with the next save, losing no round", () => {
    const dir = fresh("retry");
    const snap = join(dir, "checkpoint.json");
    const store = new ServeStore(snap, join(dir, "reports.jsonl"));
    store.add(storeReport(0));
    expect(store.save(storeSnapshot(1))).toBeUndefined();
    // the temporary file's name is taken by a directory: the atomic write fails (EISDIR)
    mkdirSync(`${snap}.tmp`);
    store.add(storeReport(1));
    const err = store.save(storeSnapshot(2));
    expect(err?.message).toMatch(/E_IO: cannot write the checkpoint/);
    expect(store.failures).toBe(1);
    store.add(storeReport(2));
    expect(store.save(storeSnapshot(3))?.message).toMatch(/E_IO/);
    rmSync(`${snap}.tmp`, { recursive: true });
    store.add(storeReport(3));
    expect(store.save(storeSnapshot(4))).toBeUndefined();
    expect(store.failures).toBe(0);
    const cp = readServeCheckpoint(snap, storeSession, storeTokens);
    expect(cp.coordinator.round).toBe(4);
    expect(cp.coordinator.reports.map((r) => r.round)).toEqual([0, 1, 2, 3]);
  });

  it("survives SIGKILL at random points: snapshot and log always agree, and a resumed store continues the log", async () => {
    const dir = fresh("kill");
    // kill delays drawn from a fixed Philox stream (reproducible): 30 … 330 ms after start-up
    const delays = Array.from(RandomStream.of(2026, "test", 10, 0).uniforms(4), (u) => 30 + Math.floor(u * 300));
    let round = 0;
    for (const ms of delays) {
      const child = spawn(process.execPath, ["--import", "tsx", "test/federation/hardening/store-child.ts", dir, String(round)], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
      await new Promise<void>((res) => child.stdout.on("data", (d: Buffer) => { if (d.toString().includes("ready")) res(); }));
      await new Promise((r) => setTimeout(r, ms));
      child.kill("SIGKILL");
      await new Promise((r) => child.on("exit", r));
      const cp = readServeCheckpoint(join(dir, "checkpoint.json"), storeSession, storeTokens);
      const at = cp.coordinator.round;
      expect(at).toBeGreaterThanOrEqual(round);
      expect((cp.server as { round: number }).round).toBe(at);
      expect(cp.coordinator.reports).toEqual(Array.from({ length: at }, (_, r) => storeReport(r)));
      round = at;
    }
    expect(round).toBeGreaterThan(0);
    // a resumed store cuts the log after the snapshot's round (a crash between append and rename)
    new ServeStore(join(dir, "checkpoint.json"), join(dir, "reports.jsonl"), round);
    const lines = readFileSync(join(dir, "reports.jsonl"), "utf8").split("\n").filter(Boolean);
    expect(lines).toHaveLength(round);
    expect(readReportsLog(join(dir, "reports.jsonl"), round).at(-1)!.round).toBe(round - 1);
  }, 60_000);
});
