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
