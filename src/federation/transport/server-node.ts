// Node-only: the federation's WebSocket server (the `ws` package). Each connection becomes a
// Link handed to a Coordinator; `ws` enforces the maximum frame size before buffering a frame.
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { FedquantError } from "../../errors.js";
import { Coordinator, type CoordinatorOptions, type SessionResult } from "./coordinator.js";
import type { RoundDriver } from "./driver.js";
import { CloseCode, linkOverWebSocket, type WebSocketLike } from "./link.js";

export interface ServeOptions extends CoordinatorOptions {
  /** Default 127.0.0.1: serving other hosts is an explicit choice. */
  host?: string;
  /** Default 0: an ephemeral port (read it back from `port`). */
  port?: number;
}

export interface FederationServer {
  readonly url: string;
  readonly port: number;
  readonly coordinator: Coordinator;
  /** Settles when the last round closes (rejects if the server is closed first). */
  readonly finished: Promise<SessionResult>;
  /** Stop the coordinator, close every connection and the listening socket. */
  close(): Promise<void>;
}

export async function serveFederation(driver: RoundDriver, opts: ServeOptions): Promise<FederationServer> {
  const coordinator = new Coordinator(driver, opts);
  const host = opts.host ?? "127.0.0.1";
  const wss = new WebSocketServer({ host, port: opts.port ?? 0, maxPayload: opts.maxFrameBytes, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", () => resolve());
    wss.once("error", (e) => reject(new FedquantError("E_IO", `cannot listen on ${host}:${opts.port ?? 0}: ${e.message}`, { cause: e })));
  });
  wss.on("error", (e) => opts.log?.({ level: "warn", event: "server-error", message: e.message }));
  wss.on("connection", (ws: WebSocket, req) => {
    const peer = `${req.socket.remoteAddress ?? "?"}:${req.socket.remotePort ?? "?"}`;
    const link = linkOverWebSocket(ws as unknown as WebSocketLike, peer);
    ws.on("error", (e: Error & { code?: string }) => {
      // ws has already failed the connection (1009 for an oversized frame); say who and why
      const tooBig = e.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH";
      coordinator.linkFault(link, tooBig ? `frame exceeds the ${opts.maxFrameBytes}-byte maximum` : `connection error: ${e.message}`,
        tooBig ? CloseCode.tooBig : CloseCode.protocol);
    });
    coordinator.attach(link);
  });
  const port = (wss.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `ws://${urlHost}:${port}`,
    port,
    coordinator,
    finished: coordinator.finished,
    close() {
      closing ??= new Promise<void>((resolve) => {
        coordinator.stop("server closing");
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      });
      return closing;
    },
  };
}
