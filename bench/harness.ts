// Shared bench plumbing: time the tasks of a group in CPU time (process.cpuUsage, user + system,
// so a busy machine does not bill us for other processes' time slices), interleaved round by
// round so drift hits every variant alike, and report medians with ratios against the group's
// baselines measured in the same process.
export interface Row {
  suite: string;
  group: string;
  variant: string;
  /** items processed per CPU second (samples, coordinates, bytes …: see `unit`) */
  throughput: number;
  unit: string;
  /** throughput / throughput of the group's baseline (the plain-JS version when there is one) */
  ratio: number;
  extra?: Record<string, number | string>;
}

export interface Task {
  variant: string;
  fn: () => void;
  itemsPerCall: number;
  /** the denominator of `ratio` (default: the first task) */
  baseline?: boolean;
  /** also report throughput / this task's as extra.vsTwin (the bit-exact TS twin) */
  twin?: boolean;
  extra?: Record<string, number | string>;
}

export interface BenchOptions { quick: boolean }

/** CPU microseconds of this process so far. */
export function cpuMicros(): number { const u = process.cpuUsage(); return u.user + u.system; }

/** Median of a non-empty list. */
export function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Time every task of a group: each is first calibrated to a batch of calls lasting ≥ minMs of
 * CPU, then `rounds` batches of every task are run in turn; a task's time per call is the median.
 */
export async function measureGroup(suite: string, group: string, unit: string, tasks: Task[], opts: BenchOptions): Promise<Row[]> {
  const minMs = opts.quick ? 4 : 40, rounds = opts.quick ? 3 : 9;
  const batch = tasks.map((t) => {
    let n = 0;
    const t0 = cpuMicros();
    do { t.fn(); n++; } while (cpuMicros() - t0 < minMs * 1000 && n < 1e6);
    return n;
  });
  const samples: number[][] = tasks.map(() => []);
  for (let r = 0; r < rounds; r++) {
    tasks.forEach((t, i) => {
      const t0 = cpuMicros();
      for (let k = 0; k < batch[i]!; k++) t.fn();
      samples[i]!.push((cpuMicros() - t0) / 1e6 / batch[i]!);
    });
    await new Promise((res) => setImmediate(res));
  }
  const thr = tasks.map((t, i) => t.itemsPerCall / Math.max(median(samples[i]!), 1e-9));
  const bi = Math.max(0, tasks.findIndex((t) => t.baseline));
  const ti = tasks.findIndex((t) => t.twin);
  return tasks.map((t, i) => ({
    suite, group, variant: t.variant, throughput: thr[i]!, unit, ratio: thr[i]! / thr[bi]!,
    extra: { ...(ti >= 0 ? { vsTwin: +(thr[i]! / thr[ti]!).toPrecision(3) } : {}), ...t.extra },
  }));
}

/** A row measured elsewhere (a child process, numpy, C) placed in a group against its baseline row. */
export function externalRow(base: Row, variant: string, throughput: number, extra: Record<string, number | string> = {}): Row {
  return { suite: base.suite, group: base.group, variant, throughput, unit: base.unit, ratio: throughput / base.throughput, extra };
}

export interface Suite { name: string; run(opts: BenchOptions): Promise<Row[]> }
