// The message cases pinned by golden.test.ts: every compressor whose encoder issue #9 rewrote
// (fused QSGD / sign kernels, chunked Voronoi search), over bucket shapes that exercise the
// edges (D not a multiple of 4 or of the bucket, zero buckets, subnormal buckets, s large).
import { RandomStream } from "../../../src/random/index.js";

export interface GoldenCase { name: string; compressor: string; params: Record<string, unknown>; dim: number; input: string }

/** Deterministic inputs by name. */
export function input(kind: string, dim: number): Float32Array {
  const g = RandomStream.of(77, "test", dim, 5).normals(dim);
  if (kind === "gauss") return g;
  if (kind === "sparse") { // zero buckets and long zero runs (Elias)
    for (let i = 0; i < dim; i++) if (i % 37 > 5) g[i] = 0;
    return g;
  }
  if (kind === "subnormal") { // norms below s/FLT_MAX: the 2^100 rescaling path
    for (let i = 0; i < dim; i++) g[i] = Math.fround(g[i]! * 2 ** -140);
    return g;
  }
  if (kind === "mixed") { // a huge, a tiny and a zero region
    for (let i = 0; i < dim; i++) g[i] = i < dim / 3 ? g[i]! * 1e30 : i < (2 * dim) / 3 ? Math.fround(g[i]! * 1e-42) : 0;
    return g;
  }
  throw new Error(kind);
}

export const goldenCases: GoldenCase[] = [];
const add = (compressor: string, params: Record<string, unknown>, dims: number[], inputs = ["gauss"]) => {
  for (const dim of dims) for (const inp of inputs) {
    goldenCases.push({ name: `${compressor} ${JSON.stringify(params)} D=${dim} ${inp}`, compressor, params, dim, input: inp });
  }
};
for (const coding of ["fixed", "elias"]) for (const norm of ["l2", "linf"]) {
  for (const s of [1, 2, 4, 7, 255, 2 ** 20]) {
    add("qsgd", { s, bucket: 0, coding, norm }, [1, 7, 203]);
    add("qsgd", { s, bucket: 512, coding, norm }, [5000], ["gauss", "sparse"]);
  }
  for (const bucket of [1, 5, 8, 33]) add("qsgd", { s: 3, bucket, coding, norm }, [203], ["gauss", "sparse", "subnormal", "mixed"]);
  add("qsgd", { s: 1, bucket: 0, coding, norm }, [70001], ["gauss", "sparse", "subnormal"]);
}
for (const bucket of [0, 1, 8, 33]) add("sign", { bucket }, [1, 7, 203, 5000]);
add("topk", { k: 5 }, [7, 203]);
add("randk", { k: 5 }, [7, 203]);
add("crosspolytope", { draws: 3 }, [7, 203]);
for (const variant of ["quantized", "exact", "grvq"]) {
  add("stovoq", { variant, codebookBits: 6 }, [1, 16, 203, 5000]);
  add("dostovoq", { variant, codebookBits: 8 }, [203, 5000, 40000]);
}
// past one window of the chunked kernels (2^16 values, 1024 buckets)
add("stovoq", { codebookBits: 6 }, [20000]);
add("dostovoq", { variant: "quantized", codebookBits: 6 }, [200003]);
add("dostovoq", { variant: "grvq", codebookBits: 6 }, [140001]);
add("hsq", { codebookBits: 6 }, [40000]);
add("sign", { bucket: 0 }, [140001]);
add("crosspolytope", { draws: 3 }, [140001]);
add("topk", { k: 70000 }, [140001]);
add("stovoq", { d: 3, codebookBits: 5 }, [203]);
add("dostovoq", { d: 16, codebookBits: 13 }, [4096]);
add("hsq", { codebookBits: 6 }, [1, 203, 5000]);
add("dostovoq", { quantizer: "hsq", codebookBits: 7 }, [5000]);
