// Shared bench plumbing: run tinybench tasks, turn them into rows with a throughput and a
// ratio against the group's baseline measured in the same process.
import { Bench } from "tinybench";

export interface Row {
  suite: string;
  group: string;
  variant: string;
  /** items processed per second (samples, coordinates, bytes …: see `unit`) */
  throughput: number;
  unit: string;
  /** throughput / throughput of the group's baseline (the TS twin unless stated) */
  ratio: number;
  extra?: Record<string, number | string>;
}

export interface Task { variant: string; fn: () => void; itemsPerCall: number; baseline?: boolean; extra?: Record<string, number | string> }

export interface BenchOptions { quick: boolean }

/** Time every task of a group; the baseline's throughput is the denominator of every ratio. */
export async function measureGroup(suite: string, group: string, unit: string, tasks: Task[], opts: BenchOptions): Promise<Row[]> {
  const bench = new Bench({ time: opts.quick ? 60 : 700, warmupTime: opts.quick ? 20 : 150, iterations: opts.quick ? 3 : 10 });
  for (const t of tasks) bench.add(t.variant, t.fn);
  await bench.run();
  const thr = new Map<string, number>();
  for (const task of bench.tasks) {
    const r = task.result as unknown as { latency?: { mean: number }; mean?: number };
    const meanMs = r?.latency?.mean ?? r?.mean;
    if (!meanMs) throw new Error(`benchmark ${group}/${task.name} produced no timing`);
    const t = tasks.find((x) => x.variant === task.name)!;
    thr.set(task.name, (t.itemsPerCall / meanMs) * 1000);
  }
  const base = tasks.find((t) => t.baseline) ?? tasks[0]!;
  const baseThr = thr.get(base.variant)!;
  return tasks.map((t) => ({ suite, group, variant: t.variant, throughput: thr.get(t.variant)!, unit, ratio: thr.get(t.variant)! / baseThr, extra: t.extra }));
}

export interface Suite { name: string; run(opts: BenchOptions): Promise<Row[]> }
