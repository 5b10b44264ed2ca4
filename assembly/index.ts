// The export list of the fedquant kernel (build/fedquant.{simd,scalar}.wasm), nothing else.
export { philoxFill, fillUniform, fillNormal } from "./philox";
export { qsgdRound, signBits, signEncode, signDecode } from "./rounding";
export { qsgdEncodeBegin, qsgdEncodeWindow, qsgdEncodeStep, qsgdEncodeEnd, qsgdEncodeWritten, qsgdDecodeFixed, qsgdDecodeEliasBegin, qsgdDecodeEliasWindow, qsgdDecodeEliasStep, qsgdPayloadCap, qsgdErrorAt } from "./qsgd";
export { dot, dotStep, sumSquares, absSum, axpy, firstNonFinite } from "./vec";
export { packFixed, unpackFixed, qsgdEliasEncode, qsgdEliasDecode } from "./bits";

// First free byte after static data, 16-aligned: the TS arena starts here.
export function heapBase(): usize { return (__heap_base + 15) & ~<usize>15; }
export { codebookBlocked, codewordRows, codebookBytes } from "./codebook";
export { voronoiSearch } from "./voronoi";
