// Bit packing: fixed-width fields and Elias-gamma codes, LSB-first within little-endian bytes.
// The gamma code of x = 2^N + r (0 ≤ r < 2^N) is N zero bits, a one, then r in N bits
// LSB-first — the same 2N+1 bits per integer as Elias (1975), in an order a reader decodes
// with one count-trailing-zeros. Readers never touch memory past src + nBytes + 8: the TS side
// copies untrusted payloads into the arena followed by 8 zero bytes.
// A reader sees 64 − 7 = 57 bits from any bit position (one u64 load, shifted by < 8), so a gamma
// code is at most 57 = 2·28 + 1 bits: values below 2^29, enough for runs within MAX_DIM = 2^28.

let wPtr: usize = 0;
let wAcc: u64 = 0;
let wCount: u32 = 0;
let wBits: u64 = 0;

@inline function writerStart(dst: usize): void { wPtr = dst; wAcc = 0; wCount = 0; wBits = 0; }

// len ≤ 32
@inline function writeBits(v: u32, len: u32): void {
  wAcc |= <u64>v << wCount;
  wCount += len;
  wBits += len;
  if (wCount >= 32) {
    store<u32>(wPtr, <u32>wAcc);
    wPtr += 4;
    wAcc >>= 32;
    wCount -= 32;
  }
}

@inline function writerFlush(): void {
  while (wCount > 0) {
    store<u8>(wPtr, <u8>wAcc);
    wPtr += 1;
    wAcc >>= 8;
    wCount = wCount > 8 ? wCount - 8 : 0;
  }
}

// 1 ≤ x < 2^29 (what readGamma accepts)
@inline function writeGamma(x: u32): void {
  const nb = 31 - clz<u32>(x);
  if (nb > 0) writeBits(0, nb);
  writeBits(((x ^ (1 << nb)) << 1) | 1, nb + 1);
}

let rSrc: usize = 0;
let rPos: u64 = 0;
let rEnd: u64 = 0;

@inline function peek64(): u64 {
  return load<u64>(rSrc + <usize>(rPos >> 3)) >> (rPos & 7);
}

// Returns the value, or −1 if it runs past the end or is longer than 2·28 + 1 bits.
@inline function readGamma(): i64 {
  const w = peek64();
  if (w == 0) return -1;
  const nb = <u32>ctz<u64>(w);
  if (nb > 28) return -1;
  const len = 2 * nb + 1;
  if (rPos + len > rEnd) return -1;
  const field = <u32>((w >> nb) & ((<u64>1 << (nb + 1)) - 1));
  rPos += len;
  return <i64>((<u32>1 << nb) | (field >> 1));
}

@inline function readBit(): i32 {
  if (rPos + 1 > rEnd) return -1;
  const b = <i32>(peek64() & 1);
  rPos += 1;
  return b;
}

// n values of `width` bits (1..32) → ceil(n·width/8) bytes at dst.
export function packFixed(src: usize, n: u32, width: u32, dst: usize): void {
  writerStart(dst);
  const mask: u32 = width == 32 ? 0xffffffff : (<u32>1 << width) - 1;
  for (let i: u32 = 0; i < n; i++) writeBits(load<u32>(src + (<usize>i << 2)) & mask, width);
  writerFlush();
}

export function unpackFixed(src: usize, n: u32, width: u32, dst: usize): void {
  rSrc = src; rPos = 0;
  const mask: u64 = (<u64>1 << width) - 1;
  for (let i: u32 = 0; i < n; i++) {
    store<u32>(dst + (<usize>i << 2), <u32>(peek64() & mask));
    rPos += width;
  }
}

// QSGD "Elias" payload for signed levels (Alistarh et al. 2017, §3.2): for each non-zero
// level, gamma(run of zeros before it + 1), its sign bit, gamma(|level|). Returns the bit count.
export function qsgdEliasEncode(levels: usize, n: u32, dst: usize): u64 {
  writerStart(dst);
  let run: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const l = load<i32>(levels + (<usize>i << 2));
    if (l == 0) { run++; continue; }
    writeGamma(run + 1);
    writeBits(l < 0 ? 1 : 0, 1);
    writeGamma(<u32>(l < 0 ? -l : l));
    run = 0;
  }
  const bits = wBits;
  writerFlush();
  return bits;
}

// Inverse of qsgdEliasEncode over exactly nBits bits (every bit belongs to a level: the loop ends
// exactly at nBits or fails). Returns 0, or a negative code: −1 truncated / malformed gamma,
// −2 a run passes the dimension, −3 a level above s.
export function qsgdEliasDecode(src: usize, nBits: u64, n: u32, s: u32, out: usize): i32 {
  memory.fill(out, 0, <usize>n << 2);
  rSrc = src; rPos = 0; rEnd = nBits;
  let pos: u64 = 0;
  while (rPos < rEnd) {
    const run = readGamma();
    if (run < 0) return -1;
    pos += <u64>(run - 1);
    if (pos >= <u64>n) return -2;
    const sign = readBit();
    if (sign < 0) return -1;
    const lvl = readGamma();
    if (lvl < 0) return -1;
    if (lvl > <i64>s) return -3;
    store<i32>(out + (<usize>pos << 2), sign ? -<i32>lvl : <i32>lvl);
    pos += 1;
  }
  return 0;
}
