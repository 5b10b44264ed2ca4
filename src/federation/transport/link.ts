// A Link is one bidirectional, ordered channel of binary frames (a WebSocket, a worker's
// MessagePort, or an in-memory pair for tests): the round protocol is written once against it.
// Browser-safe: the WebSocket adapter uses only the standard WebSocket API, which the `ws`
// package also implements, so Node passes its constructor in (client-node.ts).

/** Close codes (RFC 6455 §7.4: 4000–4999 are for applications). */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  tooBig: 1009,       // a frame exceeded the maximum frame size
  unauthorized: 4001, // wrong or missing token
  protocol: 4002,     // a malformed or out-of-protocol frame
  replaced: 4003,     // the same client connected again; the old connection is closed
  timeout: 4004,      // no hello within the handshake time
  finished: 4005,     // the session is over
  full: 4006,         // too many connections waiting for a hello (the oldest waiting one is closed)
  busy: 4007,         // this client's token has a live connection already; retry when that one ends
  stale: 4008,        // the client's state does not match what the server used: restart it from its saved state
  evicted: 4009,      // missed heartbeats, or absent too many rounds in a row while connected
  throttled: 4010,    // too many wrong tokens from this address recently; retry later
} as const;

/** Codes after which a client must not reconnect: retrying would fail the same way. */
export function isFinalClose(code: number): boolean {
  return code === CloseCode.unauthorized || code === CloseCode.protocol || code === CloseCode.tooBig
    || code === CloseCode.finished || code === CloseCode.replaced || code === CloseCode.normal || code === CloseCode.stale;
}

export interface Link {
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Exactly one handler each; set before frames can arrive. */
  onFrame(handler: (frame: Uint8Array) => void): void;
  onClose(handler: (code: number, reason: string) => void): void;
  /** For logs: where the peer is. */
  readonly peer: string;
  /** The peer's network address without its port, for per-address limits (default: peer). */
  readonly address?: string;
}

/** The part of the standard WebSocket API we use (browser WebSocket and `ws` both have it). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "message", fn: (ev: { data: unknown }) => void): void;
  addEventListener(type: "close", fn: (ev: { code: number; reason: string }) => void): void;
  addEventListener(type: "error", fn: (ev: unknown) => void): void;
  addEventListener(type: "open", fn: (ev: unknown) => void): void;
}
export type WebSocketCtor = new (url: string) => WebSocketLike;

const OPEN = 1;

/** WebSocket close reasons are limited to 123 UTF-8 bytes. */
export function clipReason(reason: string): string {
  const enc = new TextEncoder();
  if (enc.encode(reason).length <= 123) return reason;
  let s = reason;
  while (enc.encode(s + "…").length > 123) s = s.slice(0, -1);
  return s + "…";
}

/**
 * Wrap an open WebSocket. Text frames are not part of the protocol: they reach the handler as
 * an empty frame, which decodeFrame rejects like any other malformed frame.
 */
export function linkOverWebSocket(ws: WebSocketLike, peer = "server", address?: string): Link {
  ws.binaryType = "arraybuffer";
  let onFrame: (f: Uint8Array) => void = () => {};
  let onClose: (code: number, reason: string) => void = () => {};
  let closed = false;
  ws.addEventListener("message", (ev) => {
    const d = ev.data;
    onFrame(d instanceof ArrayBuffer ? new Uint8Array(d) : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(0));
  });
  // a failed connection (refused, reset) fires "error" and then "close"; the close is what we act
  // on, but `ws` is a Node EventEmitter and throws an "error" nobody listens to, killing the process
  // `ws` refuses a frame over its maxPayload itself (before buffering it) and then reports an
  // abnormal close (1006), which would read as a network failure worth retrying: keep the cause
  let tooBig = false;
  ws.addEventListener("error", (ev) => {
    const err = (ev as { error?: { code?: unknown } } | undefined)?.error;
    if (err?.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") tooBig = true;
  });
  ws.addEventListener("close", (ev) => {
    if (closed) return;
    closed = true;
    if (tooBig) onClose(CloseCode.tooBig, "a frame from the peer exceeds the maximum frame size (maxFrameBytes)");
    else onClose(ev.code, ev.reason);
  });
  return {
    peer,
    address,
    send(frame) { if (ws.readyState === OPEN) ws.send(frame); },
    close(code, reason) { try { ws.close(code, clipReason(reason)); } catch { /* already closing */ } },
    onFrame(h) { onFrame = h; },
    onClose(h) { onClose = h; },
  };
}

/** The structured-clone channel between a page and a Web Worker (or two ends of a MessageChannel). */
export interface PortLike {
  postMessage(msg: unknown, transfer?: Transferable[]): void;
  addEventListener(type: "message", fn: (ev: MessageEvent) => void): void;
  start?(): void;
}

/** Messages on a port: a frame, or the close of the link (ports have no close event of their own). */
type PortMessage = { fq: "frame"; bytes: Uint8Array } | { fq: "close"; code: number; reason: string };

/**
 * A Link over a MessagePort / Worker. Frames are copied into a fresh buffer and transferred,
 * so the sender keeps its own bytes and no frame is shared between threads.
 */
export function linkOverPort(port: PortLike, peer: string): Link {
  let onFrame: (f: Uint8Array) => void = () => {};
  let onClose: (code: number, reason: string) => void = () => {};
  let closed = false;
  port.addEventListener("message", (ev: MessageEvent) => {
    const m = ev.data as PortMessage | undefined;
    if (closed || !m || typeof m !== "object") return;
    if (m.fq === "frame" && m.bytes instanceof Uint8Array) onFrame(m.bytes);
    else if (m.fq === "close") { closed = true; onClose(m.code, m.reason); }
  });
  port.start?.();
  return {
    peer,
    send(frame) {
      if (closed) return;
      const copy = frame.slice();
      port.postMessage({ fq: "frame", bytes: copy } satisfies PortMessage, [copy.buffer]);
    },
    close(code, reason) {
      if (closed) return;
      closed = true;
      port.postMessage({ fq: "close", code, reason } satisfies PortMessage);
      onClose(code, reason);
    },
    onFrame(h) { onFrame = h; },
    onClose(h) { onClose = h; },
  };
}

/** Two in-memory Links wired to each other, delivering asynchronously like a real channel. */
export function linkPair(peerA = "a", peerB = "b"): [Link, Link] {
  type End = { frame: (f: Uint8Array) => void; close: (c: number, r: string) => void; closed: boolean };
  const ends: [End, End] = [
    { frame: () => {}, close: () => {}, closed: false },
    { frame: () => {}, close: () => {}, closed: false },
  ];
  const make = (me: 0 | 1, peer: string): Link => {
    const other = ends[1 - me]!, self = ends[me];
    return {
      peer,
      send(frame) {
        if (self.closed) return;
        const copy = frame.slice();
        queueMicrotask(() => { if (!other.closed) other.frame(copy); });
      },
      close(code, reason) {
        if (self.closed) return;
        self.closed = true;
        queueMicrotask(() => self.close(code, reason));
        queueMicrotask(() => { if (!other.closed) { other.closed = true; other.close(code, reason); } });
      },
      onFrame(h) { self.frame = h; },
      onClose(h) { self.close = h; },
    };
  };
  return [make(0, peerA), make(1, peerB)];
}
