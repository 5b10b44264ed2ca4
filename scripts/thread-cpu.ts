// CPU time per thread of this process, for the scaling study and the scale bench (issue #13): on a
// shared machine wall time measures the load, while each thread's CPU time does not.
import { readdirSync, readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";

/**
 * CPU seconds of each thread of this process (Linux: /proc/self/task/<tid>/stat, utime + stime in
 * clock ticks of 1/100 s); the main thread's tid is the pid. Elsewhere an empty map.
 */
export function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[];
  try { tids = readdirSync("/proc/self/task"); } catch { return out; }
  for (const tid of tids) {
    try {
      const st = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const f = st.slice(st.lastIndexOf(")") + 2).split(" ");
      out.set(tid, (Number(f[11]) + Number(f[12])) / 100);
    } catch { /* the thread ended meanwhile */ }
  }
  return out;
}

/** CPU seconds of the main thread and of the busiest other thread (a pool worker) during fn(). */
export function splitCpu<T>(fn: () => T): { value: T; mainCpu: number; busiestOtherCpu: number } {
  const before = threadCpu();
  const value = fn();
  const after = threadCpu(), main = String(process.pid);
  let mainCpu = 0, busiestOtherCpu = 0;
  for (const [tid, v] of after) {
    const d = v - (before.get(tid) ?? 0);
    if (tid === main) mainCpu = d; else busiestOtherCpu = Math.max(busiestOtherCpu, d);
  }
  return { value, mainCpu, busiestOtherCpu };
}

const BURN = "let x = 0; for (let i = 0; i < 2e8; i++) x += i % 7;";

/**
 * What parallelism the machine gives this process right now: one busy loop alone, then the same
 * loop on this thread and on a worker at once; the ratio 2·t_alone / t_both is 2 on two free
 * cores and 1 when the other processes leave the equivalent of one. A wall-clock speed-up of the
 * pool cannot exceed it, so the study prints it next to each case. Synchronous (Atomics), like
 * the pool itself.
 */
export function availableParallelism(): number {
  const burn = new Function(BURN) as () => void;
  burn(); // compiled before timing
  let t0 = performance.now();
  burn();
  const alone = performance.now() - t0;
  // flag: 0 starting, 1 ready, 2 go, 3 done
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const w = new Worker(`const { workerData: f } = require("node:worker_threads");
Atomics.store(f, 0, 1); Atomics.notify(f, 0); Atomics.wait(f, 0, 1);
${BURN} Atomics.store(f, 0, 3); Atomics.notify(f, 0);`, { eval: true, workerData: flag });
  while (Atomics.load(flag, 0) !== 1) Atomics.wait(flag, 0, 0, 100);
  t0 = performance.now();
  Atomics.store(flag, 0, 2); Atomics.notify(flag, 0);
  burn();
  while (Atomics.load(flag, 0) !== 3) Atomics.wait(flag, 0, 2, 100);
  const both = performance.now() - t0;
  void w.terminate();
  return (2 * alone) / both;
}
