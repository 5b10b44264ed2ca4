// Node-only: the federation's WebSocket server (the `ws` package over node:http / node:https).
// Each connection becomes a Link handed to a Coordinator. Before a client authenticates, the
// server bounds what it costs (docs/network.md "Availability"): connections waiting for a hello
// live in a bounded waiting room (per address and in all; a newcomer evicts the oldest) for at
// most handshakeMs from the TCP accept, and may send frames of at most a hello's size; after
// the hello, frames up to maxFrameBytes, and ws pings find connections that went silent.
import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { networkInterfaces } from "node:os";
import { WebSocketServer, type WebSocket } from "ws";
import { FedquantError } from "../../errors.js";
import { Coordinator, type CoordinatorOptions, type SessionResult } from "./coordinator.js";
import type { RoundDriver } from "./driver.js";
import { MAX_TOKEN_BYTES } from "./frames.js";
import { PendingGate } from "./gate.js";
import { CloseCode, linkOverWebSocket, type Link, type WebSocketLike } from "./link.js";

/** The largest hello: 8-byte head, u16 token length, the token (frames.ts). */
export const MAX_HELLO_BYTES = 10 + MAX_TOKEN_BYTES;

export interface ServeOptions extends CoordinatorOptions {
  /** Default 127.0.0.1: serving other hosts is an explicit choice. */
  host?: string;
  /** Default 0: an ephemeral port (read it back from `port`). */
  port?: number;
  /** Ping every authenticated connection this often, in ms (default 10 s; 0: never). */
  heartbeatMs?: number;
  /** Pings in a row without a pong before the connection is ended (default 2). */
  maxMissedPongs?: number;
  /**
   * Browser origins allowed to connect (the Origin header; Node clients send none and are always
   * allowed). Default: pages served from a loopback address (http(s)://127.0.0.1|localhost|[::1]:*),
   * e.g. the demo. ["*"]: any page — then any web site a user visits can open a socket here.
   */
  allowOrigins?: string[];
  /** PEM certificate chain and key: serve wss:// (node:https) instead of ws://. */
  tls?: { cert: string | Uint8Array; key: string | Uint8Array };
}

export interface FederationServer {
  readonly url: string;
  /** Addresses clients can use (for 0.0.0.0 / ::, one per non-internal interface, else `url`). */
  readonly urls: string[];
  readonly port: number;
  readonly coordinator: Coordinator;
  /** Settles when the last round closes (rejects if the server is closed first). */
  readonly finished: Promise<SessionResult>;
  /** Stop the coordinator, close every connection and the listening socket. */
  close(): Promise<void>;
}

const LOOPBACK_ORIGIN = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/i;

export function originAllowed(origin: string | undefined, allow: readonly string[] | undefined): boolean {
  if (origin === undefined) return true; // not a browser: browsers always send Origin on WebSocket upgrades
  if (allow === undefined) return LOOPBACK_ORIGIN.test(origin);
  return allow.includes("*") || allow.includes(origin);
}

export function isLoopbackHost(host: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i.test(host);
}

/** The warning a server bound beyond loopback without TLS must print (undefined: none needed). */
export function exposureWarning(host: string, tls: boolean): string | undefined {
  if (isLoopbackHost(host) || tls) return undefined;
  return `listening on ${host} without TLS: tokens travel in clear to anyone on the path; use --tls-cert/--tls-key or a TLS proxy (docs/network.md "TLS")`;
}

/** Where clients should connect: a wildcard bind address is no address a client can dial. */
export function joinUrls(scheme: "ws" | "wss", host: string, port: number): string[] {
  const fmt = (h: string): string => `${scheme}://${h.includes(":") ? `[${h}]` : h}:${port}`;
  if (host !== "0.0.0.0" && host !== "::" && host !== "[::]") return [fmt(host)];
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal || (host === "0.0.0.0" && a.family !== "IPv4")) continue;
      if (a.family === "IPv6" && a.address.startsWith("fe80")) continue; // link-local needs a zone id
      out.push(fmt(a.address));
    }
  }
  return out.length > 0 ? out : [fmt("127.0.0.1")];
}

