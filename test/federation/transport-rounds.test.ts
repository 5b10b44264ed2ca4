// The round protocol over in-memory links: every invited client holds the server's model,
// bits add up on both sides, late clients sit out and rewind, late joiners are caught up.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ready } from "../../src/kernel/index.js";
import { Coordinator, type RoundReport } from "../../src/federation/transport/coordinator.js";
import { linkPair } from "../../src/federation/transport/link.js";
import { Participant } from "../../src/federation/transport/participant.js";
import type { LogEvent } from "../../src/federation/transport/driver.js";
import { toyFactory, toyLoss, toyServer, toyTarget, type ToyConfig } from "./transport-toy.js";

beforeAll(async () => { await ready(); });

const tokens = (n: number): string[] => Array.from({ length: n }, (_, i) => `token-${i}`);

interface SetupOptions {
  minClients?: number;
  deadlineMs?: number;
  onRound?: (r: RoundReport) => void;
  gate?: (client: number, round: number) => Promise<void> | undefined;
  roundEveryMs?: number;
}

function setup(cfg: ToyConfig, opts: SetupOptions = {}) {
  const server = toyServer(cfg);
  const reports: RoundReport[] = [];
  const logs: LogEvent[] = [];
  const coord = new Coordinator(server, {
    tokens: tokens(cfg.clients), deadlineMs: opts.deadlineMs ?? 30_000, maxFrameBytes: 1 << 20,
    minClients: opts.minClients, roundEveryMs: opts.roundEveryMs, log: (e) => logs.push(e),
    onRound: (r) => { reports.push(r); opts.onRound?.(r); },
  });
  const factory = toyFactory(new Map(), opts.gate);
  const join = (i: number): { p: Participant; end: Promise<unknown> } => {
    const [a, b] = linkPair(`client-${i}`, "server");
    const p = new Participant({ token: `token-${i}`, factory });
    coord.attach(a);
    return { p, end: p.attach(b) };
  };
  return { server, coord, reports, logs, factory, join };
}

describe("round protocol over in-memory links", () => {
  it("runs every round with every client, and each client steps at the server's model", async () => {
    const cfg = { clients: 3, dim: 16, rounds: 6, seed: 5 };
    const { server, coord, reports, factory, join } = setup(cfg);
    const ps = [0, 1, 2].map(join);
    await coord.finished;
    await Promise.all(ps.map((x) => x.end));
    expect(reports.map((r) => r.participants)).toEqual(Array(6).fill([0, 1, 2]));
    for (const c of factory.made.values()) {
      for (let r = 0; r < cfg.rounds; r++) expect(c.modelAtStep.get(r)).toEqual(server.modelAtOpen[r]);
    }
  });

  it("counts the same bits on the server as the clients count on their side", async () => {
    const cfg = { clients: 3, dim: 40, rounds: 5, seed: 6 };
    const { coord, join } = setup(cfg);
    const ps = [0, 1, 2].map(join);
    const total = await coord.finished;
    await Promise.all(ps.map((x) => x.end));
    const results = ps.map((x) => x.p.finished!);
    expect(results.reduce((a, r) => a + r.bitsUp, 0)).toBe(total.bitsUp);
    expect(results.reduce((a, r) => a + r.bitsDown, 0)).toBe(total.bitsDown);
    expect(total.bitsUp).toBeGreaterThan(0);
  });

  it("drives the toy loss towards its minimum (the model moves to the clients' mean target)", async () => {
    const cfg = { clients: 4, dim: 8, rounds: 12, seed: 7 };
    const { coord, reports, join } = setup(cfg);
    [0, 1, 2, 3].map(join);
    await coord.finished;
    const mean = new Float32Array(cfg.dim);
    for (let i = 0; i < cfg.clients; i++) toyTarget(cfg, i).forEach((v, j) => { mean[j] += v / cfg.clients; });
    const best = toyLoss(cfg, mean), start = toyLoss(cfg, new Float32Array(cfg.dim));
    // QSGD noise keeps a floor above the minimum: ask for a tenfold reduction of the excess loss
    expect(reports.at(-1)!.outcome.loss! - best).toBeLessThan((start - best) / 10);
  });

  it("counts a client that misses the deadline as absent, ignores its late uplink, and rewinds it", async () => {
    const cfg = { clients: 2, dim: 8, rounds: 5, seed: 8 };
    // client 1 holds its round-2 step until the server has closed round 2 without it (50 ms deadline)
    let release!: () => void;
    const roundTwoClosed = new Promise<void>((r) => { release = r; });
    const { server, coord, reports, logs, factory, join } = setup(cfg, {
      deadlineMs: 50,
      onRound: (r) => { if (r.round === 2) release(); },
      gate: (client, round) => (client === 1 && round === 2 ? roundTwoClosed : undefined),
    });
    const ps = [0, 1].map(join);
    await coord.finished;
    await Promise.all(ps.map((x) => x.end));
    expect(reports[2]!.participants).toEqual([0]);
    expect(reports[2]!.absent).toEqual([1]);
    expect(logs.some((e) => e.event === "late" && e.client === 1 && e.round === 2)).toBe(true);
    expect(ps[1]!.p.finished!.bitsUpRejected).toBeGreaterThan(0);
    // after the rewind, client 1 stepped at the server's model in every later round it took part in
    const later = [3, 4].filter((r) => reports[r]!.participants.includes(1));
    expect(later.length).toBeGreaterThan(0);
    for (const r of later) expect(factory.made.get(1)!.modelAtStep.get(r)).toEqual(server.modelAtOpen[r]);
  });

  it("catches up a client that joins after round 0 with every update it missed", async () => {
    const cfg = { clients: 3, dim: 8, rounds: 8, seed: 9 };
    let lateJoin: { end: Promise<unknown> } | undefined;
    const { server, coord, reports, factory, join } = setup(cfg, {
      minClients: 2,
      onRound: (r) => { if (r.round === 2) lateJoin = join(2); },
    });
    const early = [0, 1].map(join);
    await coord.finished;
    await Promise.all([...early.map((x) => x.end), lateJoin!.end]);
    const joinedAt = reports.findIndex((r) => r.participants.includes(2));
    expect(joinedAt).toBeGreaterThanOrEqual(3);
    const c2 = factory.made.get(2)!;
    for (let r = joinedAt; r < cfg.rounds; r++) expect(c2.modelAtStep.get(r)).toEqual(server.modelAtOpen[r]);
  });

  it("stops the federation, without throwing into the transport, when the driver fails to open a round", async () => {
    const cfg = { clients: 2, dim: 4, rounds: 5, seed: 10 };
    const { server, coord, logs, join } = setup(cfg);
    const open = server.open.bind(server);
    server.open = (round, candidates) => {
      if (round === 2) throw new Error("driver bug");
      return open(round, candidates);
    };
    const ps = [0, 1].map(join);
    await expect(coord.finished).rejects.toThrow("driver bug");
    await Promise.all(ps.map((x) => x.end));
    expect(coord.state).toBe("stopped");
    expect(logs.find((e) => e.event === "failed")?.message).toMatch(/round 2 could not be opened: driver bug/);
  });

  it.each([
    ["a fractional deadline (it travels as a u32 in every ROUND frame)", { deadlineMs: 1500.5 }, /deadlineMs/],
    ["a deadline past setTimeout's 2^31 − 1 ms (it would fire at once)", { deadlineMs: 2 ** 31 }, /deadlineMs/],
    ["a negative pace between rounds", { roundGapMs: -1 }, /roundGapMs/],
    ["a zero round period", { roundEveryMs: 0 }, /roundEveryMs/],
    ["both a gap after each round and a round period", { roundGapMs: 10, roundEveryMs: 1000 }, /exclude each other/],
    ["no bound on frame sizes", { maxFrameBytes: undefined }, /maxFrameBytes/],
  ])("refuses %s with E_CONFIG before any client joins", (_what, bad, message) => {
    const opts = { tokens: tokens(1), deadlineMs: 1000, maxFrameBytes: 1 << 20, ...bad } as ConstructorParameters<typeof Coordinator>[1];
    expect(() => new Coordinator(toyServer({ clients: 1, dim: 2, rounds: 1, seed: 1 }), opts)).toThrow(expect.objectContaining({ code: "E_CONFIG", message: expect.stringMatching(message) }));
  });
});


