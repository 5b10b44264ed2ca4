// The network round protocol's frames (docs/network.md "Frames"): a fixed 8-byte little-endian
// head, then a type-specific body; the algorithm's wire-format messages travel as opaque
// payloads inside ROUND / UPLINK / CATCHUP frames. Every decode treats its bytes as untrusted.
//
//   off size field
//   0   2    magic 0x46 0x4E ("FN": fedquant network)
//   2   1    protocol version (1)
//   3   1    frame type (FrameType)
//   4   4    round (u32)
//   8   …    body
import { FedquantError } from "../../errors.js";

export const PROTOCOL_VERSION = 1;
const MAGIC0 = 0x46, MAGIC1 = 0x4e;
export const HEAD_BYTES = 8;
/** Tokens are secrets of at most this many UTF-8 bytes. */
export const MAX_TOKEN_BYTES = 256;
/** "No round yet" in the u32 round fields that name a past round. */
export const NO_ROUND = 0xffffffff;

export const FrameType = {
  hello: 1,    // client → server: token, the last round the client applied
  welcome: 2,  // server → client: client id, session (JSON), last uplink the server accepted
  round: 3,    // server → client: deadline, ack, attempt, the downlink payload; answer with an UPLINK
  uplink: 4,   // client → server: the attempt it answers, the uplink payload of a round
  catchUp: 5,  // server → client: ack, a past round's downlink to apply without answering
  done: 6,     // server → client: the session is over (JSON summary)
  bye: 7,      // server → client: why the server is about to close this connection
} as const;
export type FrameTypeName = keyof typeof FrameType;

export type Frame =
  | { type: "hello"; round: number; token: string }
  | { type: "welcome"; round: number; client: number; accepted: number; session: unknown }
  | { type: "round"; round: number; deadlineMs: number; accepted: number; attempt: number; payload: Uint8Array }
  | { type: "uplink"; round: number; attempt: number; payload: Uint8Array }
  | { type: "catchUp"; round: number; accepted: number; payload: Uint8Array }
  | { type: "done"; round: number; accepted: number; summary: unknown }
  | { type: "bye"; round: number; reason: string };

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder("utf-8", { fatal: true });

function head(type: FrameTypeName, round: number, bodyBytes: number): { out: Uint8Array; v: DataView } {
  if (!(Number.isInteger(round) && round >= 0 && round <= 0xffffffff)) {
    throw new FedquantError("E_PROTOCOL", `frame round must be a uint32, got ${round}`);
  }
  const out = new Uint8Array(HEAD_BYTES + bodyBytes);
  const v = new DataView(out.buffer);
  out[0] = MAGIC0; out[1] = MAGIC1; out[2] = PROTOCOL_VERSION; out[3] = FrameType[type];
  v.setUint32(4, round, true);
  return { out, v };
}

function u32(name: string, x: number): number {
  if (!(Number.isInteger(x) && x >= 0 && x <= 0xffffffff)) throw new FedquantError("E_PROTOCOL", `${name} must be a uint32, got ${x}`);
  return x;
}

/** Encode a frame for the wire. */
export function encodeFrame(f: Frame): Uint8Array {
  switch (f.type) {
    case "hello": {
      const t = utf8.encode(f.token);
      if (t.length > MAX_TOKEN_BYTES) throw new FedquantError("E_CONFIG", `a token may have at most ${MAX_TOKEN_BYTES} UTF-8 bytes, this one has ${t.length}`);
      const { out, v } = head("hello", f.round, 2 + t.length);
      v.setUint16(8, t.length, true);
      out.set(t, 10);
      return out;
    }
    case "welcome": {
      const s = utf8.encode(JSON.stringify(f.session ?? null));
      const { out, v } = head("welcome", f.round, 8 + s.length);
      v.setUint32(8, u32("client", f.client), true);
      v.setUint32(12, u32("accepted", f.accepted), true);
      out.set(s, 16);
      return out;
    }
    case "round": {
      const { out, v } = head("round", f.round, 12 + f.payload.length);
      v.setUint32(8, u32("deadlineMs", f.deadlineMs), true);
      v.setUint32(12, u32("accepted", f.accepted), true);
      v.setUint32(16, u32("attempt", f.attempt), true);
      out.set(f.payload, 20);
      return out;
    }
    case "uplink": {
      const { out, v } = head("uplink", f.round, 4 + f.payload.length);
      v.setUint32(8, u32("attempt", f.attempt), true);
      out.set(f.payload, 12);
      return out;
    }
    case "catchUp": {
      const { out, v } = head("catchUp", f.round, 4 + f.payload.length);
      v.setUint32(8, u32("accepted", f.accepted), true);
      out.set(f.payload, 12);
      return out;
    }
    case "done": {
      const s = utf8.encode(JSON.stringify(f.summary ?? null));
      const { out, v } = head("done", f.round, 4 + s.length);
      v.setUint32(8, u32("accepted", f.accepted), true);
      out.set(s, 12);
      return out;
    }
    case "bye": {
      const { out } = head("bye", f.round, 0);
      const r = utf8.encode(f.reason);
      const all = new Uint8Array(out.length + r.length);
      all.set(out); all.set(r, out.length);
      return all;
    }
  }
}

