// Scale bench of issue #13: simulated client-rounds per second of one simulation with 1, 2, …
// threads (up to the machine's cores), every count checked bit-identical to 1 thread. Each row's
// ratio is against 1 thread in the same run; the notes give CPU seconds of the whole process (all
// threads), of its busiest thread and their ratio to 1 thread's (what free cores would give at
// most), and the 1-minute load, since a busy machine bounds what extra threads can win.
import { cpus, loadavg } from "node:os";
import { createAlgorithm } from "../../src/algorithms/index.js";
import { closeIdleThreads } from "../../src/federation/pool/index.js";
import { simulate } from "../../src/federation/simulator.js";
import { ready } from "../../src/kernel/index.js";
import { gaussianMean } from "../../src/models/index.js";
import { RandomStream } from "../../src/random/index.js";
import { splitCpu } from "../../scripts/thread-cpu.js";
import type { BenchOptions, Row, Suite } from "../harness.js";

export const scaleSuite: Suite = {
  name: "scale",
  async run(opts: BenchOptions): Promise<Row[]> {
    await ready();
    // DoStoVoQ uplinks on a Gaussian-mean objective: the clients' encodes are the work
    const N = opts.quick ? 8 : 16, D = opts.quick ? 1 << 13 : 1 << 15, rounds = opts.quick ? 2 : 4;
    const objective = gaussianMean({ p: D });
    const workers = Array.from({ length: N }, (_, i) => ({ n: 1, p: D, X: Float64Array.from(RandomStream.of(5, "data", 0, i).normals(D)), y: new Float64Array(1) }));
    const algorithm = createAlgorithm("dostovoq-sgd", { gamma: 0.5 });
    const counts = Array.from({ length: Math.max(2, cpus().length) }, (_, i) => i + 1);
    const run = (threads: number) => simulate({ algorithm, objective, workers, iterations: rounds, batchSize: "full", seed: 6, evalEvery: rounds, threads });
    for (const t of counts) run(t); // warm: workers started, code compiled
    const reps = opts.quick ? 1 : 3;
    const wall = new Map<number, number[]>(), cpu = new Map<number, number[]>(), path = new Map<number, number[]>();
    let ref: Float64Array | undefined;
    for (let r = 0; r < reps; r++) {
      for (const t of counts) { // interleaved, so load changes hit every count alike
        const c0 = process.cpuUsage(), t0 = performance.now();
        const { value: res, mainCpu, busiestOtherCpu } = splitCpu(() => run(t));
        const w = (performance.now() - t0) / 1000, c = process.cpuUsage(c0);
        ref ??= res.finalW;
        if (!res.finalW.every((v, j) => Object.is(v, ref![j]))) throw new Error(`scale bench: ${t} threads differ from 1 thread`);
        (wall.get(t) ?? wall.set(t, []).get(t)!).push(w);
        (cpu.get(t) ?? cpu.set(t, []).get(t)!).push((c.user + c.system) / 1e6);
        // the busiest thread's CPU time: the run's length on free cores if no thread waited (a bound)
        (path.get(t) ?? path.set(t, []).get(t)!).push(Math.max(mainCpu, t > 1 ? busiestOtherCpu : 0));
      }
    }
    closeIdleThreads();
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    const base = (N * rounds) / med(wall.get(1)!);
    return counts.map((t) => {
      const thr = (N * rounds) / med(wall.get(t)!);
      return {
        suite: "scale", group: `dostovoq-sgd N=${N} D=${D}`, variant: `${t} thread${t > 1 ? "s" : ""}`, throughput: thr, unit: "client-rounds/s", ratio: thr / base,
        // per-thread CPU comes from /proc (Linux); elsewhere it is absent rather than 0/0
        extra: {
          cpuS: med(cpu.get(t)!), load1: loadavg()[0]!, cores: cpus().length,
          ...(med(path.get(t)!) > 0 ? { busiestThreadCpuS: med(path.get(t)!), cpuPathRatio: med(path.get(1)!) / med(path.get(t)!) } : {}),
        },
      };
    });
  },
};
