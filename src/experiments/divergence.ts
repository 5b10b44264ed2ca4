// Divergence as a result, not a crash (issue #11 item 2): a run records, per algorithm, the
// evaluated points while it goes, and stops that algorithm — only that one — when its loss is
// no longer finite or its excess loss passes DIVERGENCE_FACTOR × the excess loss at w_0. The
// authors' code does the same with a fixed cap (GradientDescent.run: loss > 1e9 or inf ⇒ stop,
// recorded as MAX_LOSS = 1e10); a factor of the start is scale-free across problems.
import { envelopeBits } from "../algorithms/index.js";
import { FedquantError } from "../errors.js";
import type { IterationInfo } from "../federation/simulator.js";

/** Excess loss above this multiple of F(w_0) − F* counts as divergence. */
export const DIVERGENCE_FACTOR = 1e6;

export interface Divergence {
  /** the first iteration whose loss was non-finite or above the threshold (or could not be computed) */
  iteration: number;
  reason: string;
}

/** Thrown out of the simulator's onIteration to stop a diverging algorithm (caught by the runner). */
export class DivergedSignal extends Error {
  constructor(readonly divergence: Divergence) { super(`diverged at k = ${divergence.iteration}: ${divergence.reason}`); }
}

export interface RecordedCurve {
  /** evaluated iterations (0 = the initial point) */
  iterations: number[];
  excessLoss: number[];
  /** cumulative payload bits after each evaluated iteration */
  bitsUp: number[];
  bitsDown: number[];
  bitsTotal: number[];
  /** the same counted with every header (8 × bytes on the wire) */
  wireBitsTotal: number[];
}

/**
 * Mirrors the simulator's record of evaluated points (the same payload / wire bit counts from the
 * envelopes) so that an algorithm stopped mid-run keeps its curve up to the last finite point.
 */
export class DivergenceWatch {
  readonly curve: RecordedCurve = { iterations: [], excessLoss: [], bitsUp: [], bitsDown: [], bitsTotal: [], wireBitsTotal: [] };
  private up = 0;
  private down = 0;
  private wire = 0;
  private lastIteration = 0;
  private readonly threshold: number;

  /** `startExcess`: F(w_0) − F*, finite (a non-finite start is bad input, not divergence). */
  constructor(private readonly fStar: number, startExcess: number, readonly factor = DIVERGENCE_FACTOR) {
    if (!Number.isFinite(startExcess)) throw new FedquantError("E_INPUT", `the loss at w_0 is not finite (F(w_0) − F* = ${startExcess}): check the data`);
    // w_0 = w* (start excess 0) leaves only the non-finite test
    this.threshold = startExcess > 0 ? factor * startExcess : Infinity;
    this.push(0, startExcess);
  }

  private push(k: number, excess: number): void {
    const c = this.curve;
    c.iterations.push(k); c.excessLoss.push(excess);
    c.bitsUp.push(this.up); c.bitsDown.push(this.down); c.bitsTotal.push(this.up + this.down); c.wireBitsTotal.push(this.wire);
  }

  /** The simulator's onIteration: count bits, check an evaluated loss, stop on divergence. */
  observe(info: IterationInfo): void {
    for (const b of info.downlinks.values()) { const e = envelopeBits(b); this.down += e.payloadBits; this.wire += e.totalBits; }
    for (const b of info.uplinks.values()) { const e = envelopeBits(b); this.up += e.payloadBits; this.wire += e.totalBits; }
    this.lastIteration = info.iteration;
    if (info.loss === undefined) return;
    const excess = info.loss - this.fStar;
    if (!Number.isFinite(info.loss)) throw new DivergedSignal({ iteration: info.iteration, reason: `F(w_k) = ${info.loss}` });
    if (excess > this.threshold) {
      this.push(info.iteration, excess); // finite: drawn as the curve's last point, where the marker goes
      throw new DivergedSignal({ iteration: info.iteration, reason: `F(w_k) − F* = ${excess.toExponential(3)} > ${this.factor.toExponential(0)} × F(w_0) − F*` });
    }
    this.push(info.iteration, excess);
  }

  /**
   * The divergence an error thrown by the simulator stands for, or undefined when it is a real
   * error: a non-finite vector met by a compressor (E_INPUT, float32 overflow of an iterate) or by
   * a state check (E_STATE) in iteration lastIteration + 1.
   */
  classify(err: unknown): Divergence | undefined {
    if (err instanceof DivergedSignal) return err.divergence;
    if (err instanceof FedquantError && (err.code === "E_INPUT" || err.code === "E_STATE") && /not finite/.test(err.message)) {
      return { iteration: this.lastIteration + 1, reason: `non-finite value (${err.message.replace(/^E_\w+: /, "")})` };
    }
    return undefined;
  }
}
