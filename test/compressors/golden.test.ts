// The wire format is a contract (issue #9): the fused and chunked encoders must write the very
// bytes the straightforward per-bucket encoders wrote, and decode them to the very same floats.
// golden/messages.json holds sha256 prefixes of messages and decoded vectors produced by the
// encoders as of commit 9edf9c3 (before the rewrite), per kernel flavour (golden/generate.ts).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createCompressor } from "../../src/compressors/index.js";
import { loadKernel, useKernel } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";
import { goldenCases, input } from "./golden/cases.js";

const golden = JSON.parse(readFileSync(new URL("./golden/messages.json", import.meta.url), "utf8")) as Record<string, Record<string, string>>;
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex").slice(0, 32);

describe.each(["simd", "scalar"] as const)("messages and decodes are byte-identical to the pre-#9 encoders (%s kernel)", (flavour) => {
  beforeAll(async () => { useKernel(await loadKernel({ flavour })); });
  it.each(goldenCases.map((g) => [g.name, g] as const))("%s", (_name, g) => {
    const c = createCompressor(g.compressor, g.params);
    const msg = c.encode(input(g.input, g.dim), RandomStream.of(9, "compress", 3, 1));
    const y = c.decode(msg, g.dim);
    expect(`${sha(msg)} ${sha(new Uint8Array(y.buffer))}`).toBe(golden[flavour]![g.name]);
  });
});
