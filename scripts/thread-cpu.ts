// CPU time per thread of this process, for the scaling study and the scale bench (issue #13): on a
// shared machine wall time measures the load, while each thread's CPU time does not.
import { readdirSync, readFileSync } from "node:fs";

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
