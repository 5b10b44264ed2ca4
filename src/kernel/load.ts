// Finds, fetches and instantiates the kernel wasm (SIMD when the engine validates it, else
// scalar; the relaxed-SIMD build only on request, where the engine validates it). Not @assemblyscript/loader: it is deprecated upstream since AS 0.20, and with
// `--runtime stub` and pointer-only exports we need nothing from it but instantiate().
import { describeValue } from "../describe.js";
import { FedquantError } from "../errors.js";

/** "relaxed" = the SIMD build whose Voronoi search uses f32x4.relaxed_madd (opt-in, never "auto"). */
export type Flavour = "simd" | "scalar" | "relaxed";

/** The raw exports of build/fedquant.{simd,scalar}.wasm (see assembly/index.ts). */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  philoxFill(out: number, nBlocks: number, k0: number, k1: number, n0: number, n1: number, i0: number, i1: number): void;
  fillUniform(out: number, n: number, k0: number, k1: number, n0: number, n1: number, i0: number, i1: number): void;
  fillNormal(out: number, n: number, k0: number, k1: number, n0: number, n1: number, i0: number, i1: number): void;
  qsgdRound(x: number, n: number, scale: number, s: number, out: number, k0: number, k1: number, n0: number, n1: number, i0: number, i1: number): void;
  signBits(x: number, n: number, out: number): void;
  dot(a: number, b: number, n: number): number;
  sumSquares(a: number, n: number): number;
  absSum(a: number, n: number): number;
  axpy(y: number, alpha: number, x: number, n: number): void;
  firstNonFinite(x: number, n: number): number;
  packFixed(src: number, n: number, width: number, dst: number): void;
  unpackFixed(src: number, n: number, width: number, dst: number): void;
  qsgdEliasEncode(levels: number, n: number, dst: number): bigint;
  qsgdEliasDecode(src: number, nBits: bigint, n: number, s: number, out: number): number;
  // Voronoi / codebooks (assembly/codebook.ts, assembly/voronoi.ts)
  codebookBytes(M: number, d: number): number;
  codebookBlocked(out: number, M: number, d: number, alpha: number, mode: number, k0: number, k1: number, n0: number, n1: number, i0: number, i1: number): void;
  codewordRows(out: number, idx: number, n: number, d: number, alpha: number, mode: number, k0: number, k1: number, n0: number, n1: number, i0: number, i1: number): void;
  voronoiSearch(x: number, nb: number, d: number, book: number, M: number, outIdx: number, outScore: number): void;
}

export type WasmSource = URL | string | ArrayBuffer | Uint8Array;

/**
 * What `ready()` / `loadKernel()` accept: a build by name, "auto" (the default: SIMD when the
 * engine validates it, else scalar — deterministic everywhere), or "fastest" (relaxed SIMD where
 * the engine validates a relaxed probe, else as "auto": faster StoVoQ/HSQ searches, but an encode
 * may pick another codeword at a near-tie on other hardware; decoding is exact either way).
 */
export type FlavourChoice = Flavour | "auto" | "fastest";
const CHOICES: readonly string[] = ["simd", "scalar", "relaxed", "auto", "fastest"];

export interface LoadOptions {
  /** "auto" (default): SIMD when WebAssembly.validate accepts it; "fastest": relaxed SIMD where validated. */
  flavour?: FlavourChoice;
  /** Where to get the wasm: bytes, or a URL to fetch / a file path to read. Default: build/ next to the package. */
  source?: Partial<Record<Flavour, WasmSource>>;
}

// One literal `new URL("…", import.meta.url)` per flavour: the form Vite (build), webpack 5 and
// Parcel recognise as an asset and copy into the bundle; a template literal is not followed by all.
function defaultUrl(f: Flavour): URL {
  const url = f === "simd" ? new URL("../../build/fedquant.simd.wasm", import.meta.url)
    : f === "relaxed" ? new URL("../../build/fedquant.relaxed.wasm", import.meta.url)
    : new URL("../../build/fedquant.scalar.wasm", import.meta.url);
  return viteDevUrl(import.meta.url, f) ?? url;
}

/**
 * Vite's dev server pre-bundles dependencies into <root>/node_modules/.vite/deps/, where the
 * relative URL above points nowhere (a known Vite limitation with `new URL(…, import.meta.url)` in
 * dependencies). The package itself is still served from <root>/node_modules/fedquant/, so point
 * there; every other setting (Vite build, webpack, Node) keeps the relative URL.
 */
