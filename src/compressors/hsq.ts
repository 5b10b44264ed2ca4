// HSQ compressor (Dai et al. 2019; spec/compressors.md "HSQ"): the raw vector cut into buckets of
// d coordinates (the last zero-padded), each sent as one codeword index of a random unit codebook
// (one per message) and an n-bit scalar (hsq-quantizer.ts: greedy or span).
import { BucketCompressor } from "./stovoq-buckets.js";
import { HsqQuantizer, type HsqParams } from "./hsq-quantizer.js";

export class Hsq extends BucketCompressor<HsqQuantizer> {
  readonly name = "hsq";
  readonly id = 8;

  constructor(p: HsqParams = {}) {
    super(new HsqQuantizer(p, "hsq"));
  }
}
