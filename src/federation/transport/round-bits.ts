// The Coordinator's bit and byte counters (docs/network.md "Bits"): information bits of the
// downlinks sent to each client this round — used if that client's uplink is, unused otherwise —
// uplinks received and not used, downlinks of abandoned attempts, and every frame's bytes.
export interface RoundTally {
  bitsDown: number;
  bitsDownUnused: number;
  bitsUpRejected: number;
  wireBytesDown: number;
  wireBytesUp: number;
  /** the clients sent a downlink this round */
  sentTo: number[];
}

export class RoundBits {
  wireDown = 0;
  wireUp = 0;
  private wireDownMark = 0;
  private wireUpMark = 0;
  /** Downlink bits sent this round, per client (used or unused is known when the round closes). */
  private downTo = new Map<number, number>();
  private upRejectedTotal = 0;
  private upRejectedMark = 0;
  /** Downlink bits of abandoned attempts (repeated rounds): sent, never used. */
  private downUnusedCarry = 0;

  constructor(private readonly bits: (message: Uint8Array) => number) {}

  /** A round opens: no downlink sent yet. */
  open(): void { this.downTo = new Map(); }

  sentDown(client: number, bits: number): void { this.downTo.set(client, bits); }

  /** An uplink received and not used (its information bits; 0 if it is not even an envelope). */
  rejectedUp(payload: Uint8Array): void {
    try { this.upRejectedTotal += this.bits(payload); } catch { /* garbage: counted in wire bytes only */ }
  }

  /** The attempt is abandoned (the round runs again): what was sent down is unused. */
  abandon(): void {
    for (const b of this.downTo.values()) this.downUnusedCarry += b;
    this.downTo = new Map();
  }

  /** The round closes with these uplinks used: its tally, and the counters start the next round. */
  close(used: ReadonlyMap<number, unknown>): RoundTally {
    let bitsDown = 0, bitsDownUnused = 0;
    for (const [id, b] of this.downTo) { if (used.has(id)) bitsDown += b; else bitsDownUnused += b; }
    const tally: RoundTally = {
      bitsDown, bitsDownUnused: bitsDownUnused + this.downUnusedCarry, bitsUpRejected: this.upRejectedTotal - this.upRejectedMark,
      wireBytesDown: this.wireDown - this.wireDownMark, wireBytesUp: this.wireUp - this.wireUpMark,
      sentTo: [...this.downTo.keys()],
    };
    this.wireDownMark = this.wireDown; this.wireUpMark = this.wireUp;
    this.upRejectedMark = this.upRejectedTotal;
    this.downTo = new Map();
    this.downUnusedCarry = 0;
    return tally;
  }
}
