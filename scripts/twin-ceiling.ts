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

/** One repetition of the paired protocol (pairedCeiling): wall seconds of fresh processes. */
export interface PairedRep {
  /** the one-thread run alone */
  alone: number;
  /** the same run with the pool's `threads` threads, alone */
  pool: number;
  /** two one-thread copies at once */
  together: number[];
  /** 2 · alone / mean(together) */
  ceiling: number;
  /** alone / pool */
  speedup: number;
  /** whether the pool's run gave the one-thread run's result bit for bit */
  identical: boolean;
}

interface SoloOut { wall: number; fingerprint: string }

/** Sleeps ms milliseconds without spinning (a solo child waits for its twin this way). */
function sleep(ms: number): void { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); }

/**
 * Runs `scaling.ts --case <key> --solo <dir> --copies <n>` n times at once (n = 1: alone) and
 * returns each child's timed wall seconds and result fingerprint. The children meet at a barrier in <dir> after their
 * warm-up, so their timed runs start together.
 */
function runCopies(key: string, copies: number, extraArgs: string[]): SoloOut[] {
  const dir = mkdtempSync(join(tmpdir(), "fedquant-twin-"));
  try {
    const child = [...process.execArgv, process.argv[1]!, "--case", key, "--solo", dir, "--copies", String(copies), ...extraArgs]
      .map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
    const script = Array.from({ length: copies }, (_, i) => `'${process.execPath}' ${child} > '${dir}/out-${i}' &`).join("\n") + "\nwait";
    const r = spawnSync("bash", ["-c", script], { stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0) throw new Error(`twin run of ${key} failed (${r.status})`);
    return Array.from({ length: copies }, (_, i) => {
      const out = readFileSync(join(dir, `out-${i}`), "utf8").trim().split("\n").at(-1) ?? "";
      const o = JSON.parse(out) as SoloOut;
      if (!(o.wall > 0)) throw new Error(`twin run ${i} of ${key} printed no time: ${out}`);
      return o;
    });
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

/** The ceiling of `key` (a case name of scaling.ts): alone, then two copies together. */
export function twinCeiling(key: string, extraArgs: string[]): TwinCeiling {
  const [alone] = runCopies(key, 1, extraArgs).map((o) => o.wall);
  const together = runCopies(key, 2, extraArgs).map((o) => o.wall);
  const mean = together.reduce((a, b) => a + b, 0) / together.length;
  return { alone: alone!, together, ceiling: (2 * alone!) / mean };
}

/**
 * `reps` repetitions of: the one-thread run alone, the run on `threads` threads (the pool) alone,
 * and two one-thread copies at once — every run in a fresh process after its own warm-up. The
 * order is reversed every other repetition, so a slow drift of the host hits both ratios alike,
 * and each repetition's speed-up is set against the ceiling measured in the same minutes: on this
 * VM the same run's wall time moves by 10–20 % from one minute to the next.
 */
export function pairedCeiling(key: string, extraArgs: string[], reps: number, threads = 2, log: (line: string) => void = () => {}): PairedRep[] {
  const out: PairedRep[] = [];
  for (let r = 0; r < reps; r++) {
    const variants = {
      alone: () => runCopies(key, 1, extraArgs),
      pool: () => runCopies(key, 1, [...extraArgs, "--solo-threads", String(threads)]),
      together: () => runCopies(key, 2, extraArgs),
    };
    const order = Object.keys(variants) as (keyof typeof variants)[];
    const got = {} as Record<keyof typeof variants, SoloOut[]>;
    for (const v of r % 2 === 0 ? order : order.reverse()) got[v] = variants[v]();
    const alone = got.alone[0]!, pool = got.pool[0]!, together = got.together;
    const mean = together.reduce((a, b) => a + b.wall, 0) / together.length;
    const rep: PairedRep = {
      alone: alone.wall, pool: pool.wall, together: together.map((o) => o.wall), ceiling: (2 * alone.wall) / mean, speedup: alone.wall / pool.wall,
      identical: pool.fingerprint === alone.fingerprint && together.every((o) => o.fingerprint === alone.fingerprint),
    };
    log(`repetition ${r + 1}/${reps}: alone ${rep.alone.toFixed(2)} s, ${threads} threads ${rep.pool.toFixed(2)} s (${rep.speedup.toFixed(2)}×), two copies ${rep.together.map((x) => x.toFixed(2)).join(" and ")} s (ceiling ${rep.ceiling.toFixed(2)}×)`);
    out.push(rep);
  }
  return out;
}

/**
 * The child's side: warm up (unless `warm` is false), wait at the barrier for the other copies,
 * time one run and print {"wall": s, "fingerprint": …} as the last line of stdout.
 */
export function soloRun(fn: () => string, warm: boolean, dir: string, copies: number): void {
  if (warm) fn();
  writeFileSync(join(dir, `ready-${process.pid}`), "");
  const deadline = Date.now() + 30 * 60_000; // a twin that died must not hang the study
  while (readdirSync(dir).filter((f) => f.startsWith("ready-")).length < copies) {
    if (Date.now() > deadline) throw new Error("twin barrier: the other copy never became ready");
    sleep(5);
  }
  const t0 = performance.now();
  const fingerprint = fn();
  console.log(JSON.stringify({ wall: (performance.now() - t0) / 1000, fingerprint }));
}
