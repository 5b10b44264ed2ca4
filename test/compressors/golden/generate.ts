// Regenerates golden/messages.json (sha256 of every case's message and of its decoded vector, per kernel flavour). Run
// ONLY when a change is meant to alter the wire bytes (and say so in the commit): the file was
// first written by the encoders as of commit 9edf9c3, before issue #9's fused and chunked kernels.
//   npx tsx test/compressors/golden/generate.ts
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createCompressor } from "../../../src/compressors/index.js";
import { loadKernel, useKernel } from "../../../src/kernel/index.js";
import { RandomStream } from "../../../src/random/index.js";
import { goldenCases, input } from "./cases.js";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex").slice(0, 32);
const out: Record<string, Record<string, string>> = {};
for (const flavour of ["simd", "scalar"] as const) {
  useKernel(await loadKernel({ flavour }));
  out[flavour] = {};
  for (const g of goldenCases) {
    const c = createCompressor(g.compressor, g.params);
    const msg = c.encode(input(g.input, g.dim), RandomStream.of(9, "compress", 3, 1));
    const y = c.decode(msg, g.dim);
    out[flavour]![g.name] = `${sha(msg)} ${sha(new Uint8Array(y.buffer))}`;
  }
}
writeFileSync(new URL("./messages.json", import.meta.url), JSON.stringify(out, null, 1) + "\n");
console.log(`wrote ${goldenCases.length} cases × 2 flavours`);
