// Reconnection delays of one client: capped exponential back-off with "equal jitter" (the wait
// before attempt k is d_k/2 + u_k·d_k/2, d_k = min(cap, base·2^k), u_k uniform in (0, 1); AWS
// Architecture Blog, "Exponential Backoff and Jitter", 2015), so that hundreds of clients cut off
// by one server restart do not all come back in the same instant. u_k comes from a Philox stream
// keyed by the client's token — no unseeded randomness: a client's delays are reproducible, and two
// clients' are independent streams.
import { RandomStream } from "../../random/index.js";

/** FNV-1a, 64 bits, over the token's UTF-8 bytes: the stream key (not a secret-keeping hash; the token never leaves the client this way). */
export function tokenSeed(token: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(token)) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h;
}

export class Backoff {
  private readonly stream: RandomStream;
  private attempt = 0;

  constructor(token: string, private readonly baseMs = 200, private readonly capMs = 5000) {
    this.stream = RandomStream.of(tokenSeed(token), "backoff", 0, 0);
  }

  /** The wait before the next attempt (ms), then the attempt count grows. */
  next(): number {
    const d = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 52));
    this.attempt++;
    const u = this.stream.uniforms(1)[0]!;
    return d / 2 + (u * d) / 2;
  }

  /** After a working connection: the next wait starts again from baseMs (the stream goes on). */
  reset(): void { this.attempt = 0; }
}
