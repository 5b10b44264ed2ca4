// Behaviours of the built-in compressors beyond the shared contract.
import { beforeAll, describe, expect, it } from "vitest";
import { createCompressor, ErrorFeedback, Qsgd, compressorNames } from "../../src/compressors/index.js";
import { ready } from "../../src/kernel/index.js";
import { RandomStream } from "../../src/random/index.js";
import { kernel } from "../../src/kernel/index.js";
import { messageBits, readMessage } from "../../src/wire/index.js";
import { compressStats, gaussianVector, maxBiasZ, Z_CRIT } from "./contract.js";

beforeAll(async () => { await ready(); });

describe("the unbiasedness check has power", () => {
  it("flags the (biased) scaled sign compressor far beyond the critical z", () => {
    const x = gaussianVector(24, 15);
    const c = createCompressor("sign");
    const { mean, sd } = compressStats(c, x, 200, 1);
    expect(maxBiasZ(x, mean, sd, 200)).toBeGreaterThan(10 * Z_CRIT);
  });
});

describe("QSGD", () => {
  it("fixed-width payload is 32 bits per bucket norm + (⌈log2(s+1)⌉+1) bits per coordinate", () => {
    const x = gaussianVector(1000, 1);
    for (const [s, bucket, w] of [[1, 0, 2], [4, 100, 4], [255, 0, 9]] as const) {
      const msg = createCompressor("qsgd", { s, bucket }).encode(x, RandomStream.of(1, "compress"));
      const nb = bucket ? 1000 / bucket : 1;
      expect(messageBits(msg).payloadBits).toBe(32 * nb + w * 1000);
    }
  });

  it("Elias-coded size stays below the papers' bound (3 + 1.5 log2(2(s²+D)/(s(s+√D)))) s(s+√D) + 32", () => {
    // the bound holds in expectation; we average 20 vectors of D = 10^4 and also check each is within 5 %
    const D = 10_000;
    for (const s of [1, 2, 8]) {
      const c = new Qsgd({ s, coding: "elias" });
      const bound = c.eliasBoundBits(D);
      let sum = 0;
      for (let t = 0; t < 20; t++) {
        const bits = messageBits(c.encode(gaussianVector(D, 100 + t), RandomStream.of(t, "compress"))).payloadBits;
        expect(bits).toBeLessThan(1.05 * bound);
        sum += bits;
      }
      expect(sum / 20).toBeLessThan(bound);
      // and far below the 32·D bits of the uncompressed vector
      expect(sum / 20).toBeLessThan((32 * D) / 10);
    }
  });

  it("rejects s = 0, a negative bucket and an unknown coding with E_CONFIG", () => {
    expect(() => createCompressor("qsgd", { s: 0 })).toThrow(/E_CONFIG.*s must be an integer/);
    expect(() => createCompressor("qsgd", { bucket: -1 })).toThrow(/E_CONFIG/);
    expect(() => createCompressor("qsgd", { coding: "huffman" })).toThrow(/E_CONFIG.*coding/);
  });

  it("linf scaling has a smaller variance than l2 at the same s (ω = min(B/(4s²), √B/s))", () => {
    const x = gaussianVector(64, 3);
    const l2 = compressStats(createCompressor("qsgd", { s: 1 }), x, 300, 4).mse;
    const linf = compressStats(createCompressor("qsgd", { s: 1, norm: "linf" }), x, 300, 4).mse;
    expect(linf).toBeLessThan(l2);
    expect(createCompressor("qsgd", { s: 1, norm: "linf" }).omega(64)).toBe(8);
  });

  it("a norm that overflows float32 is E_INPUT at the sender, not an undecodable message", () => {
    const x = new Float32Array([3e38, 3e38, 1]);
    expect(() => createCompressor("qsgd").encode(x, RandomStream.of(1, "compress"))).toThrow(/E_INPUT.*overflows float32/);
  });

  // ‖x‖ ≈ 1e-40 (subnormal): the rounding factor s/‖x‖ overflows float32, which used to send every
  // non-zero coordinate to level s, i.e. decode to ±‖x‖; each coordinate's mean of 2000 must be
  // within Z_CRIT standard errors of x, as for any vector.
  it.each(["l2", "linf"] as const)("is unbiased on a vector whose %s norm is subnormal (s/norm overflows float32)", (norm) => {
    const x = gaussianVector(24, 15).map((v) => v * 2 ** -135);
    const c = createCompressor("qsgd", { s: 2, norm });
    const { mean, sd } = compressStats(c, x, 2000, 24);
    expect(maxBiasZ(x, mean, sd, 2000)).toBeLessThan(Z_CRIT);
  });

  it("a receiver with other parameters refuses the message", () => {
    const msg = createCompressor("qsgd", { s: 2 }).encode(gaussianVector(10, 1), RandomStream.of(1, "compress"));
    expect(() => createCompressor("qsgd", { s: 3 }).decode(msg, 10)).toThrow(/E_DECODE.*s=2.*s=3/);
  });
});