function bad(msg: string): never { throw new FedquantError("E_PROTOCOL", msg); }

function need(b: Uint8Array, n: number, what: string): void {
  if (b.length < n) bad(`${what} frame of ${b.length} bytes is shorter than its ${n}-byte minimum`);
}

function text(b: Uint8Array, what: string): string {
  try { return utf8Strict.decode(b); } catch { return bad(`${what} is not valid UTF-8`); }
}

function json(b: Uint8Array, what: string): unknown {
  const s = text(b, what);
  try { return JSON.parse(s) as unknown; } catch { return bad(`${what} is not valid JSON`); }
}

/**
 * Parse untrusted bytes into a frame. Payloads are views into `bytes` (no copy): a receiver that
 * keeps one beyond the call must copy it. Throws E_PROTOCOL on anything malformed.
 */
export function decodeFrame(bytes: Uint8Array): Frame {
  if (!(bytes instanceof Uint8Array)) bad(`a frame must be binary, got ${typeof bytes}`);
  need(bytes, HEAD_BYTES, "a");
  if (bytes[0] !== MAGIC0 || bytes[1] !== MAGIC1) bad(`bad frame magic ${hex(bytes[0]!)} ${hex(bytes[1]!)}, expected 46 4e ("FN")`);
  if (bytes[2] !== PROTOCOL_VERSION) bad(`unsupported protocol version ${bytes[2]}, this build speaks version ${PROTOCOL_VERSION}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const round = v.getUint32(4, true);
  const type = bytes[3]!;
  switch (type) {
    case FrameType.hello: {
      need(bytes, 10, "a hello");
      const n = v.getUint16(8, true);
      if (n > MAX_TOKEN_BYTES) bad(`hello token of ${n} bytes exceeds the ${MAX_TOKEN_BYTES}-byte maximum`);
      if (bytes.length !== 10 + n) bad(`hello frame has ${bytes.length} bytes, its token length says ${10 + n}`);
      return { type: "hello", round, token: text(bytes.subarray(10), "the hello token") };
    }
    case FrameType.welcome:
      need(bytes, 16, "a welcome");
      return { type: "welcome", round, client: v.getUint32(8, true), accepted: v.getUint32(12, true), session: json(bytes.subarray(16), "the welcome session") };
    case FrameType.round:
      need(bytes, 20, "a round");
      return { type: "round", round, deadlineMs: v.getUint32(8, true), accepted: v.getUint32(12, true), attempt: v.getUint32(16, true), payload: bytes.subarray(20) };
    case FrameType.uplink:
      need(bytes, 12, "an uplink");
      return { type: "uplink", round, attempt: v.getUint32(8, true), payload: bytes.subarray(12) };
    case FrameType.catchUp:
      need(bytes, 12, "a catch-up");
      return { type: "catchUp", round, accepted: v.getUint32(8, true), payload: bytes.subarray(12) };
    case FrameType.done:
      need(bytes, 12, "a done");
      return { type: "done", round, accepted: v.getUint32(8, true), summary: json(bytes.subarray(12), "the done summary") };
    case FrameType.bye:
      return { type: "bye", round, reason: text(bytes.subarray(HEAD_BYTES), "the bye reason") };
    default:
      return bad(`unknown frame type ${type}`);
  }
}

/** The payload bits a frame carries for the algorithm (ROUND / UPLINK / CATCHUP), 0 for control frames. */
export function payloadOf(f: Frame): Uint8Array | undefined {
  return f.type === "round" || f.type === "uplink" || f.type === "catchUp" ? f.payload : undefined;
}

function hex(b: number): string { return b.toString(16).padStart(2, "0"); }
