import { createCompressor } from "../src/compressors/index.js";
import { loadKernel, useKernel } from "../src/kernel/index.js";
import { RandomStream } from "../src/random/index.js";
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const sec = (f: () => void) => { const t = cpu(); f(); return cpu() - t; };
const D = 25_000_000;
const k = await loadKernel({ flavour: "simd" }); useKernel(k);
const x = RandomStream.of(1, "test").normals(D);
for (const s of [1, 4]) for (const coding of ["fixed", "elias"] as const) {
  const c: any = createCompressor("qsgd", { s, bucket: 512, coding });
  const buf = new Float32Array(D);
  let msg: Uint8Array = new Uint8Array(0);
  const res: number[][] = [];
  for (let r = 0; r < 4; r++) {
    const e = sec(() => { msg = c.encode(x, RandomStream.of(2, "compress", r)); });
    const d = sec(() => { c.decode(msg, D); });
    const i = sec(() => { c.decodeInto(msg, buf); });
    const f = sec(() => { new Float32Array(D).fill(1); });
    const f2 = sec(() => { buf.fill(1); });
    res.push([e, d, i, f, f2].map(Math.round));
  }
  console.log(s, coding, "enc,dec,decInto,freshFill,reuseFill ms:", JSON.stringify(res.slice(1)), "mem MiB", (k.memoryBytes / 2**20).toFixed(1));
}