describe("top-k", () => {
  it("keeps exactly the k largest magnitudes", () => {
    const x = new Float32Array([0.1, -5, 2, 0, -3, 1]);
    const y = createCompressor("topk", { k: 3 }).decode(createCompressor("topk", { k: 3 }).encode(x, RandomStream.of(1, "compress")), 6);
    expect([...y]).toEqual([0, -5, 2, 0, -3, 0]);
  });
  it("refuses k larger than the dimension with E_DIM", () => {
    expect(() => createCompressor("topk", { k: 9 }).encode(new Float32Array(4), RandomStream.of(1, "compress"))).toThrow(/E_DIM/);
  });
});

describe("rand-k", () => {
  it("sends only the k values: 32k payload bits, indices regenerated from the seed", () => {
    const c = createCompressor("randk", { k: 5 });
    const x = gaussianVector(1000, 2);
    const msg = c.encode(x, RandomStream.of(3, "compress"));
    expect(messageBits(msg).payloadBits).toBe(160);
    const y = c.decode(msg, 1000);
    expect(y.filter((v) => v !== 0).length).toBe(5);
    y.forEach((v, i) => { if (v !== 0) expect(v).toBeCloseTo(x[i]! * 200, 3); });
  });
});

describe("cross-polytope", () => {
  it("costs 32 + draws·⌈log2 2D⌉ payload bits", () => {
    const msg = createCompressor("crosspolytope", { draws: 3 }).encode(gaussianVector(16, 1), RandomStream.of(1, "compress"));
    expect(messageBits(msg).payloadBits).toBe(32 + 3 * 5);
  });
  it("decodes each draw to a vertex ±√D‖x‖/draws e_i", () => {
    const x = gaussianVector(16, 2);
    const c = createCompressor("crosspolytope", { draws: 1 });
    const y = c.decode(c.encode(x, RandomStream.of(2, "compress")), 16);
    const nz = [...y].filter((v) => v !== 0);
    const norm = Math.sqrt(x.reduce((s, v) => s + v * v, 0));
    expect(nz.length).toBe(1);
    expect(Math.abs(nz[0]!)).toBeCloseTo(norm * 4, 4);
  });
});

describe("cross-polytope draws", () => {
  // x = (2, 1, …, 1) in D = 4096: ‖u‖₁/√D ≈ 1 − 1/(2D), so each vertex −√D e_i (i ≥ 1) carries only
  // the left-over mass r ≈ 1/(4D²) ≈ 2^-26, below the 2^-24 grid of an f32 uniform (which drew
  // them at ~0.6 of their rate). Over 4 messages of 2^20 draws, the count of such draws is
  // Poisson with mean 4·2^20·(D − 1)·r ≈ 256 (sd 16); 5 sd is asked.
  it("draw vertices of mass below 2^-24 at their rate: the light-sign count is within 5 sd of its mean", () => {
    const D = 4096, draws = 2 ** 20, ib = 13;
    const x = new Float32Array(D).fill(1); x[0] = 2;
    const norm = Math.sqrt(D + 3), rest = (1 - (D + 1) / norm / Math.sqrt(D)) / (2 * D);
    const c = createCompressor("crosspolytope", { draws });
    let light = 0;
    for (let m = 0; m < 4; m++) {
      const { payload } = readMessage(c.encode(x, RandomStream.of(m, "compress")));
      for (const code of kernel().unpackFixed(payload.subarray(4), draws, ib)) if (code >= 2 && code & 1) light++;
    }
    const mean = 4 * draws * (D - 1) * rest;
    expect(Math.abs(light - mean)).toBeLessThan(5 * Math.sqrt(mean));
  });

  it("a norm that overflows float32 is E_INPUT at the sender, not an undecodable message", () => {
    expect(() => createCompressor("crosspolytope").encode(new Float32Array([3e38, 3e38]), RandomStream.of(1, "compress"))).toThrow(/E_INPUT.*overflows float32/);
  });
});

