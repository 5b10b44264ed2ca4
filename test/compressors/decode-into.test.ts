// decodeInto (issue #9): decoding into the caller's buffer gives exactly decode()'s values, in
// that very buffer, for fused (qsgd, sign) and generic compressors; a buffer of the wrong length
// is a dimension error, and a non-Float32Array an input error.
import { beforeAll, describe, expect, it } from "vitest";
import { createCompressor } from "../../src/compressors/index.js";
import { loadKernel, useKernel } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";
import { gaussianVector } from "./contract.js";

const cases: [string, Record<string, unknown>][] = [
  ["qsgd", { s: 4, bucket: 64 }], ["qsgd", { s: 2, coding: "elias" }], ["sign", { bucket: 10 }],
  ["topk", { k: 7 }], ["dostovoq", { codebookBits: 6 }], ["identity", {}],
];

describe.each(["simd", "scalar"] as const)("decodeInto (%s kernel)", (flavour) => {
  beforeAll(async () => { useKernel(await loadKernel({ flavour })); });
  it.each(cases)("%s %j writes decode()'s values into the given array", (name, params) => {
    const c = createCompressor(name, params);
    const x = gaussianVector(301, 3);
    const msg = c.encode(x, RandomStream.of(1, "compress"));
    const buf = new Float32Array(301).fill(NaN);
    const y = c.decodeInto(msg, buf);
    expect(y).toBe(buf);
    expect(Array.from(buf)).toEqual(Array.from(c.decode(msg, 301)));
  });
  it("rejects a buffer of another length (E_DIM) or type (E_INPUT)", () => {
    const c = createCompressor("qsgd");
    const msg = c.encode(gaussianVector(30, 4), RandomStream.of(1, "compress"));
    expect(() => c.decodeInto(msg, new Float32Array(31))).toThrow(/E_DIM/);
    expect(() => c.decodeInto(msg, new Float64Array(30) as unknown as Float32Array)).toThrow(/E_INPUT/);
  });
});
