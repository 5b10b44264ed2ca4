// Node-only: joinFederation with the `ws` package's WebSocket (Node 20 has no global one),
// capped at the same maximum frame size as the server; `ca` trusts a certificate (a self-signed
// server's, or a private CA's) for wss:// in addition to Node's default roots.
import { rootCertificates } from "node:tls";
import WebSocket from "ws";
import { joinFederation, type JoinOptions, type Membership } from "./client.js";
import type { WebSocketCtor } from "./link.js";

export interface NodeJoinOptions extends Omit<JoinOptions, "WebSocket"> {
  /** PEM certificate(s) to trust for wss:// besides Node's default roots (e.g. a self-signed server's). */
  ca?: string | Uint8Array;
}

export function joinFederationNode(url: string, opts: NodeJoinOptions): Membership {
  const maxPayload = opts.maxFrameBytes ?? 64 * 2 ** 20;
  const ca = opts.ca === undefined ? undefined : [...rootCertificates, Buffer.from(opts.ca).toString("utf8")];
  class CappedWebSocket extends WebSocket {
    constructor(address: string) { super(address, { maxPayload, perMessageDeflate: false, ...(ca ? { ca } : {}) }); }
  }
  return joinFederation(url, { ...opts, WebSocket: CappedWebSocket as unknown as WebSocketCtor });
}
