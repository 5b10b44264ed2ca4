// The algorithm-level envelope (docs/algorithms.md "The envelope"): a versioned little-endian
// header, then sections that are each one src/wire compressor message, so one transmission can
// bundle a round's update with the catch-up a returning worker missed. Reading treats the bytes
// as untrusted: every field is checked and nothing is read past the buffer.
import { FedquantError } from "../errors.js";
import { headerBytes, messageBits, readMessage, type MessageBits } from "../wire/index.js";

export const ENVELOPE_MAGIC0 = 0x46, ENVELOPE_MAGIC1 = 0x45; // "FE"
export const ENVELOPE_VERSION = 1;
export const ENVELOPE_HEADER_BYTES = 14;
export const SECTION_HEADER_BYTES = 9;
/** The smallest src/wire message (no parameters, empty payload). */
const MIN_MESSAGE_BYTES = headerBytes(0);
const MAX_SECTIONS = 0xffff;
const MAX_CLIENT = 0xfffffe;

export const Direction = { down: 1, up: 2 } as const;
export type DirectionName = keyof typeof Direction;

export interface Section {
  /** the round whose update this vector carries */
  round: number;
  /** which vector of that round (0 for the built-in algorithms) */
  slot: number;
  /** one src/wire compressor message */
  bytes: Uint8Array;
}

export interface Envelope {
  direction: DirectionName;
  /** algorithm wire id */
  algorithm: number;
  /** recipient (downlink) or sender (uplink) */
  client: number;
  round: number;
  sections: Section[];
}

function checkU(name: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new FedquantError("E_PROTOCOL", `envelope ${name} must be an integer in [0, ${max}], got ${v}`);
}

export function writeEnvelope(env: Envelope): Uint8Array {
  checkU("algorithm id", env.algorithm, 0xff);
  checkU("client id", env.client, MAX_CLIENT);
  checkU("round", env.round, 0xffffffff);
  if (env.sections.length > MAX_SECTIONS) throw new FedquantError("E_PROTOCOL", `an envelope holds at most ${MAX_SECTIONS} sections, got ${env.sections.length}`);
  let size = ENVELOPE_HEADER_BYTES;
  for (const s of env.sections) {
    checkU("section round", s.round, 0xffffffff);
    checkU("section slot", s.slot, 0xff);
    size += SECTION_HEADER_BYTES + s.bytes.length;
  }
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out[0] = ENVELOPE_MAGIC0; out[1] = ENVELOPE_MAGIC1; out[2] = ENVELOPE_VERSION;
  out[3] = Direction[env.direction];
  out[4] = env.algorithm;
  out[5] = env.client & 0xff; out[6] = (env.client >>> 8) & 0xff; out[7] = (env.client >>> 16) & 0xff;
  v.setUint32(8, env.round, true);
  v.setUint16(12, env.sections.length, true);
  let o = ENVELOPE_HEADER_BYTES;
  for (const s of env.sections) {
    v.setUint32(o, s.round, true);
    out[o + 4] = s.slot;
    v.setUint32(o + 5, s.bytes.length, true);
    out.set(s.bytes, o + SECTION_HEADER_BYTES);
    o += SECTION_HEADER_BYTES + s.bytes.length;
  }
  return out;
}

/** What the receiver expects; a mismatch is a protocol error (E_PROTOCOL), not a decoding one. */
export interface EnvelopeExpectation {
  direction?: DirectionName;
  algorithm?: number;
  client?: number;
  round?: number;
}

/**
 * Parse and validate untrusted bytes. Sections are views into `bytes`; each is checked to be a
 * well-formed src/wire message (its compressor, dimension and randomness are checked later, by
 * the decoder that knows what to expect).
 */
