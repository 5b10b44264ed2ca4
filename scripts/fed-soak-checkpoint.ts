// Soak: the per-round cost of `fedquant serve --out`'s checkpoint over a long session (issue #10,
// problem 8). Writes R rounds with ServeStore (append-only reports log + rolling snapshot, both
// fsynced, as serve.ts does) with a snapshot of a real session's size, and prints the mean cost
// per round in windows from round 10 to round R. Bounded: stops after R rounds; temp dir removed.
// usage: npx tsx scripts/fed-soak-checkpoint.ts [rounds=10000]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ServeStore } from "../src/federation/transport/serve-store-node.js";
import { storeReport, storeSnapshot } from "../test/federation/hardening/store-fixture.js";

const rounds = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), "fedquant-soak-"));
try {
  const store = new ServeStore(join(dir, "checkpoint.json"), join(dir, "reports.jsonl"));
  const windows = [10, 100, 1000, 5000, rounds - 100].filter((w, i, a) => w >= 10 && w + 100 <= rounds && a.indexOf(w) === i);
  const cost = new Map<number, number>();
  for (let r = 0; r < rounds; r++) {
    const t0 = process.cpuUsage(); const w0 = performance.now();
    store.add(storeReport(r));
    const err = store.save(storeSnapshot(r + 1));
    if (err) throw err;
    const wall = performance.now() - w0; const cpu = process.cpuUsage(t0);
    for (const w of windows) if (r >= w && r < w + 100) {
      const c = cost.get(w) ?? 0; cost.set(w, c + wall);
      cost.set(-w - 1, (cost.get(-w - 1) ?? 0) + (cpu.user + cpu.system) / 1000);
    }
  }
  console.log(`rounds ${rounds}; checkpoint cost per round (mean over 100 rounds), wall ms incl. 2 fsyncs / CPU ms:`);
  for (const w of windows) console.log(`  rounds ${w}–${w + 99}: ${(cost.get(w)! / 100).toFixed(2)} ms wall, ${(cost.get(-w - 1)! / 100).toFixed(3)} ms CPU`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