export function viteDevUrl(moduleUrl: string, f: Flavour): URL | undefined {
  const m = /^(.*\/node_modules\/)\.vite\/deps(?:_[\w-]+)?\/[^/]*$/.exec(moduleUrl.split(/[?#]/)[0]!);
  return m ? new URL(`${m[1]}fedquant/build/fedquant.${f}.wasm`) : undefined;
}

// What to do depends on where we run: a clone without build/ (Node), or a bundled app whose
// bundler did not copy the wasm next to the code (browsers; typically Vite's dev server, which
// pre-bundles dependencies into node_modules/.vite/deps and loses the relative URL).
function advice(fromNode: boolean): string {
  return fromNode
    ? "in a clone of fedquant run `npm run build:wasm`; an installed package ships build/*.wasm, so reinstall it"
    : "under Vite's dev server add `optimizeDeps: { exclude: [\"fedquant\"] }` to vite.config; with other bundlers " +
      "serve fedquant's build/*.wasm and pass its URL or bytes: `ready({ source: { simd: url } })` (README: The package)";
}

const isNode = typeof process !== "undefined" && !!process.versions?.node;

async function bytesOf(src: WasmSource): Promise<Uint8Array | ArrayBuffer> {
  if (src instanceof Uint8Array || src instanceof ArrayBuffer) return src;
  const url = typeof src === "string" ? (/^[a-z]+:/i.test(src) ? new URL(src) : null) : src;
  try {
    if (isNode && (url === null || url.protocol === "file:")) {
      const nodePath = "./node.js";
      const { readWasm } = (await import(/* @vite-ignore */ nodePath)) as typeof import("./node.js");
      return await readWasm(url ?? (src as string));
    }
    const res = await fetch(url ?? (src as string));
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const bytes = await res.arrayBuffer();
    // dev servers answer a missing file with their index.html (200): name that, not a bad magic word
    const head = new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
    if (head.length < 4 || head[0] !== 0 || head[1] !== 0x61 || head[2] !== 0x73 || head[3] !== 0x6d) {
      throw new Error(`the server answered ${res.headers.get("content-type") ?? "something"} that is not wasm`);
    }
    return bytes;
  } catch (e) {
    const fromNode = isNode && (url === null || url.protocol === "file:");
    throw new FedquantError("E_WASM", `could not read the kernel wasm from ${String(src)} (${(e as Error).message}); ${advice(fromNode)}`, { cause: e });
  }
}

// A module using one v128 instruction: validates only where SIMD is supported.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

export function simdSupported(): boolean {
  try { return WebAssembly.validate(SIMD_PROBE); } catch { return false; }
}

// A module using one f32x4.relaxed_madd (0xfd 0x105): validates only where relaxed SIMD is on
// (Chrome ≥ 114; Node 20 needs --experimental-wasm-relaxed-simd).
const RELAXED_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0,
  65, 0, 253, 15, 65, 0, 253, 15, 65, 0, 253, 15, 253, 133, 2, 11]);

export function relaxedSimdSupported(): boolean {
  try { return WebAssembly.validate(RELAXED_PROBE); } catch { return false; }
}

/** The build a choice resolves to on this engine; an unknown choice is E_CONFIG. */
export function pickFlavour(want: FlavourChoice): Flavour {
  if (typeof want !== "string" || !CHOICES.includes(want)) {
    throw new FedquantError("E_CONFIG", `kernel flavour must be one of ${CHOICES.map((c) => `"${c}"`).join(", ")}, got ${describeValue(want)}`);
  }
  if (want === "fastest" && relaxedSimdSupported()) return "relaxed";
  if (want === "auto" || want === "fastest") return simdSupported() ? "simd" : "scalar";
  return want;
}

export async function instantiateKernel(opts: LoadOptions = {}): Promise<{ exports: KernelExports; flavour: Flavour }> {
  const flavour = pickFlavour(opts.flavour ?? "auto");
  if (flavour === "simd" && !simdSupported()) {
    throw new FedquantError("E_WASM", "the SIMD kernel was requested but this engine does not validate wasm SIMD");
  }
  if (flavour === "relaxed" && !relaxedSimdSupported()) {
    throw new FedquantError("E_WASM", "the relaxed-SIMD kernel was requested but this engine does not validate wasm relaxed SIMD (Node 20: run with --experimental-wasm-relaxed-simd)");
  }
  const bytes = await bytesOf(opts.source?.[flavour] ?? defaultUrl(flavour));
  try {
    const { instance } = (await WebAssembly.instantiate(bytes as BufferSource, {
      env: {
        abort: (_m: number, _f: number, line: number, col: number) => {
          throw new FedquantError("E_WASM", `kernel abort at ${line}:${col}`);
        },
      },
    })) as unknown as WebAssembly.WebAssemblyInstantiatedSource;
    return { exports: instance.exports as unknown as KernelExports, flavour };
  } catch (e) {
    if (e instanceof FedquantError) throw e;
    throw new FedquantError("E_WASM", `could not instantiate the ${flavour} kernel: ${(e as Error).message}`, { cause: e });
  }
}
