// The server under connection floods and silent peers, over real loopback sockets (issue #10,
// problems 1–3, 6, 7, 12): idle TCP sockets and silent WebSockets cannot pile up or lock honest
// clients out, a pre-hello frame may be no larger than a hello, a dead (half-open) or stalled
// client is noticed and disconnected, a second connection with a live client's token is
// refused instead of evicting it, wrong tokens are rate-limited, and foreign web pages are
// refused. Each case ends with the honest clients finishing the session.
import { connect, type Socket } from "node:net";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ready } from "../../src/kernel/index.js";
import { NO_ROUND } from "../../src/federation/transport/frames.js";
import { CloseCode } from "../../src/federation/transport/link.js";
import { exposureWarning, joinUrls, MAX_HELLO_BYTES, serveFederation, type FederationServer, type ServeOptions } from "../../src/federation/transport/server-node.js";
import { joinFederationNode } from "../../src/federation/transport/client-node.js";
import type { LogEvent } from "../../src/federation/transport/driver.js";
import { toyFactory, toyServer } from "./transport-toy.js";
import { RawClient } from "./hardening/raw-client.js";

beforeAll(async () => { await ready(); });

const cfg = { clients: 3, dim: 8, rounds: 5, seed: 41 };
const token = (i: number): string => `hardening-token-${i}`;
const servers: FederationServer[] = [];
const sockets: Socket[] = [];
const raws: RawClient[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const r of raws.splice(0)) r.ws.terminate();
  for (const s of servers.splice(0)) await s.close();
});

async function serve(extra: Partial<ServeOptions> = {}, c = cfg): Promise<{ srv: FederationServer; logs: LogEvent[] }> {
  const logs: LogEvent[] = [];
  const srv = await serveFederation(toyServer(c), {
    tokens: Array.from({ length: c.clients }, (_, i) => token(i)), deadlineMs: 30_000, maxFrameBytes: 1 << 20,
    log: (e) => logs.push(e), ...extra,
  });
  servers.push(srv);
  return { srv, logs };
}

const honest = (srv: FederationServer, ids: number[]) => ids.map((i) => joinFederationNode(srv.url, { token: token(i), factory: toyFactory(), retryDelayMs: 20 }).result);

/** A TCP connection that never speaks; resolves when the server closes it. */
function idleSocket(port: number): { closed: Promise<number> } {
  const s = connect(port, "127.0.0.1");
  s.on("error", () => {});
  sockets.push(s);
  const t0 = Date.now();
  return { closed: new Promise((r) => s.on("close", () => r(Date.now() - t0))) };
}

