// Outside references run in the same bench session: numpy (when python3 with numpy exists) and
// the C AVX2 Philox rounding and three C builds of the Voronoi search (when gcc exists). Each is skipped with a one-line message otherwise.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface NumpyRef { normalF32: number; roundingBytes: number; searchFlops: number; numpy: string }
export interface CRef { roundingBytes: number }
export interface CVoronoiRef { searchFlops: number }

const here = (f: string) => fileURLToPath(new URL(`./refs/${f}`, import.meta.url));
const cache = new Map<string, unknown>();

/** numpy's K2/K3/K1 rates, single-threaded, CPU time; null (after one line of explanation) without python3 + numpy. */
export function numpyRef(quick: boolean): NumpyRef | null {
  if (cache.has("numpy")) return cache.get("numpy") as NumpyRef | null;
  let r: NumpyRef | null = null;
  try {
    const env = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
    r = JSON.parse(execFileSync("python3", [here("numpy_ref.py"), ...(quick ? ["quick"] : [])], { encoding: "utf8", env, timeout: 600_000, stdio: ["ignore", "pipe", "pipe"] })) as NumpyRef;
  } catch (e) {
    console.log(`numpy rows skipped: python3 with numpy not available (${(e as Error).message.split("\n")[0]})`);
  }
  cache.set("numpy", r);
  return r;
}

/** The C AVX2 Philox rounding rate; null (after one line) without gcc or AVX2. */
export function cRef(quick: boolean): CRef | null {
  if (cache.has("c")) return cache.get("c") as CRef | null;
  let r: CRef | null = null;
  try {
    const exe = join(mkdtempSync(join(tmpdir(), "fedquant-bench-")), "philox_ref");
    execFileSync("gcc", ["-O3", "-march=native", "-o", exe, here("philox_ref.c")], { stdio: ["ignore", "pipe", "pipe"] });
    r = JSON.parse(execFileSync(exe, quick ? ["quick"] : [], { encoding: "utf8", timeout: 600_000 })) as CRef;
  } catch (e) {
    console.log(`C reference row skipped: gcc with AVX2 not available (${(e as Error).message.split("\n")[0]})`);
  }
  cache.set("c", r);
  return r;
}

/** The builds of bench/refs/voronoi_ref.c, each a reading of the wasm search rows (see that file). */
export const C_VORONOI_BUILDS = {
  avx2Fma: { flags: ["-mavx2", "-mfma"], label: "C AVX2 + FMA (256-bit lanes, fused), gcc -O3 -mavx2 -mfma" },
  avx2: { flags: ["-mavx2", "-DNO_FMA"], label: "C AVX2 (256-bit lanes, multiply then add), gcc -O3 -mavx2" },
  lanes128Fma: { flags: ["-mavx2", "-mfma", "-DLANES128"], label: "C FMA on 128-bit lanes (the width of wasm SIMD), gcc -O3 -mfma" },
} as const;
export type CVoronoiBuild = keyof typeof C_VORONOI_BUILDS;

/** One C build's Voronoi search rate (d = 16, M = 8192); null (after one line) without gcc or the instructions. */
export function cVoronoiRef(quick: boolean, build: CVoronoiBuild = "avx2Fma"): CVoronoiRef | null {
  const key = `cvoronoi-${build}`;
  if (cache.has(key)) return cache.get(key) as CVoronoiRef | null;
  let r: CVoronoiRef | null = null;
  try {
    const exe = join(mkdtempSync(join(tmpdir(), "fedquant-bench-")), "voronoi_ref");
    execFileSync("gcc", ["-O3", ...C_VORONOI_BUILDS[build].flags, "-o", exe, here("voronoi_ref.c"), "-lm"], { stdio: ["ignore", "pipe", "pipe"] });
    r = JSON.parse(execFileSync(exe, quick ? ["quick"] : [], { encoding: "utf8", timeout: 600_000 })) as CVoronoiRef;
  } catch (e) {
    console.log(`${C_VORONOI_BUILDS[build].label} row skipped: gcc or the instructions not available (${(e as Error).message.split("\n")[0]})`);
  }
  cache.set(key, r);
  return r;
}
