// The chunked kernels (issue #9) stream vectors through windows: Voronoi search per window of
// buckets, fills / packing / sums / checks per window of values. Here the windows are shrunk to
// a few buckets, 8 values and 1024 message coordinates so that small vectors cross many window boundaries, and (1) every
// message equals the one written with a single window (the default sizes cover these D in one),
// (2) the compressor contract holds for the windowed paths in both kernel builds.
import { afterEach, describe, expect, it } from "vitest";
import { createCompressor } from "../../src/compressors/index.js";
import { Kernel, loadKernel, useKernel } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";
import { compressorContract, gaussianVector } from "./contract.js";

const DEFAULTS = { voronoi: Kernel.voronoiWindow, values: Kernel.valueWindow, message: Kernel.messageWindow };
function tiny(): void { Kernel.voronoiWindow = 3; Kernel.valueWindow = 8; Kernel.messageWindow = 1024; }
function restore(): void { Kernel.voronoiWindow = DEFAULTS.voronoi; Kernel.valueWindow = DEFAULTS.values; Kernel.messageWindow = DEFAULTS.message; }

const cases: [string, Record<string, unknown>][] = [
  ["stovoq", { codebookBits: 6 }],
  ["stovoq", { codebookBits: 5, variant: "exact", d: 5 }],
  ["dostovoq", { codebookBits: 6 }],
  ["dostovoq", { codebookBits: 6, variant: "grvq" }],
  ["dostovoq", { quantizer: "hsq", d: 8, codebookBits: 6 }],
  ["hsq", { d: 4, codebookBits: 5, variant: "span", scalarBits: 8 }],
  ["crosspolytope", { draws: 9 }],
  ["topk", { k: 11 }],
  ["qsgd", { s: 1, bucket: 0 }],
  ["qsgd", { s: 3, bucket: 700, coding: "elias" }],
  ["qsgd", { s: 255, bucket: 0, coding: "elias", norm: "linf" }],
  ["sign", { bucket: 100 }],
];

describe.each(["simd", "scalar"] as const)("windowed kernels write the single-window bytes (%s kernel)", (flavour) => {
  afterEach(restore);
  it.each(cases)("%s %j", async (name, params) => {
    useKernel(await loadKernel({ flavour }));
    const c = createCompressor(name, params);
    for (const D of [13, 64, 203, 1001, 5003]) {
      const x = gaussianVector(D, D);
      restore();
      const one = c.encode(x, RandomStream.of(4, "compress", D));
      const y1 = c.decode(one, D);
      tiny();
      const many = c.encode(x, RandomStream.of(4, "compress", D));
      expect(Buffer.from(many).equals(Buffer.from(one)), `D = ${D}`).toBe(true);
      expect(c.decode(many, D)).toEqual(y1);
    }
  });
});

// the contract, with every window boundary crossed (windows stay tiny for this whole file's contract runs)
describe("contract on windowed kernels", () => { it("shrinks the windows", () => { tiny(); expect(Kernel.voronoiWindow).toBe(3); }); });
compressorContract("stovoq (windowed) d=16 M=2^6", () => { tiny(); return createCompressor("stovoq", { codebookBits: 6 }); }, { dims: [7, 203] });
compressorContract("dostovoq (windowed) d=16 M=2^6", () => { tiny(); return createCompressor("dostovoq", { codebookBits: 6 }); }, { dims: [7, 203] });
compressorContract("qsgd (windowed) s=4 elias", () => { tiny(); return createCompressor("qsgd", { s: 4, coding: "elias" }); }, { dims: [7, 3001] });
compressorContract("hsq (windowed) d=8 M=2^6", () => { tiny(); return createCompressor("hsq", { d: 8, codebookBits: 6 }); }, { dims: [7, 203] });

// Decoding streams through windows of coordinates (src/kernel/messages.ts): a level past the
// window is read again by the next one. Damaged Elias and fixed messages must give the same
// floats or the same E_DECODE with 1024-coordinate windows as with one window.
describe.each(["simd", "scalar"] as const)("windowed QSGD decode of damaged messages (%s kernel)", (flavour) => {
  afterEach(restore);
  it.each([[{ s: 3, bucket: 700, coding: "elias" }], [{ s: 1, bucket: 512 }], [{ s: 5, bucket: 33 }]])("%j: one window and many agree on every single-bit flip of a sample", async (params) => {
    useKernel(await loadKernel({ flavour }));
    const c = createCompressor("qsgd", params), D = 5003;
    const msg = c.encode(gaussianVector(D, 8), RandomStream.of(4, "compress"));
    const outcome = (m: Uint8Array) => { try { return Array.from(c.decode(m, D)); } catch (e) { return String(e); } };
    for (let bit = 37 * 8; bit < msg.length * 8; bit += 97) {
      const m = msg.slice();
      m[bit >> 3]! ^= 1 << (bit & 7);
      restore();
      const one = outcome(m);
      tiny();
      expect(outcome(m), `bit ${bit}`).toEqual(one);
    }
  });
});