export async function serveFederation(driver: RoundDriver, opts: ServeOptions): Promise<FederationServer> {
  const coordinator = new Coordinator(driver, opts);
  const host = opts.host ?? "127.0.0.1";
  const heartbeatMs = opts.heartbeatMs ?? 10_000;
  const maxMissedPongs = opts.maxMissedPongs ?? 2;
  const handshakeMs = opts.handshakeMs ?? 10_000;
  if (!(Number.isInteger(heartbeatMs) && heartbeatMs >= 0 && heartbeatMs <= 2 ** 31 - 1)) throw new FedquantError("E_CONFIG", `heartbeatMs must be an integer number of ms ≥ 0, got ${heartbeatMs}`);
  if (!(Number.isInteger(maxMissedPongs) && maxMissedPongs >= 1)) throw new FedquantError("E_CONFIG", `maxMissedPongs must be an integer ≥ 1, got ${maxMissedPongs}`);
  const log = opts.log ?? (() => {});

  let server: Server;
  try {
    server = opts.tls ? createHttpsServer({ cert: Buffer.from(opts.tls.cert), key: Buffer.from(opts.tls.key) }) as unknown as Server : createHttpServer();
  } catch (e) {
    throw new FedquantError("E_CONFIG", `cannot use the TLS certificate and key: ${(e as Error).message}`, { cause: e });
  }
  // ws enforces maxPayload before buffering a frame: until its hello, a connection may send
  // nothing larger than a hello; authenticated ones get maxFrameBytes (raised per connection)
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_HELLO_BYTES, perMessageDeflate: false });

  // ---- the waiting room, from the TCP accept to an accepted hello ----
  const gate = new PendingGate<Socket>({ maxPending: opts.maxPending ?? 64, maxPerAddress: opts.maxPendingPerAddress ?? 16 });
  const timers = new Map<Socket, ReturnType<typeof setTimeout>>();
  const leave = (socket: Socket): void => { clearTimeout(timers.get(socket)); timers.delete(socket); gate.remove(socket); };
  let stopping = false;
  server.on("connection", (socket: Socket) => {
    if (stopping) { socket.destroy(); return; }
    const address = socket.remoteAddress ?? "?";
    for (const old of gate.admit(socket, address)) {
      leave(old);
      log({ level: "warn", event: "rejected", peer: `${old.remoteAddress}:${old.remotePort}`, message: `${old.remoteAddress}:${old.remotePort} evicted: too many connections waiting for a hello (it was the oldest)` });
      old.destroy();
    }
    timers.set(socket, setTimeout(() => {
      if (!gate.has(socket)) return;
      leave(socket);
      log({ level: "warn", event: "rejected", peer: `${address}:${socket.remotePort}`, message: `${address}:${socket.remotePort} did not authenticate within ${handshakeMs} ms` });
      socket.destroy();
    }, handshakeMs));
    socket.on("close", () => leave(socket));
    // a reset from the peer must not become an uncaught "error"
    socket.on("error", () => {});
  });
  server.on("request", (_req, res) => { res.writeHead(426, { "content-type": "text/plain" }).end("fedquant: WebSocket only\n"); });
  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const origin = req.headers.origin;
    if (!originAllowed(origin, opts.allowOrigins)) {
      log({ level: "warn", event: "rejected", peer: `${socket.remoteAddress}:${socket.remotePort}`, message: `a page from origin ${origin} is not allowed (allowOrigins)` });
      socket.end("HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, socket));
  });

  const accept = (ws: WebSocket, socket: Socket): void => {
    const address = socket.remoteAddress ?? "?";
    const peer = `${address}:${socket.remotePort ?? "?"}`;
    const link = linkOverWebSocket(ws as unknown as WebSocketLike, peer, address);
    ws.on("error", (e: Error & { code?: string }) => {
      // ws has already failed the connection (1009 for an oversized frame); say who and why
      const tooBig = e.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH";
      const limit = gate.has(socket) ? `${MAX_HELLO_BYTES}-byte limit before the hello` : `${opts.maxFrameBytes}-byte maximum`;
      coordinator.linkFault(link, tooBig ? `frame exceeds the ${limit}` : `connection error: ${e.message}`,
        tooBig ? CloseCode.tooBig : CloseCode.protocol);
    });
    coordinator.attach(link, () => {
      leave(socket);
      const receiver = (ws as unknown as { _receiver?: { _maxPayload?: number } })._receiver;
      if (receiver && typeof receiver._maxPayload === "number") receiver._maxPayload = opts.maxFrameBytes;
      else log({ level: "warn", event: "server-error", message: "this version of ws has no per-connection payload limit to raise: frames above a hello's size will be refused (server-node.ts)" });
      heartbeat(ws, link);
    });
  };

  // ---- heartbeats: a half-open connection answers no ping ----
  const beats = new Set<() => void>();
  const heartbeat = (ws: WebSocket, link: Link): void => {
    if (heartbeatMs === 0) return;
    let missed = 0;
    ws.on("pong", () => { missed = 0; });
    const timer = setInterval(() => {
      if (missed >= maxMissedPongs) {
        coordinator.linkFault(link, `no pong to ${missed} ping(s) in ${missed * heartbeatMs} ms: the connection is dead or stalled`, CloseCode.evicted);
        ws.terminate();
        return;
      }
      missed++;
      try { ws.ping(); } catch { /* closing */ }
    }, heartbeatMs);
    const stop = (): void => { clearInterval(timer); beats.delete(stop); };
    beats.add(stop);
    ws.on("close", stop);
  };

  await new Promise<void>((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("error", (e) => reject(new FedquantError("E_IO", `cannot listen on ${host}:${opts.port ?? 0}: ${e.message}`, { cause: e })));
    server.listen(opts.port ?? 0, host);
  });
  server.on("error", (e) => log({ level: "warn", event: "server-error", message: e.message }));
  const port = (server.address() as AddressInfo).port;
  const scheme = opts.tls ? "wss" : "ws";
  const urls = joinUrls(scheme, host, port);
  const exposed = exposureWarning(host, opts.tls !== undefined);
  if (exposed) log({ level: "warn", event: "exposed", message: exposed });
  let closing: Promise<void> | undefined;
  return {
    url: urls[0]!,
    urls,
    port,
    coordinator,
    finished: coordinator.finished,
    close() {
      closing ??= new Promise<void>((resolve) => {
        stopping = true;
        coordinator.stop("server closing");
        for (const b of [...beats]) b();
        for (const c of wss.clients) c.terminate();
        for (const s of gate.all()) { leave(s); s.destroy(); }
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
      return closing;
    },
  };
}
