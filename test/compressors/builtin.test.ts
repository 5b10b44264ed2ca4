import { compressorContract } from "./contract.js";
import { createCompressor } from "../../src/compressors/index.js";

compressorContract("identity", () => createCompressor("identity"));
compressorContract("qsgd s=1 fixed", () => createCompressor("qsgd", { s: 1 }));
compressorContract("qsgd s=4 bucket=8 elias", () => createCompressor("qsgd", { s: 4, bucket: 8, coding: "elias" }));
compressorContract("qsgd s=2 elias", () => createCompressor("qsgd", { s: 2, coding: "elias" }));
compressorContract("sign", () => createCompressor("sign"));
compressorContract("sign bucket=8", () => createCompressor("sign", { bucket: 8 }));
compressorContract("topk k=1", () => createCompressor("topk", { k: 1 }));
compressorContract("topk k=5", () => createCompressor("topk", { k: 5 }), { dims: [7, 64, 203] });
compressorContract("randk k=1", () => createCompressor("randk", { k: 1 }));
compressorContract("crosspolytope draws=2", () => createCompressor("crosspolytope", { draws: 2 }), { trials: 8000 });
compressorContract("qsgd s=1 linf", () => createCompressor("qsgd", { s: 1, norm: "linf" }));
compressorContract("qsgd s=2 bucket=8 linf elias", () => createCompressor("qsgd", { s: 2, bucket: 8, norm: "linf", coding: "elias" }));
