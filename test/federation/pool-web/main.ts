// The page of test/federation/pool-browser.test.ts: the same runs with 1, 2 and 3 threads, the
// clients of threads 2 and 3 in Web Workers (src/federation/pool/web-worker.ts), summarised on
// window.poolResult for the test to compare bit for bit; then the federated samplers' chains
// (samplers.ts) on window.samplerResult.
import { ready } from "../../../src/kernel/index.js";
import { simulateAsync } from "../../../src/federation/simulator.js";
import { ALGORITHMS, THREADS, fnv, problem, type RunSummary } from "./problem.js";
import { samplerPage, type SamplerPageResult } from "./samplers.js";

const makeWorker = () => new Worker(new URL("../../../src/federation/pool/web-worker.ts", import.meta.url), { type: "module" });
const out = window as unknown as {
  poolResult?: { runs: RunSummary[]; workersMade: number; defaultFactory?: RunSummary; error?: string };
  samplerResult?: { result?: SamplerPageResult; error?: string };
};
const explain = (e: unknown) => (e instanceof Error ? `${e.message}\n${e.stack}` : String(e));

async function main(): Promise<void> {
  await ready();
  const runs: RunSummary[] = [];
  let workersMade = 0;
  for (const algorithm of ALGORITHMS) {
    for (const threads of THREADS) {
      let digest = 2166136261, messages = 0;
      const r = await simulateAsync({
        ...problem(algorithm), threads, makeWorker: () => { workersMade++; return makeWorker(); },
        onIteration: (i) => {
          for (const id of i.active) { digest = fnv(fnv(digest, i.downlinks.get(id)!), i.uplinks.get(id)!); messages += 2; }
        },
      });
      runs.push({
        algorithm, threads, finalW: Array.from(r.finalW), loss: r.loss, bitsUp: r.bitsUp, bitsDown: r.bitsDown,
        wireBitsUp: r.wireBitsUp, wireBitsDown: r.wireBitsDown, messages, digest,
      });
    }
  }
  // and once with the package's own worker (simulateAsync's default factory), as a bundle gets it
  const r = await simulateAsync({ ...problem(ALGORITHMS[0]), threads: 2 });
  const defaultFactory = { algorithm: ALGORITHMS[0], threads: 2, finalW: Array.from(r.finalW), loss: r.loss, bitsUp: r.bitsUp, bitsDown: r.bitsDown, wireBitsUp: r.wireBitsUp, wireBitsDown: r.wireBitsDown, messages: 0, digest: 0 };
  out.poolResult = { runs, workersMade, defaultFactory };
}

main().catch((e) => { out.poolResult = { runs: [], workersMade: 0, error: explain(e) }; })
  .then(() => samplerPage())
  .then((result) => { out.samplerResult = { result }; }, (e) => { out.samplerResult = { error: explain(e) }; })
  .finally(() => { document.getElementById("out")!.textContent = "done"; });
