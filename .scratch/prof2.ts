import { loadKernel, useKernel, qsgdEncodeAt } from "../src/kernel/index.js";
import { RandomStream } from "../src/random/index.js";
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const sec = (f: () => void) => { const t = cpu(); f(); return +(cpu() - t).toFixed(1); };
const D = 25_000_000;
const k = await loadKernel({ flavour: "simd" }); useKernel(k);
const x = RandomStream.of(1, "test").normals(D);
const raw: any = k.raw;
for (let r = 0; r < 4; r++) {
  k.scope(() => {
    let px = 0;
    const tCopy = sec(() => { px = k.putF32(x); });
    const tCheck = sec(() => { raw.firstNonFinite(px, D); });
    const tSum = sec(() => { raw.sumSquares(px, D); });
    const out = k.allocRaw(D * 4);
    const tRound = sec(() => { raw.qsgdRound(px, D, 0.25, 4, out, 1, 2, 0, 0, 3, 4); });
    const tFill = sec(() => { raw.fillUniform(out, D, 1, 2, 0, 0, 3, 4); });
    const res: any = {};
    for (const [s, elias] of [[1, 0], [4, 0], [1, 1], [4, 1]]) {
      k.scope(() => { res[`enc s${s} e${elias}`] = sec(() => qsgdEncodeAt(k, px, { n: D, bucket: 512, s, linf: false, elias: !!elias, width: Math.ceil(Math.log2(s + 1)) + 1 }, RandomStream.of(2, "c"))); });
    }
    const tOut = sec(() => { k.f32(out, D).slice(); });
    const b = new Float32Array(D);
    const tSet = sec(() => { b.set(k.f32(out, D)); });
    console.log(JSON.stringify({ tCopy, tCheck, tSum, tRound, tFill, ...res, tOut, tSet }));
  });
}
