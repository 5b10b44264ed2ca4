// E5's sizes and settings (issue #12): a small CNN on the 10,000 MNIST digits of the `mnist`
// package, 20 clients split by label (2 labels each, non-iid), SGD and QSGD / DIANA / Artemis /
// MCM with the QSGD and DoStoVoQ compressors, test accuracy against rounds and bits.
import type { CompressorRef } from "../algorithms/index.js";

export interface E5Size {
  /** digits used (train + test) */
  digits: number;
  test: number;
  clients: number;
  labelsPerClient: number;
  rounds: number;
  /** minibatch per client per round */
  batch: number;
  evalEvery: number;
}

export const E5_FULL: E5Size = { digits: 10_000, test: 2_000, clients: 20, labelsPerClient: 2, rounds: 400, batch: 10, evalEvery: 20 };
export const E5_QUICK: E5Size = { digits: 2_000, test: 500, clients: 20, labelsPerClient: 2, rounds: 6, batch: 4, evalEvery: 3 };

/** γ of every algorithm: with 200-row batches, TF.js's centralised SGD at this step passes 95 % test accuracy in ≈ 300 steps (docs/tfjs.md). */
export const E5_GAMMA = 0.3;

/** s = 1 quantization scaled by max|x_i| (the Artemis/MCM authors' setting, as in E3), and DoStoVoQ at its defaults. */
export const E5_COMPRESSORS: Record<"qsgd" | "dostovoq", CompressorRef> = {
  qsgd: { name: "qsgd", params: { s: 1, norm: "linf" } },
  dostovoq: { name: "dostovoq", params: {} },
};

export interface E5Algorithm { name: string; label: string; compressor?: "qsgd" | "dostovoq"; downlink: boolean }

export const E5_ALGORITHMS: E5Algorithm[] = [
  { name: "sgd", label: "SGD (f32)", downlink: false },
  ...(["qsgd", "dostovoq"] as const).flatMap((c) => [
    { name: "qsgd", label: `QSGD-up [${c}]`, compressor: c, downlink: false },
    { name: "diana", label: `DIANA [${c}]`, compressor: c, downlink: false },
    { name: "artemis", label: `Artemis [${c}]`, compressor: c, downlink: true },
    { name: "mcm", label: `MCM [${c}]`, compressor: c, downlink: true },
  ]),
];

/** The accuracy whose bit cost the summary reports. */
export const E5_TARGET_ACCURACY = 0.95;
