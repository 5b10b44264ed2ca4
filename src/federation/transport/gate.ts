// Admission control for connections that have not authenticated yet (docs/network.md
// "Availability"): a bounded set of waiting connections where a newcomer evicts the oldest
// waiter instead of being refused — so a crowd of silent connections can delay an honest
// client by one round trip, never lock it out — and a per-address limit on wrong tokens.
// Browser-safe, no timers: callers own time (Date.now by default, injectable for tests).

export interface PendingGateOptions {
  /** Waiting connections in all (≥ 1). */
  maxPending: number;
  /** Waiting connections from one address (≥ 1). */
  maxPerAddress: number;
}

/** Waiting entries in arrival order; admitting one past a cap names who must go (the oldest). */
export class PendingGate<T> {
  /** Map iteration order is insertion order: the first entry is the oldest. */
  private readonly entries = new Map<T, string>();
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly opts: PendingGateOptions) {}

  get size(): number { return this.entries.size; }
  has(entry: T): boolean { return this.entries.has(entry); }
  countOf(address: string): number { return this.perAddress.get(address) ?? 0; }

  /**
   * Add a waiting entry; returns the entries to evict (already removed): the oldest of the same
   * address if that address is at its cap, then the oldest overall if the total is at its cap.
   */
  admit(entry: T, address: string): T[] {
    const out: T[] = [];
    if (this.countOf(address) >= this.opts.maxPerAddress) {
      for (const [e, a] of this.entries) if (a === address) { this.remove(e); out.push(e); break; }
    }
    if (this.entries.size >= this.opts.maxPending) {
      const oldest = this.entries.keys().next().value as T;
      this.remove(oldest);
      out.push(oldest);
    }
    this.entries.set(entry, address);
    this.perAddress.set(address, this.countOf(address) + 1);
    return out;
  }

  /** Forget an entry (authenticated, closed or timed out); false if it was not waiting. */
  remove(entry: T): boolean {
    const a = this.entries.get(entry);
    if (a === undefined) return false;
    this.entries.delete(entry);
    const n = this.countOf(a) - 1;
    if (n <= 0) this.perAddress.delete(a); else this.perAddress.set(a, n);
    return true;
  }

  /** Every waiting entry, oldest first. */
  all(): T[] { return [...this.entries.keys()]; }
}

export interface TokenLimitOptions {
  /** Wrong tokens from one address within windowMs before it is throttled (≥ 1). */
  maxWrong: number;
  windowMs: number;
  now?: () => number;
}

/**
 * Wrong-token rate limit per address: after maxWrong failures within windowMs, hellos from that
 * address are refused (without looking at the token) until the oldest failure leaves the window.
 * Guessing a 96-bit token was never practical; this keeps a scanner from burning CPU and logs.
 */
export class WrongTokenLimit {
  private readonly failures = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly opts: TokenLimitOptions) { this.now = opts.now ?? Date.now; }

  private recent(address: string): number[] {
    const t = this.now();
    const list = (this.failures.get(address) ?? []).filter((x) => t - x < this.opts.windowMs);
    if (list.length === 0) this.failures.delete(address); else this.failures.set(address, list);
    return list;
  }

  /** ms until this address may present a token again (0: now). */
  blockedFor(address: string): number {
    const list = this.recent(address);
    if (list.length < this.opts.maxWrong) return 0;
    return Math.max(1, list[list.length - this.opts.maxWrong]! + this.opts.windowMs - this.now());
  }

  wrong(address: string): void {
    if (this.failures.size > 4096) for (const a of [...this.failures.keys()]) this.recent(a);
    const list = this.recent(address);
    list.push(this.now());
    // keep the map bounded per address: older failures than the last maxWrong never matter
    this.failures.set(address, list.slice(-this.opts.maxWrong));
  }
}