describe("roundEveryMs: a fixed cadence (on a fake clock)", () => {
  afterEach(() => { vi.useRealTimers(); });

  it("opens round k+1 one period after round k opened, or at once (late) if round k overran", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"] });
    const cfg = { clients: 2, dim: 8, rounds: 4, seed: 9 };
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    // client 0 answers round 1 only when the test releases it: round 1 overruns its period
    const { server, coord, reports, join } = setup(cfg, { roundEveryMs: 1000, deadlineMs: 10_000, gate: (c, r) => (c === 0 && r === 1 ? held : undefined) });
    const opened: number[] = [];
    const open = server.open.bind(server);
    server.open = (round, candidates) => { opened.push(performance.now()); return open(round, candidates); };
    const t0 = performance.now();
    const ps = [0, 1].map(join);
    await vi.advanceTimersByTimeAsync(0);
    expect(opened).toHaveLength(1); // round 0 opened at t0, both answered at once
    expect(reports).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(opened).toHaveLength(1); // the period is counted from round 0's opening
    await vi.advanceTimersByTimeAsync(1);
    expect(opened).toHaveLength(2); // round 1 opens at t0 + 1000
    await vi.advanceTimersByTimeAsync(1500);
    expect(reports).toHaveLength(1); // round 1 still waits for client 0
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(opened).toHaveLength(3); // round 1 closed at t0 + 2500, past its slot: round 2 at once
    await vi.advanceTimersByTimeAsync(1000);
    await coord.finished;
    await Promise.all(ps.map((x) => x.end));
    expect(opened.map((t) => t - t0)).toEqual([0, 1000, 2500, 3500]);
    expect(reports.map((r) => r.late)).toEqual([false, true, false, false]);
    expect(reports.map((r) => r.participants)).toEqual(Array(4).fill([0, 1]));
  });

  it("leaves reports without a late field when no cadence is set", async () => {
    const cfg = { clients: 1, dim: 4, rounds: 2, seed: 3 };
    const { coord, reports, join } = setup(cfg);
    const p = join(0);
    await coord.finished;
    await p.end;
    expect(reports.map((r) => "late" in r)).toEqual([false, false]);
  });
});
