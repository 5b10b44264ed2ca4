// What this machine gives a case's own work on two cores (issue #13's scaling study, docs/scaling.md):
// the one-thread run alone in a child process, then two copies of it at once in two processes that
// share nothing. 2 · t_alone / t_together is the wall-clock speed-up two perfectly independent
// threads of *this* workload reach here — memory traffic, the engine's GC and compiler threads,
// and whatever the hypervisor does when both vCPUs are busy included — so it bounds the pool's
// wall-clock speed-up with 2 threads, and the pool's speed-up over it is the efficiency the pool
// itself is responsible for. The two-loop probe (thread-cpu.ts) measures the same for a busy loop.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TwinCeiling { alone: number; together: number[]; ceiling: number }

/** Sleeps ms milliseconds without spinning (a solo child waits for its twin this way). */
function sleep(ms: number): void { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); }

/**
 * Runs `scaling.ts --case <key> --solo <dir> --copies <n>` n times at once (n = 1: alone) and
 * returns each child's timed wall seconds. The children meet at a barrier in <dir> after their
 * warm-up, so their timed runs start together.
 */
function runCopies(key: string, copies: number, extraArgs: string[]): number[] {
  const dir = mkdtempSync(join(tmpdir(), "fedquant-twin-"));
  try {
    const child = [...process.execArgv, process.argv[1]!, "--case", key, "--solo", dir, "--copies", String(copies), ...extraArgs]
      .map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
    const script = Array.from({ length: copies }, (_, i) => `'${process.execPath}' ${child} > '${dir}/out-${i}' &`).join("\n") + "\nwait";
    const r = spawnSync("bash", ["-c", script], { stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0) throw new Error(`twin run of ${key} failed (${r.status})`);
    return Array.from({ length: copies }, (_, i) => {
      const out = readFileSync(join(dir, `out-${i}`), "utf8").trim().split("\n").at(-1) ?? "";
      const wall = (JSON.parse(out) as { wall: number }).wall;
      if (!(wall > 0)) throw new Error(`twin run ${i} of ${key} printed no time: ${out}`);
      return wall;
    });
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

/** The ceiling of `key` (a case name of scaling.ts): alone, then two copies together. */
export function twinCeiling(key: string, extraArgs: string[]): TwinCeiling {
  const [alone] = runCopies(key, 1, extraArgs);
  const together = runCopies(key, 2, extraArgs);
  const mean = together.reduce((a, b) => a + b, 0) / together.length;
  return { alone: alone!, together, ceiling: (2 * alone!) / mean };
}

/**
 * The child's side: warm up (unless `warm` is false), wait at the barrier for the other copies,
 * time one one-thread run and print {"wall": s} as the last line of stdout.
 */
export function soloRun(fn: () => unknown, warm: boolean, dir: string, copies: number): void {
  if (warm) fn();
  writeFileSync(join(dir, `ready-${process.pid}`), "");
  const deadline = Date.now() + 30 * 60_000; // a twin that died must not hang the study
  while (readdirSync(dir).filter((f) => f.startsWith("ready-")).length < copies) {
    if (Date.now() > deadline) throw new Error("twin barrier: the other copy never became ready");
    sleep(5);
  }
  const t0 = performance.now();
  fn();
  console.log(JSON.stringify({ wall: (performance.now() - t0) / 1000 }));
}
