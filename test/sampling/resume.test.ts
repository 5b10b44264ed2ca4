// Kill and resume (spec/langevin.md "Output"): a run stopped mid-way and resumed from its last
// checkpoint writes byte for byte the samples file of an uninterrupted run, because every stream
// of step k is re-derived from (seed, purpose, k, worker) and the checkpoint holds all the rest.
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCompressor } from "../../src/compressors/index.js";
import { ready } from "../../src/kernel/index.js";
import { qlsdPlusPlus, readSamples, runToDisk, type Observer, type Sample } from "../../src/sampling/index.js";
import { decodeState, encodeState } from "../../src/sampling/state-codec.js";
import { logisticModel } from "./helpers.js";

const root = mkdtempSync(join(tmpdir(), "fq-resume-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => { await ready(); });

const model = logisticModel(6, 30, 3);
// memory, SVRG reference points, partial participation (catch-up of ζ), burn-in and thinning: all state in play
const algorithm = () => qlsdPlusPlus(model, { stepSize: 2e-3, batchSize: 5, compressor: createCompressor("qsgd", { s: 2 }), refresh: 7, participation: 4 });
const plan = { samples: 60, burnIn: 25, thin: 3 }; // last step = 25 + 60·3 = 205

/** An observer with state of its own: the running sum of θ_0 over kept samples. */
function sumObserver(): Observer & { sum: number } {
  return {
    name: "sum", sum: 0,
    observe(s: Sample) { this.sum += s.theta[0]!; },
    save() { return { sum: this.sum }; },
    load(st) { this.sum = st.sum as number; },
  };
}

function run(dir: string, opts: { resume?: boolean; killAt?: number } = {}) {
  const obs = sumObserver();
  const res = runToDisk({
    chain: algorithm().init({ seed: 9, theta0: Float64Array.of(0.5, -0.5) }), ...plan, dir, checkpointEvery: 40,
    resume: opts.resume ?? false, fingerprint: "resume-test", observers: [obs],
    onStep: (k) => { if (k === opts.killAt) throw new Error(`killed at step ${k}`); },
  });
  return { res, obs };
}

describe("a killed run resumed from its checkpoint", () => {
  let full: ReturnType<typeof run>;
  beforeAll(() => { full = run(join(root, "full")); }, 60_000);

  for (const killAt of [13, 137, 204]) {
    it(`writes the same samples file byte for byte when killed after step ${killAt}`, () => {
      const dir = join(root, `kill-${killAt}`);
      expect(() => run(dir, { killAt })).toThrow(/killed/);
      // the killed run left rows past its last checkpoint (step 120 for a kill at 137): resume cuts them
      const resumed = run(dir, { resume: true });
      expect(resumed.res.resumedFrom).toBe(Math.floor(killAt / 40) * 40);
      expect(readFileSync(resumed.res.samplesPath).equals(readFileSync(full.res.samplesPath))).toBe(true);
      expect(Buffer.from(resumed.res.welford.mean.buffer).equals(Buffer.from(full.res.welford.mean.buffer))).toBe(true);
      expect(Buffer.from(resumed.res.welford.m2.buffer).equals(Buffer.from(full.res.welford.m2.buffer))).toBe(true);
      expect(resumed.obs.sum).toBe(full.obs.sum);
    });
  }

  it("keeps every row written before the kill readable in the samples file", () => {
    const dir = join(root, "partial");
    expect(() => run(dir, { killAt: 100 })).toThrow(/killed/);
    const partial = readSamples(join(dir, "chain.samples")).rows;
    const all = readSamples(full.res.samplesPath).rows;
    expect(partial.length).toBe(Math.floor((100 - plan.burnIn) / plan.thin)); // every kept step ≤ 100
    partial.forEach((r, i) => expect(r).toEqual(all[i]));
  });

  it("refuses to resume a checkpoint written by another configuration (E_STATE)", () => {
    const dir = join(root, "other");
    expect(() => run(dir, { killAt: 50 })).toThrow(/killed/);
    expect(() => runToDisk({
      chain: algorithm().init({ seed: 9 }), ...plan, dir, checkpointEvery: 40, resume: true, fingerprint: "another configuration",
    })).toThrow(/E_STATE.*another configuration/);
  });
});

it("refuses (E_STATE) a checkpoint whose samples-file offset is damaged, before cutting the file", () => {
  const dir = mkdtempSync(join(root, "damaged-"));
  expect(() => run(dir, { killAt: 90 })).toThrow(/killed/);
  const ckpt = join(dir, "chain.ckpt"), samples = join(dir, "chain.samples");
  const state = decodeState(readFileSync(ckpt));
  const before = readFileSync(samples);
  for (const offset of [-8, 3, (state.offset as number) + 1]) {
    writeFileSync(ckpt, encodeState({ ...state, offset }));
    expect(() => run(dir, { resume: true })).toThrow(/E_STATE.*damaged/);
    expect(readFileSync(samples).equals(before)).toBe(true);
  }
});

it("leaves no temporary checkpoint file behind", () => {
  const dir = mkdtempSync(join(root, "tmp-"));
  const { res } = run(dir);
  expect(existsSync(res.checkpointPath)).toBe(true);
  expect(existsSync(`${res.checkpointPath}.tmp`)).toBe(false);
});
