// The round protocol over real loopback WebSockets: the same trajectory as in memory, rejoin
// after a dropped connection with catch-up, refusal of a wrong token without retrying.
import { createServer, connect, type Server, type Socket } from "node:net";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ready } from "../../src/kernel/index.js";
import { Coordinator, type RoundReport } from "../../src/federation/transport/coordinator.js";
import { linkPair } from "../../src/federation/transport/link.js";
import { Participant } from "../../src/federation/transport/participant.js";
import { serveFederation, type FederationServer } from "../../src/federation/transport/server-node.js";
import { joinFederationNode } from "../../src/federation/transport/client-node.js";
import type { LogEvent } from "../../src/federation/transport/driver.js";
import { toyFactory, toyServer, type ToyConfig } from "./transport-toy.js";

beforeAll(async () => { await ready(); });

const tokens = (n: number): string[] => Array.from({ length: n }, (_, i) => `secret-${i}`);
const open: { close(): unknown }[] = [];
afterEach(async () => { for (const s of open.splice(0)) await s.close(); });

async function serve(cfg: ToyConfig, extra: { deadlineMs?: number; quorum?: number; log?: (e: LogEvent) => void } = {}): Promise<{ srv: FederationServer; reports: RoundReport[]; server: ReturnType<typeof toyServer> }> {
  const server = toyServer(cfg);
  const reports: RoundReport[] = [];
  const srv = await serveFederation(server, {
    tokens: tokens(cfg.clients), deadlineMs: extra.deadlineMs ?? 30_000, maxFrameBytes: 1 << 20,
    quorum: extra.quorum, onRound: (r) => reports.push(r), log: extra.log,
  });
  open.push(srv);
  return { srv, reports, server };
}

/** A TCP relay to the server whose connections the test can cut, like a network failure. */
async function relay(port: number): Promise<{ port: number; cut(): void; close(): Promise<void> }> {
  const live = new Set<Socket>();
  const s: Server = createServer((a) => {
    const b = connect(port, "127.0.0.1");
    live.add(a); live.add(b);
    a.pipe(b); b.pipe(a);
    const end = (): void => { a.destroy(); b.destroy(); live.delete(a); live.delete(b); };
    a.on("error", end); b.on("error", end); a.on("close", end); b.on("close", end);
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const r = {
    port: (s.address() as { port: number }).port,
    cut() { for (const x of live) x.destroy(); live.clear(); },
    close() { r.cut(); return new Promise<void>((res) => s.close(() => res())); },
  };
  open.push(r);
  return r;
}

describe("round protocol over loopback WebSockets", () => {
  it("gives bit for bit the same trajectory as the in-memory transport", async () => {
    const cfg = { clients: 3, dim: 12, rounds: 5, seed: 21 };
    const { srv, server } = await serve(cfg);
    const members = [0, 1, 2].map((i) => joinFederationNode(srv.url, { token: `secret-${i}`, factory: toyFactory() }));
    await srv.finished;
    await Promise.all(members.map((m) => m.result));

    const mem = toyServer(cfg);
    const coord = new Coordinator(mem, { tokens: tokens(3), deadlineMs: 30_000, maxFrameBytes: 1 << 20 });
    for (let i = 0; i < 3; i++) {
      const [a, b] = linkPair();
      coord.attach(a);
      void new Participant({ token: `secret-${i}`, factory: toyFactory() }).attach(b);
    }
    await coord.finished;
    expect(server.modelAtOpen).toEqual(mem.modelAtOpen);
    expect(server.w).toEqual(mem.w);
  });

  it("reconnects a client whose connection dropped, and catches it up to the server's model", async () => {
    const cfg = { clients: 2, dim: 8, rounds: 8, seed: 22 };
    const logs: LogEvent[] = [];
    // quorum 2: the server pauses after the cut until client 1 is back, so it misses round 3 only
    const { srv, reports, server } = await serve(cfg, { quorum: 2, log: (e) => logs.push(e) });
    const net = await relay(srv.port);
    const made = new Map();
    let cutDone = false;
    // client 1's connection is cut while it computes its round-3 step
    const gated = toyFactory(made, (client, round) => {
      if (client !== 1 || round !== 3 || cutDone) return undefined;
      cutDone = true;
      net.cut();
      return undefined;
    });
    const m0 = joinFederationNode(srv.url, { token: "secret-0", factory: toyFactory() });
    const m1 = joinFederationNode(`ws://127.0.0.1:${net.port}`, { token: "secret-1", factory: gated, retryDelayMs: 20 });
    await srv.finished;
    const r1 = await m1.result;
    await m0.result;
    expect(logs.some((e) => e.event === "rejoin" && e.client === 1)).toBe(true);
    expect(logs.some((e) => e.event === "paused")).toBe(true);
    expect(reports[3]!.participants).not.toContain(1);
    const back = reports.filter((r) => r.round > 3 && r.participants.includes(1)).map((r) => r.round);
    expect(back.length).toBeGreaterThan(0);
    for (const r of back) expect(made.get(1).modelAtStep.get(r)).toEqual(server.modelAtOpen[r]);
    expect(r1.catchUps).toBeGreaterThan(0);
    expect(r1.accepted).toBe(reports.filter((r) => r.participants.includes(1)).length);
  });

  it("refuses a wrong token, and the client gives up instead of retrying", async () => {
    const cfg = { clients: 1, dim: 4, rounds: 1, seed: 23 };
    const logs: LogEvent[] = [];
    const { srv } = await serve(cfg, { log: (e) => logs.push(e) });
    const m = joinFederationNode(srv.url, { token: "not-the-token", factory: toyFactory(), retryDelayMs: 10 });
    await expect(m.result).rejects.toThrow(/wrong token.*4001/);
    expect(logs.filter((e) => e.event === "rejected")).toHaveLength(1);
  });

  it("retries a server that refuses the connection, then gives up with E_PROTOCOL instead of crashing", async () => {
    // a port that was just free: nothing listens there, so every attempt is refused (ECONNREFUSED)
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
    const port = (s.address() as { port: number }).port;
    await new Promise<void>((r) => s.close(() => r()));
    const m = joinFederationNode(`ws://127.0.0.1:${port}`, { token: "secret-0", factory: toyFactory(), retries: 1, retryDelayMs: 10 });
    await expect(m.result).rejects.toMatchObject({ code: "E_PROTOCOL", message: expect.stringMatching(/gave up after 2 failed attempts: could not connect/) });
  });

  it("rejects a malformed address with E_CONFIG", async () => {
    const m = joinFederationNode("ws://[zz", { token: "secret-0", factory: toyFactory(), retries: 0 });
    await expect(m.result).rejects.toMatchObject({ code: "E_CONFIG" });
  });
});
