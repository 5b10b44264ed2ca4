// The compressor contract (spec/compressors.md): encode a vector into real wire bytes,
// decode untrusted bytes back, with exact bit accounting. Subclasses implement only the
// payload; the frame, parameter checks and shared-randomness bookkeeping live here.
import { describeValue } from "../describe.js";
import { FedquantError } from "../errors.js";
import { kernel } from "../kernel/index.js";
import { RandomStream } from "../random/index.js";
import { BitReader, BitWriter, messageBits, readMessage, writeMessage, MAX_DIM, type MessageBits } from "../wire/index.js";

export interface Compressor {
  readonly name: string;
  /** Wire id (registry.ts). */
  readonly id: number;
  /** The parameters it was built with (as given to createCompressor, defaults filled in). */
  readonly params: Readonly<Record<string, number | string | boolean>>;
  /** E[C(x)] = x for every x. */
  readonly unbiased: boolean;
  /** Variance constant: E‖C(x) − x‖² ≤ ω‖x‖² (Infinity for biased compressors). */
  omega(dim: number): number;
  /** Contraction: E‖C(x) − x‖² ≤ (1 − δ)‖x‖² (0 when no such bound holds). */
  delta(dim: number): number;
  /** Encode x (finite float32 values). Draws its randomness from rng and advances it. */
  encode(x: Float32Array, rng: RandomStream): Uint8Array;
  /**
   * Decode untrusted bytes into a vector of the expected dimension. If `rng` is given, the
   * message's shared randomness (seed, stream, position) must be exactly rng's.
   */
  decode(msg: Uint8Array, dim: number, rng?: RandomStream): Float32Array;
  /**
   * decode() into the caller's array (its length is the expected dimension) and return it. A
   * decoder that reuses one buffer skips the fresh memory decode() allocates per message (at
   * large D the page faults of that memory cost more than the decoding itself).
   */
  decodeInto(msg: Uint8Array, out: Float32Array, rng?: RandomStream): Float32Array;
  /** Exact bits of a message: payload (what the papers count), header, total. */
  bits(msg: Uint8Array): MessageBits;
}

/** A payload section written by a compressor, with its information bit count. */
export interface Payload { bytes: Uint8Array; bits: number }

export type ParamSpec = Record<string, "u8" | "u16" | "u32" | "f32">;

export abstract class BaseCompressor implements Compressor {
  abstract readonly name: string;
  abstract readonly id: number;
  abstract readonly unbiased: boolean;
  abstract readonly params: Readonly<Record<string, number | string | boolean>>;
  /** The numeric parameters that travel in the header, in order, with their widths. */
  protected abstract readonly wireParams: ParamSpec;

  abstract omega(dim: number): number;
  delta(_dim: number): number { return 0; }

  /**
   * px: where x sits in the kernel's linear memory during the call, for compressors that set
   * `inputInMemory` (one wasm call over the whole message); otherwise −1 and x is not copied
   * whole (linear memory stays O(chunk), e.g. DoStoVoQ at large D).
   */
  protected abstract encodePayload(x: Float32Array, rng: RandomStream, px: number): Payload;
  /** Copy x into linear memory once for encodePayload (fused message kernels). */
  protected readonly inputInMemory: boolean = false;
  /**
   * encodePayload itself refuses a NaN / ±Inf with nonFinite() before any other error and before
   * advancing rng (the fused QSGD kernel sees it in its bucket norms), so encode skips its pass.
   */
  protected readonly kernelChecksFinite: boolean = false;
  protected nonFinite(x: Float32Array, at: number): FedquantError {
    return new FedquantError("E_INPUT", `${this.name}.encode: x[${at}] = ${x[at]} is not finite`);
  }
  /** rng is positioned where the encoder's randomness started (a clone: decoding never advances the caller's stream). */
  /** `into` (length dim), when given, may receive the values directly (return it then). */
  protected abstract decodePayload(payload: Uint8Array, payloadBits: number, dim: number, rng: RandomStream, into?: Float32Array): Float32Array;

  /** Dimensions this compressor accepts (e.g. k ≤ D for top-k); throw E_DIM / E_CONFIG otherwise. */
  protected checkDim(_dim: number): void {}

  encode(x: Float32Array, rng: RandomStream): Uint8Array {
    if (!(x instanceof Float32Array)) throw new FedquantError("E_INPUT", `${this.name}.encode needs a Float32Array, got ${describeValue(x)}`);
    if (x.length < 1 || x.length > MAX_DIM) throw new FedquantError("E_DIM", `${this.name}.encode: dimension ${x.length} outside 1..${MAX_DIM}`);
    if (!(rng instanceof RandomStream)) throw new FedquantError("E_CONFIG", `${this.name}.encode needs a RandomStream`);
    this.checkDim(x.length);
    const k = kernel();
    return k.scope(() => {
      const px = this.inputInMemory ? k.putF32(x) : -1;
      const bad = this.kernelChecksFinite ? -1 : px >= 0 ? k.raw.firstNonFinite(px, x.length) : k.firstNonFinite(x);
      if (bad >= 0) throw this.nonFinite(x, bad);
      const start = rng.counter;
      const p = this.encodePayload(x, rng, px);
      return writeMessage({
        compressor: this.id, dim: x.length, seed: [rng.k0, rng.k1], stream: [rng.i0, rng.i1],
        counter: start, params: this.headerParams(), payloadBits: p.bits,
      }, p.bytes);
    });
  }

