// A fresh module graph (vitest isolates files): nothing has called ready() here.
import { expect, it } from "vitest";
import { createCompressor } from "../../src/compressors/index.js";
import { RandomStream } from "../../src/random/index.js";

it("encoding before `await ready()` throws E_NOT_READY with the fix in the message", () => {
  expect(() => createCompressor("qsgd").encode(new Float32Array(4), RandomStream.of(1, "compress"))).toThrow(/E_NOT_READY.*await ready\(\)/);
});
