// Bit-level writer and bounds-checked reader for message payloads (LSB-first within
// little-endian bytes, the order of assembly/bits.ts). The reader treats its bytes as
// untrusted: every read past the end is a FedquantError, never an out-of-bounds access.
import { FedquantError } from "../errors.js";

export class BitWriter {
  private buf: Uint8Array;
  private bit = 0;

  constructor(capacityBytes = 64) { this.buf = new Uint8Array(Math.max(8, capacityBytes)); }

  get bitLength(): number { return this.bit; }

  private ensure(extraBits: number): void {
    const need = Math.ceil((this.bit + extraBits) / 8);
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.max(need, this.buf.length * 2));
    next.set(this.buf);
    this.buf = next;
  }

  /** Write the low `len` bits (0..32) of v. */
  bits(v: number, len: number): this {
    this.ensure(len);
    for (let j = 0; j < len; j++, this.bit++) if ((v >>> j) & 1) this.buf[this.bit >> 3]! |= 1 << (this.bit & 7);
    return this;
  }

  /** Pad to a byte boundary (padding bits are zero and not counted by callers as information). */
  align(): this { this.bit = Math.ceil(this.bit / 8) * 8; this.ensure(0); return this; }

  /** Append whole bytes at a byte boundary. */
  bytes(b: Uint8Array): this {
    this.align();
    this.ensure(b.length * 8);
    this.buf.set(b, this.bit >> 3);
    this.bit += b.length * 8;
    return this;
  }

  f32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    return this.bytes(b);
  }

  finish(): Uint8Array { return this.buf.slice(0, Math.ceil(this.bit / 8)); }
}

export class BitReader {
  private bit = 0;
  constructor(private readonly buf: Uint8Array, private readonly what = "payload") {}

  private need(len: number): void {
    if (this.bit + len > this.buf.length * 8) {
      throw new FedquantError("E_DECODE", `${this.what} is truncated: needs ${len} more bits at bit ${this.bit}, has ${this.buf.length * 8 - this.bit}`);
    }
  }

  bits(len: number): number {
    this.need(len);
    let v = 0;
    for (let j = 0; j < len; j++, this.bit++) v += ((this.buf[this.bit >> 3]! >> (this.bit & 7)) & 1) * 2 ** j;
    return v;
  }

  align(): this { this.bit = Math.ceil(this.bit / 8) * 8; return this; }

  bytes(n: number): Uint8Array {
    this.align();
    this.need(n * 8);
    const out = this.buf.subarray(this.bit >> 3, (this.bit >> 3) + n);
    this.bit += n * 8;
    return out;
  }

  f32(): number { const b = this.bytes(4); return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true); }
}

/** Bits needed to write any integer in [0, n): ⌈log2 n⌉ (0 for n ≤ 1). */
export function bitsFor(n: number): number { return n <= 1 ? 0 : Math.ceil(Math.log2(n)); }
