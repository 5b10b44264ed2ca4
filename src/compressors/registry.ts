// Compressors by name: createCompressor("qsgd", { s: 4 }). Wire ids are stable; never reuse one.
import { describeValue, isPlainObject } from "../describe.js";
import { FedquantError } from "../errors.js";
import type { Compressor } from "./compressor.js";
import { CrossPolytope } from "./crosspolytope.js";
import { Identity } from "./identity.js";
import { Qsgd } from "./qsgd.js";
import { RandK } from "./randk.js";
import { ScaledSign } from "./sign.js";
import { TopK } from "./topk.js";
import { Stovoq } from "./stovoq.js";
import { Dostovoq } from "./dostovoq.js";
import { Hsq } from "./hsq.js";
import { Delaunay } from "./delaunay.js";

export type CompressorParams = Record<string, unknown>;
export type CompressorFactory = (params: CompressorParams) => Compressor;

interface Entry { id: number; factory: CompressorFactory; summary: string }
const registry = new Map<string, Entry>();

/** Register a compressor under a name and a wire id (ids 0..5 are the built-ins; 6 stovoq, 7 dostovoq, 8 hsq). */
export function registerCompressor(name: string, id: number, factory: CompressorFactory, summary = ""): void {
  for (const [n, e] of registry) {
    if (n !== name && e.id === id) throw new FedquantError("E_CONFIG", `wire id ${id} is taken by ${n}`);
  }
  registry.set(name, { id, factory, summary });
}

export function createCompressor(name: string, params: CompressorParams = {}): Compressor {
  const known = [...registry.keys()].join(", ");
  if (typeof name !== "string") throw new FedquantError("E_CONFIG", `unknown compressor "${String(name)}": the compressor name must be a string, got ${describeValue(name)}; known: ${known}`);
  const e = registry.get(name);
  if (!e) throw new FedquantError("E_CONFIG", `unknown compressor "${name}"; known: ${known}`);
  if (!isPlainObject(params)) throw new FedquantError("E_CONFIG", `${name}: parameters must be an object, got ${describeValue(params)}`);
  const c = e.factory(params);
  // a null is not "the default": say which type the parameter takes (its default's)
  for (const [k, v] of Object.entries(params)) {
    if (v === null && k in c.params) throw new FedquantError("E_CONFIG", `${name}: ${k} must be a ${typeof c.params[k]}, got null`);
  }
  // a misspelt parameter must not silently fall back to its default
  const unknown = Object.keys(params).filter((k) => !(k in c.params));
  if (unknown.length > 0) {
    throw new FedquantError("E_CONFIG", `${name}: unknown parameter${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}; known: ${Object.keys(c.params).join(", ") || "none"}`);
  }
  return c;
}

export function compressorNames(): string[] { return [...registry.keys()]; }
export function compressorSummary(name: string): string { return registry.get(name)?.summary ?? ""; }

registerCompressor("identity", 0, () => new Identity(), "float32, 32 bits/coordinate");
registerCompressor("qsgd", 1, (p) => new Qsgd(p as never), "s-level stochastic quantization, unbiased, ω = min(B/s², √B/s)");
registerCompressor("sign", 2, (p) => new ScaledSign(p as never), "scaled sign, biased, 1 bit/coordinate + a scale per bucket");
registerCompressor("topk", 3, (p) => new TopK(p as never), "k largest |x_i|, biased, δ = k/D");
registerCompressor("randk", 4, (p) => new RandK(p as never), "k random coordinates × D/k, unbiased, ω = D/k − 1");
registerCompressor("crosspolytope", 5, (p) => new CrossPolytope(p as never), "vqSGD, unbiased, ⌈log2 2D⌉ bits/draw, ω = (D−1)/draws");
registerCompressor("stovoq", 6, (p) => new Stovoq(p as never), "random Voronoi VQ per d-bucket, unbiased via the radial bias r_M (default d=16, M=2^13, 3 radius bits: 1 bit/coordinate)");
registerCompressor("dostovoq", 7, (p) => new Dostovoq(p as never), "StoVoQ on g·√D/‖g‖, one codebook per message; any per-bucket quantizer");
registerCompressor("hsq", 8, (p) => new Hsq(p as never), "hyper-sphere quantization: random unit codebook index + n-bit scalar per bucket (greedy or span)");
registerCompressor("delaunay", 9, (p) => new Delaunay(p as never), "dual (Delaunay) quantization: one LP per bucket, codeword drawn with its barycentric weight × n-bit scale, unbiased");
