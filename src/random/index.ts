// The random layer: pure TypeScript, imports nothing else of fedquant, usable by every layer.
export { RandomStream, Purpose, streamId, splitSeed, SERVER } from "./stream.js";
export type { PurposeName } from "./stream.js";
export { philoxBlock, philoxWords, u32ToUniform, u32PairToUniform53, wordsToNormals } from "./philox.js";
