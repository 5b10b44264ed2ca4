// Node-only: joinFederation with the `ws` package's WebSocket (Node 20 has no global one),
// capped at the same maximum frame size as the server.
import WebSocket from "ws";
import { joinFederation, type JoinOptions, type Membership } from "./client.js";
import type { WebSocketCtor } from "./link.js";

export function joinFederationNode(url: string, opts: Omit<JoinOptions, "WebSocket">): Membership {
  const maxPayload = opts.maxFrameBytes ?? 64 * 2 ** 20;
  class CappedWebSocket extends WebSocket {
    constructor(address: string) { super(address, { maxPayload, perMessageDeflate: false }); }
  }
  return joinFederation(url, { ...opts, WebSocket: CappedWebSocket as unknown as WebSocketCtor });
}