describe("rand-k overflow", () => {
  it("a value times D/k that overflows float32 is E_INPUT at the sender, not an undecodable message", () => {
    expect(() => createCompressor("randk", { k: 1 }).encode(new Float32Array([3e38, 3e38, 3e38]), RandomStream.of(1, "compress"))).toThrow(/E_INPUT.*overflows float32/);
  });
});

describe("error feedback", () => {
  it("telescopes: Σ sent + final error = Σ inputs (to float32 rounding)", () => {
    const D = 50, ef = new ErrorFeedback(createCompressor("topk", { k: 2 }), D);
    const sumX = new Float64Array(D), sumSent = new Float64Array(D);
    for (let t = 0; t < 30; t++) {
      const x = gaussianVector(D, 300 + t);
      const rng = RandomStream.of(1, "compress", t, 0);
      const msg = ef.encode(x, rng.clone());
      const sent = ef.compressor.decode(msg, D);
      x.forEach((v, i) => { sumX[i] += v; sumSent[i] += sent[i]!; });
    }
    for (let i = 0; i < D; i++) expect(sumSent[i]! + ef.error[i]!).toBeCloseTo(sumX[i]!, 3);
  });
  it("refuses a vector of another dimension with E_DIM", () => {
    expect(() => new ErrorFeedback(createCompressor("sign"), 4).encode(new Float32Array(5), RandomStream.of(1, "compress"))).toThrow(/E_DIM/);
  });
});

describe("registry", () => {
  it("lists the built-ins and names the known ones when asked for an unknown compressor", () => {
    expect(compressorNames()).toEqual(expect.arrayContaining(["identity", "qsgd", "sign", "topk", "randk", "crosspolytope"]));
    expect(() => createCompressor("zip")).toThrow(/E_CONFIG.*unknown compressor "zip".*qsgd/);
  });
  it("refuses a misspelt parameter instead of silently using the default", () => {
    expect(() => createCompressor("qsgd", { levels: 4 })).toThrow(/E_CONFIG: qsgd: unknown parameter "levels"; known: s, bucket, coding, norm/);
    expect(() => createCompressor("identity", { s: 1 })).toThrow(/E_CONFIG: identity: unknown parameter "s"; known: none/);
  });
});

describe("identity decode", () => {
  it("refuses a payload holding NaN or ±Infinity at any position, naming it (E_DECODE), and keeps every finite value exactly", () => {
    const c = createCompressor("identity");
    const x = gaussianVector(37, 5);
    const msg = c.encode(x, RandomStream.of(1, "compress"));
    expect(Array.from(c.decode(msg, 37))).toEqual(Array.from(x));
    // the payload is the last 4·37 bytes of the message: overwrite one float in place
    const at = msg.length - 4 * 37;
    for (const pos of [0, 17, 36]) {
      for (const bad of [NaN, Infinity, -Infinity]) {
        const m = msg.slice();
        new DataView(m.buffer).setFloat32(at + 4 * pos, bad, true);
        expect(() => c.decode(m, 37)).toThrow(new RegExp(`E_DECODE.*identity payload value ${pos} is ${String(bad)}`));
      }
    }
    // the largest finite float32 is a value, not an error
    const m = msg.slice();
    new DataView(m.buffer).setFloat32(at + 4 * 3, 3.4028234663852886e38, true);
    expect(c.decode(m, 37)[3]).toBe(3.4028234663852886e38);
  });
});