  decode(msg: Uint8Array, dim: number, rng?: RandomStream): Float32Array { return this.decodeTo(msg, dim, rng); }

  /**
   * decode() into the caller's array (its length is the dimension) and return it: a decoder
   * reusing one buffer skips allocating fresh memory per message, which dominates decoding large
   * vectors (bench/suites/e2e.ts measures both). If the message is refused (E_DECODE), `out` may
   * already hold part of it: the fused decoders stream windows of values straight into it.
   */
  decodeInto(msg: Uint8Array, out: Float32Array, rng?: RandomStream): Float32Array {
    if (!(out instanceof Float32Array)) throw new FedquantError("E_INPUT", `${this.name}.decodeInto needs a Float32Array, got ${describeValue(out)}`);
    return this.decodeTo(msg, out.length, rng, out);
  }

  private decodeTo(msg: Uint8Array, dim: number, rng: RandomStream | undefined, into?: Float32Array): Float32Array {
    const { header, payload } = readMessage(msg);
    if (header.compressor !== this.id) throw new FedquantError("E_DECODE", `message is from compressor id ${header.compressor}, this decoder is ${this.name} (id ${this.id})`);
    if (header.dim !== dim) throw new FedquantError("E_DIM", `message has dimension ${header.dim}, expected ${dim}`);
    const mine = this.headerParams();
    if (!bytesEqual(header.params, mine)) {
      throw new FedquantError("E_DECODE", `${this.name} message parameters ${this.describeParams(header.params)} differ from the receiver's ${this.describeParams(mine)}`);
    }
    if (rng && (rng.k0 !== header.seed[0] || rng.k1 !== header.seed[1] || rng.i0 !== header.stream[0] || rng.i1 !== header.stream[1] || rng.counter !== header.counter)) {
      throw new FedquantError("E_DECODE", `${this.name} message randomness (seed/stream/counter) is not the one the receiver expects`);
    }
    this.checkDim(dim);
    const shared = new RandomStream(header.seed[0], header.seed[1], header.stream[0], header.stream[1], header.counter);
    const out = this.decodePayload(payload, header.payloadBits, dim, shared, into);
    if (out.length !== dim) throw new FedquantError("E_DECODE", `${this.name} decoded ${out.length} values, expected ${dim}`);
    if (into && out !== into) into.set(out);
    return into ?? out;
  }

  bits(msg: Uint8Array): MessageBits { return messageBits(msg); }

  private headerParamsCache: Uint8Array | undefined;
  /**
   * paramBytes() built once per compressor (parameters are fixed at construction) and shared by
   * every message — it was rebuilt for each encode and decode (issue #9 item 5). Never handed
   * out: writeMessage copies it into the header, decode only compares it.
   */
  private headerParams(): Uint8Array { return (this.headerParamsCache ??= this.paramBytes()); }

  protected paramBytes(): Uint8Array {
    const w = new BitWriter(16);
    for (const [name, type] of Object.entries(this.wireParams)) {
      const v = Number(this.params[name]);
      if (type === "f32") w.f32(v);
      else w.bits(v >>> 0, type === "u8" ? 8 : type === "u16" ? 16 : 32);
    }
    return w.finish();
  }

  private describeParams(bytes: Uint8Array): string {
    try {
      const r = new BitReader(bytes, "parameters");
      const parts = Object.entries(this.wireParams).map(([name, type]) =>
        `${name}=${type === "f32" ? r.f32() : r.bits(type === "u8" ? 8 : type === "u16" ? 16 : 32)}`);
      return `{${parts.join(", ")}}`;
    } catch {
      return `(${bytes.length} unreadable bytes)`;
    }
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The parts one after the other in a new array. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Validation helpers for compressor parameters. */
export function intParam(name: string, comp: string, v: unknown, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new FedquantError("E_CONFIG", `${comp}: ${name} must be an integer in [${min}, ${max}], got ${describeValue(v)}`);
  }
  return v;
}

/** The payload must be exactly `bytes` long (no trailing garbage, no truncation). */
export function expectPayloadBytes(comp: string, payload: Uint8Array, bytes: number): void {
  if (payload.length !== bytes) throw new FedquantError("E_DECODE", `${comp} payload has ${payload.length} bytes, expected ${bytes}`);
}
