// The wire layer: message frame, bit I/O, validation of untrusted bytes.
export { writeMessage, readMessage, messageBits, headerBytes, FORMAT_VERSION, MAX_DIM } from "./header.js";
export type { Header, MessageBits } from "./header.js";
export { BitWriter, BitReader, bitsFor } from "./bits.js";
