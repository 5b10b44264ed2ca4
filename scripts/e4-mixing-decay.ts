// How R̂ of the E4 BNN's per-draw test accuracy / NLL / ECE decays with chain length (issue #11
// item 7): re-reads the kept draws a finished `fedquant sample` run wrote, scores each draw on the
// test digits once, then computes split R̂ (src/sampling/ess.ts, BDA3) of the first n draws of
// every chain for growing n — what the table would have said had the run stopped there — and a
// power-law fit R̂ − 1 ≈ a·steps^(−b) over the second half of the lengths, extrapolated to the
// number of post-burn-in steps per chain at which R̂ reaches 1.1.
//   npx tsx scripts/e4-mixing-decay.ts examples/e4-bnn-mixing.json <out-dir> [--quick]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { mnistDigits, sliceRows } from "../src/data/index.js";
import { parseE4Config, type BnnConfig } from "../src/experiments/e4-config.js";
import { RHAT_MIXED, TRACKED, type Tracked } from "../src/experiments/e4-mixing.js";
import { ready } from "../src/kernel/index.js";
import { mlp } from "../src/models/index.js";
import { classificationMetrics, classLabels, essImse, readSamples, splitRhat } from "../src/sampling/index.js";

const [configPath, outDir] = process.argv.slice(2);
if (!configPath || !outDir) throw new Error("usage: npx tsx scripts/e4-mixing-decay.ts <config.json> <out-dir> [--quick]");
await ready();
const cfg = parseE4Config(JSON.parse(readFileSync(configPath, "utf8")), { quick: process.argv.includes("--quick"), source: configPath }) as BnnConfig;
const { count, test: nTest } = cfg.data;
const all = mnistDigits({ count, seed: cfg.seed });
const test = sliceRows(all, count - nTest, count);
const obj = mlp({ p: all.p, hidden: cfg.model.hidden, classes: 10, activation: cfg.model.activation });
const labels = classLabels(obj.name, test.y, 10);

for (const sampler of readdirSync(outDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
  const files = readdirSync(join(outDir, sampler)).filter((f) => f.endsWith(".samples")).sort();
  if (files.length === 0) continue;
  // per chain, per tracked quantity: the trace of per-draw scores
  const traces = files.map((f) => {
    const per = Object.fromEntries(TRACKED.map((k) => [k, [] as number[]])) as Record<Tracked, number[]>;
    for (const row of readSamples(join(outDir, sampler, f)).rows) {
      const m = classificationMetrics(obj.predictProba(Float64Array.from(row), test), labels, 10, cfg.calibrationBins);
      for (const k of TRACKED) per[k].push(m[k]);
    }
    return per;
  });
  const n = Math.min(...traces.map((t) => t.accuracy.length));
  if (n < 8) { console.log(`\n${sampler}: ${n} kept draws in its shortest chain, too few (still running?)`); continue; }
  console.log(`\n${sampler}: ${files.length} chains × ${n} kept draws (thin ${cfg.thin}, after ${cfg.burnIn} burn-in steps)`);
  // "first n": R̂ of draws 1..n (the table's definition had the run stopped at n); "last half":
  // R̂ of draws n/2..n, the first half discarded as further warm-up (BDA3 §11.4 practice)
  console.log(["draws", "steps after burn-in", ...TRACKED.map((k) => `R̂ ${k} (first n)`), "max", ...TRACKED.map((k) => `R̂ ${k} (last half)`), "max"].join("\t"));
  const points: { steps: number; max: number }[] = [];
  for (let len = 8; len <= n; len += Math.max(4, Math.floor(n / 12))) {
    const r = TRACKED.map((k) => splitRhat(traces.map((t) => t[k].slice(0, len))));
    const h = TRACKED.map((k) => splitRhat(traces.map((t) => t[k].slice(Math.floor(len / 2), len))));
    const max = Math.max(...r);
    points.push({ steps: len * cfg.thin, max });
    console.log([len, len * cfg.thin, ...r.map((x) => x.toFixed(3)), max.toFixed(3), ...h.map((x) => x.toFixed(3)), Math.max(...h).toFixed(3)].join("\t"));
  }
  const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
  for (const k of TRACKED) console.log(`per-chain mean ${k}, first / second half: ${traces.map((t) => `${mean(t[k].slice(0, n >> 1)).toFixed(4)} / ${mean(t[k].slice(n >> 1, n)).toFixed(4)}`).join("; ")}`);
  // For stationary chains split R̂² ≈ 1 + 1/ESS per half-chain (W ≈ σ², B/n ≈ σ²/ESS; Vehtari et
  // al. 2021, R̂² ≈ 1 + M/ESS over M half-chains), so R̂ < 1.1 needs ESS ≥ 1/(1.1² − 1) ≈ 4.8 per
  // half-chain: a chain of ≈ 2 · 4.8 · τ steps, τ the integrated autocorrelation time measured here
  // (a lower bound when the chains have not reached stationarity: their ESS is then overestimated).
  const perHalf = 1 / (RHAT_MIXED ** 2 - 1);
  for (const k of TRACKED) {
    const ess = essImse(traces.map((t) => t[k].slice(0, n)));
    const tau = (files.length * n * cfg.thin) / ess;
    console.log(`${k}: ESS ${ess.toFixed(1)} of ${files.length} × ${n} draws → τ ≈ ${tau.toFixed(0)} steps; R̂ < ${RHAT_MIXED} needs ≈ ${Math.ceil(2 * perHalf * tau)} post-burn-in steps per chain`);
  }
  // least squares of log(R̂ − 1) on log(steps) over the second half of the lengths
  const fit = points.slice(Math.floor(points.length / 2)).filter((p) => p.max > 1);
  if (fit.length >= 2) {
    const xs = fit.map((p) => Math.log(p.steps)), ys = fit.map((p) => Math.log(p.max - 1));
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length, my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const b = -xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    const a = Math.exp(my + b * mx);
    const need = b > 0 ? (a / (RHAT_MIXED - 1)) ** (1 / b) : Infinity;
    // a flat or rising R̂ (b ≤ 0.1 over this window) extrapolates to nothing: say so
    console.log(`fit: max R̂ − 1 ≈ ${a.toExponential(2)} · steps^(${(-b).toFixed(2)})${b > 0.1 ? `; R̂ < ${RHAT_MIXED} after ≈ ${Math.ceil(need)} post-burn-in steps per chain` : " — no usable decay over this window; use the ESS estimate above"}`);
  }
}
