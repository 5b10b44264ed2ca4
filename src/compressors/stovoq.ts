// StoVoQ compressor (spec/stovoq.md; Leconte et al. 2021): the raw vector cut into buckets of d
// coordinates (the last zero-padded), every bucket quantized to the nearest codeword of one
// random Gaussian codebook per message (stovoq-quantizer.ts: grvq, exact or quantized norm).
// No normalisation: see dostovoq.ts for the √D/‖g‖ scaling that makes ω finite.
import { BucketCompressor } from "./stovoq-buckets.js";
import { StovoqQuantizer, type StovoqParams } from "./stovoq-quantizer.js";

export class Stovoq extends BucketCompressor<StovoqQuantizer> {
  readonly name = "stovoq";
  readonly id = 6;

  constructor(p: StovoqParams = {}) {
    super(new StovoqQuantizer(p, "stovoq"));
  }
}
