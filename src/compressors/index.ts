// The compressors layer.
export type { Compressor, Payload } from "./compressor.js";
export { BaseCompressor } from "./compressor.js";
export { Identity } from "./identity.js";
export { Qsgd, type QsgdParams } from "./qsgd.js";
export { ScaledSign, type SignParams } from "./sign.js";
export { TopK, type TopKParams } from "./topk.js";
export { RandK, type RandKParams } from "./randk.js";
export { CrossPolytope, type CrossPolytopeParams } from "./crosspolytope.js";
export { ErrorFeedback } from "./error-feedback.js";
export { createCompressor, registerCompressor, compressorNames, compressorSummary } from "./registry.js";
export { Stovoq } from "./stovoq.js";
export { StovoqQuantizer, type StovoqParams, type StovoqVariant } from "./stovoq-quantizer.js";
export { Dostovoq, type DostovoqParams } from "./dostovoq.js";
export { Hsq } from "./hsq.js";
export { HsqQuantizer, type HsqParams, type HsqVariant } from "./hsq-quantizer.js";
export type { BucketQuantizer, BucketCodes } from "./stovoq-buckets.js";
export { radialBias, radialSecondMoment, radialBiasExact, radialTable, RadialTable } from "./radial-bias.js";
