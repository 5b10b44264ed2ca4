import { loadKernel } from "../src/kernel/index.js";
import { RandomStream } from "../src/random/index.js";
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const k = await loadKernel({ flavour: "simd" });
const n = 1 << 22, raw: any = k.raw;
const x = RandomStream.of(2, "test").normals(n);
const px = k.putF32(x), po = k.alloc(n * 4);
const fns: Record<string, () => void> = {
  uniform: () => raw.fillUniform(po, n, 1, 2, 0, 0, 3, 4),
  normal: () => raw.fillNormal(po, n, 1, 2, 0, 0, 3, 4),
  round: () => raw.qsgdRound(px, n, 0.25, 4, po, 1, 2, 0, 0, 3, 4),
};
const res: Record<string, number[]> = {};
for (let r = 0; r < 7; r++) for (const [name, f] of Object.entries(fns)) { const t = cpu(); f(); f(); (res[name] ??= []).push((cpu() - t) / 2); }
for (const [name, v] of Object.entries(res)) { v.sort((a, b) => a - b); console.log(name, "median ms", v[3]!.toFixed(2), "M/s", (n / v[3]! / 1e3).toFixed(0)); }