describe("availability under floods and silent peers", () => {
  it("closes idle TCP connections after handshakeMs, and holds at most maxPending of them", async () => {
    const { srv } = await serve({ handshakeMs: 400, maxPending: 8 });
    const idle = Array.from({ length: 60 }, () => idleSocket(srv.port));
    const times = await Promise.all(idle.map((x) => x.closed));
    // all closed by the server: 52 evicted by newer ones, the last 8 at their handshake deadline
    expect(times.filter((t) => t < 350).length).toBeGreaterThanOrEqual(52);
    expect(Math.max(...times)).toBeLessThan(2000);
    await Promise.all([...honest(srv, [0, 1, 2]), srv.finished]);
  });

  it("lets honest clients in past 200 silent WebSocket connections (the oldest waiter is evicted)", async () => {
    const { srv } = await serve({ handshakeMs: 60_000 });
    const silent = await Promise.all(Array.from({ length: 200 }, () => RawClient.connect(srv.url)));
    raws.push(...silent);
    const t0 = Date.now();
    const done = await Promise.all([...honest(srv, [0, 1, 2]), srv.finished]);
    // joined without waiting for any handshake timeout (60 s): eviction, not refusal
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(done).toHaveLength(4);
    const closedEarly = await Promise.race([Promise.all(silent.slice(0, 100).map((s) => s.closed)), new Promise((r) => setTimeout(() => r("open"), 2000))]);
    expect(closedEarly).not.toBe("open"); // the oldest 100 had to go for the newer ones
  });

  it("refuses a frame larger than a hello before the hello (1009), buffering nothing", async () => {
    const { srv, logs } = await serve();
    const c = await RawClient.connect(srv.url);
    raws.push(c);
    c.send(new Uint8Array(MAX_HELLO_BYTES + 1));
    expect((await c.closed).code).toBe(1009);
    expect(logs.find((e) => e.event === "rejected")?.message).toMatch(new RegExp(`${MAX_HELLO_BYTES}-byte limit before the hello`));
    await Promise.all([...honest(srv, [0, 1, 2]), srv.finished]);
  });

  it("ends a half-open connection that answers no ping, and the round goes on without it", async () => {
    const { srv, logs } = await serve({ heartbeatMs: 100, maxMissedPongs: 2, deadlineMs: 60_000 });
    const dead = await RawClient.connect(srv.url, token(2));
    raws.push(dead);
    await dead.next("welcome");
    // the peer's process stops reading: its kernel still holds the TCP connection open
    (dead.ws as unknown as { _socket: Socket })._socket.pause();
    const t0 = Date.now();
    await Promise.all(honest(srv, [0, 1]));
    const done = await srv.finished;
    expect(Date.now() - t0).toBeLessThan(10_000); // not the 60 s deadline
    expect(logs.find((e) => e.client === 2 && e.event === "dropped")?.message).toMatch(/no pong to 2 ping\(s\)/);
    expect(done.reports[0]!.absent).toEqual(done.reports[0]!.invited.includes(2) ? [2] : []);
  });

  it("disconnects a client that stays connected but misses maxMissedRounds rounds in a row (4009)", async () => {
    const { srv, logs } = await serve({ deadlineMs: 150, maxMissedRounds: 2, minClients: 3 }, { ...cfg, rounds: 6 });
    const stalled = await RawClient.connect(srv.url, token(2));
    raws.push(stalled);
    await Promise.all(honest(srv, [0, 1]));
    const done = await srv.finished;
    expect((await stalled.closed).code).toBe(CloseCode.evicted);
    expect(logs.find((e) => e.event === "evicted")?.message).toMatch(/client 2 dropped: no answer in 2 rounds in a row/);
    // invited in rounds 0 and 1, then no longer connected: rounds 2 … 5 run without waiting
    expect(done.reports.map((r) => r.absent)).toEqual([[2], [2], [], [], [], []]);
  });

  it("keeps the live client when a second connection presents its token: busy (retry) or stale (final)", async () => {
    const { srv, logs } = await serve({ deadlineMs: 30_000 }, { ...cfg, rounds: 8 });
    const seen: number[] = [];
    // client 0 holds round 4 until both twins were refused, so the session is still running
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const members = [0, 1, 2].map((i) => joinFederationNode(srv.url, {
      token: token(i), factory: toyFactory(new Map(), (c, round) => (c === 0 && round === 4 ? held : undefined)),
      onStep: ({ round }) => { if (i === 2) seen.push(round); },
    }));
    while (seen.length < 3) await new Promise((r) => setTimeout(r, 5));
    // a twin without state (a copy of the token on another machine) is refused for good …
    const stale = await RawClient.connect(srv.url, token(2), NO_ROUND);
    raws.push(stale);
    expect((await stale.closed).code).toBe(CloseCode.stale);
    // … one that could be this client continuing may retry once the live connection ends
    const busy = await RawClient.connect(srv.url, token(2), 0xfffffffe);
    raws.push(busy);
    expect((await busy.closed).code).toBe(CloseCode.busy);
    release();
    const [, , r2] = await Promise.all(members.map((m) => m.result));
    const done = await srv.finished;
    expect(r2.accepted).toBe(8); // the live client was never evicted
    expect(done.reports.every((r) => r.participants.includes(2))).toBe(true);
    expect(logs.filter((e) => e.event === "rejected").map((e) => e.message).join("\n")).toMatch(/stale twin[\s\S]*already connected/);
  });

  it("throttles an address after maxWrongTokens wrong tokens, even with the right one", async () => {
    const { srv } = await serve({ maxWrongTokens: 3, wrongTokenWindowMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      const c = await RawClient.connect(srv.url, `guess-${i}`);
      raws.push(c);
      expect((await c.closed).code).toBe(CloseCode.unauthorized);
    }
    const right = await RawClient.connect(srv.url, token(0));
    raws.push(right);
    const end = await right.closed;
    expect(end.code).toBe(CloseCode.throttled);
    expect(end.reason).toMatch(/too many wrong tokens/);
  });

  it("refuses a browser page from a foreign origin, allows loopback pages and Node clients", async () => {
    const { srv } = await serve();
    await expect(RawClient.connect(srv.url, undefined, NO_ROUND, { origin: "https://evil.example" })).rejects.toThrow(/HTTP 403/);
    const local = await RawClient.connect(srv.url, undefined, NO_ROUND, { origin: "http://127.0.0.1:5173" });
    raws.push(local);
    const { srv: open } = await serve({ allowOrigins: ["https://demo.example"] });
    const allowed = await RawClient.connect(open.url, undefined, NO_ROUND, { origin: "https://demo.example" });
    raws.push(allowed);
    await expect(RawClient.connect(open.url, undefined, NO_ROUND, { origin: "http://127.0.0.1:5173" })).rejects.toThrow(/HTTP 403/);
  });

  it("for a wildcard address, gives dialable URLs and a warning that tokens travel in clear", () => {
    // pure functions: the tests bind loopback only
    const urls = joinUrls("ws", "0.0.0.0", 8787);
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(u).toMatch(/^ws:\/\/(\d+\.){3}\d+:8787$/);
    for (const u of urls) expect(u).not.toMatch(/0\.0\.0\.0/);
    expect(joinUrls("wss", "::1", 9)).toEqual(["wss://[::1]:9"]);
    expect(exposureWarning("0.0.0.0", false)).toMatch(/without TLS: tokens travel in clear/);
    expect(exposureWarning("10.1.2.3", true)).toBeUndefined();
    expect(exposureWarning("127.0.0.1", false)).toBeUndefined();
  });
});
