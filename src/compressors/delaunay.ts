// Delaunay (dual quantization) compressor (Pagès & Wilbertz 2012; delaunay-quantizer.ts): the raw
// vector cut into buckets of d coordinates (the last zero-padded), each sent as one codeword index
// of an antipodal Gaussian codebook (one per message) and an n-bit scale level. Unbiased.
import { BucketCompressor } from "./stovoq-buckets.js";
import { DelaunayQuantizer, type DelaunayParams } from "./delaunay-quantizer.js";

export class Delaunay extends BucketCompressor<DelaunayQuantizer> {
  readonly name = "delaunay";
  readonly id = 9;

  constructor(p: DelaunayParams = {}) {
    super(new DelaunayQuantizer(p, "delaunay"));
  }
}