export function readEnvelope(bytes: Uint8Array, expect: EnvelopeExpectation = {}): Envelope {
  if (!(bytes instanceof Uint8Array)) throw new FedquantError("E_DECODE", `an envelope must be a Uint8Array, got ${bytes === null ? "null" : typeof bytes}`);
  if (bytes.length < ENVELOPE_HEADER_BYTES) throw new FedquantError("E_DECODE", `envelope of ${bytes.length} bytes is shorter than its ${ENVELOPE_HEADER_BYTES}-byte header`);
  if (bytes[0] !== ENVELOPE_MAGIC0 || bytes[1] !== ENVELOPE_MAGIC1) throw new FedquantError("E_DECODE", `bad envelope magic ${hex(bytes[0]!)} ${hex(bytes[1]!)}, expected 46 45 ("FE")`);
  if (bytes[2] !== ENVELOPE_VERSION) throw new FedquantError("E_DECODE", `unsupported envelope version ${bytes[2]}, this build reads version ${ENVELOPE_VERSION}`);
  const dir = bytes[3] === Direction.down ? "down" : bytes[3] === Direction.up ? "up" : null;
  if (dir === null) throw new FedquantError("E_DECODE", `envelope direction byte is ${bytes[3]}, expected 1 (down) or 2 (up)`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const algorithm = bytes[4]!;
  const client = bytes[5]! | (bytes[6]! << 8) | (bytes[7]! << 16);
  if (client > MAX_CLIENT) throw new FedquantError("E_DECODE", `envelope client id ${client} is reserved (the server)`);
  const round = v.getUint32(8, true);
  const count = v.getUint16(12, true);

  if (expect.direction !== undefined && expect.direction !== dir) throw new FedquantError("E_PROTOCOL", `expected a${expect.direction === "up" ? "n uplink" : " downlink"} envelope, got a${dir === "up" ? "n uplink" : " downlink"} one`);
  if (expect.algorithm !== undefined && expect.algorithm !== algorithm) throw new FedquantError("E_PROTOCOL", `envelope is from algorithm id ${algorithm}, expected ${expect.algorithm}`);
  if (expect.client !== undefined && expect.client !== client) throw new FedquantError("E_PROTOCOL", `envelope is for client ${client}, expected ${expect.client}`);
  if (expect.round !== undefined && expect.round !== round) throw new FedquantError("E_PROTOCOL", `envelope is for round ${round}, expected ${expect.round}`);

  const sections: Section[] = [];
  let o = ENVELOPE_HEADER_BYTES;
  for (let j = 0; j < count; j++) {
    if (bytes.length - o < SECTION_HEADER_BYTES) throw new FedquantError("E_DECODE", `envelope is truncated: section ${j} of ${count} has no room for its ${SECTION_HEADER_BYTES}-byte header`);
    const sRound = v.getUint32(o, true), slot = bytes[o + 4]!, len = v.getUint32(o + 5, true);
    o += SECTION_HEADER_BYTES;
    if (len < MIN_MESSAGE_BYTES) throw new FedquantError("E_DECODE", `envelope section ${j} claims ${len} bytes, less than a ${MIN_MESSAGE_BYTES}-byte message header`);
    if (len > bytes.length - o) throw new FedquantError("E_DECODE", `envelope section ${j} claims ${len} bytes, only ${bytes.length - o} remain`);
    const msg = bytes.subarray(o, o + len);
    readMessage(msg); // the frame must parse (magic, version, dimension, header length)
    sections.push({ round: sRound, slot, bytes: msg });
    o += len;
  }
  if (o !== bytes.length) throw new FedquantError("E_DECODE", `envelope has ${bytes.length - o} trailing bytes after its ${count} sections`);
  return { direction: dir, algorithm, client, round, sections };
}

/**
 * Exact size of one envelope: payloadBits = the compressors' information bits (what the papers
 * count), headerBits = envelope, section and compressor headers, totalBits = 8 × bytes.
 */
export function envelopeBits(bytes: Uint8Array): MessageBits {
  const env = readEnvelope(bytes);
  let payloadBits = 0, headerBits = ENVELOPE_HEADER_BYTES * 8;
  for (const s of env.sections) {
    const b = messageBits(s.bytes);
    payloadBits += b.payloadBits;
    headerBits += SECTION_HEADER_BYTES * 8 + b.headerBits;
  }
  return { payloadBits, headerBits, totalBits: bytes.length * 8 };
}

function hex(b: number): string { return b.toString(16).padStart(2, "0"); }
